package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.infra.Inventory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inventory each real mockup maps to, over real HTTP. The expected figures were read off the mockup JSON by
 * hand (paths relative to the tree's {@code /redfish/v1}):
 * <ul>
 * <li>rackmount1: {@code Systems/437XR1138R2}: CPU1 is a "Multi-Core Intel(R) Xeon(R) processor 7xxx Series" with
 *   TotalCores 8, CPU2 is {@code State: Absent}; MemorySummary 96 GiB; FPGA1 is a Stratix 10 FPGA and the graphics
 *   controller GPU1 is Contoso's, linked to no processor: no GPU. Firmware BIOS P79 v1.45, BMC 1.45.455b66-rev4, SS 2.50.
 * <li>tower: {@code Systems/437XR1238R2}: CPU1..CPU8 "Intel(R) Xeon(R) Gold 5218 2.3GHz", 16 cores each (128);
 *   1024 GiB; GPU1 and GPU2 are {@code ProcessorType: GPU} "Nvidia(R) TU102" with MemorySummary 11264 MiB (11 GiB);
 *   the graphics controllers GPU1/GPU2 link them to PCIe devices Slot1/Slot2, which must not count again.
 * <li>EX235n: {@code Systems/Node0} and {@code Node1}; Node0 has CPU0 "AMD EPYC 7713 64-Core Processor" (64 cores),
 *   256 GiB, GPU0..GPU3 "NVIDIA_A100-SXM4-40GB" with no memory property (40 GiB by the name) and serials
 *   1322520068320, 1322520068159, 1322420112794, 1322520068102. ProcessorSummary says Count 5 with the A100 as its
 *   model, which must not be taken for the CPUs. FirmwareInventory has 30 items, 11 of them Node1's.
 * </ul>
 */
class RedfishInventoryTest {
    record Expected(String system, String cpu, int sockets, int cores, int memoryGiB, List<String> gpuModels,
                    int gpuMemoryGiB, int firmwareItems) {
    }

    static final Map<String, Expected> EXPECTED = Map.of(
            TestBmc.RACKMOUNT, new Expected("437XR1138R2", "Multi-Core Intel(R) Xeon(R) processor 7xxx Series", 1, 8, 96, List.of(), 0, 3),
            TestBmc.TOWER, new Expected("437XR1238R2", "Intel(R) Xeon(R) Gold 5218 2.3GHz", 8, 128, 1024,
                    List.of("NVIDIA TU102", "NVIDIA TU102"), 11, 2),
            TestBmc.CRAY_A100, new Expected("Node0", "AMD EPYC 7713 64-Core Processor", 1, 64, 256,
                    List.of("NVIDIA A100-SXM4-40GB", "NVIDIA A100-SXM4-40GB", "NVIDIA A100-SXM4-40GB", "NVIDIA A100-SXM4-40GB"), 40, 19));

    static List<String> mockups() {
        return TestBmc.MOCKUPS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void mapsTheMockupOntoTheMachineInventory(String tree) {
        Expected want = EXPECTED.get(tree);
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            InventoryReport report = client.inventory();
            Inventory inv = report.inventory();

            assertThat(report.system()).isEqualTo(want.system());
            assertThat(inv.cpuModel()).isEqualTo(want.cpu());
            assertThat(inv.sockets()).isEqualTo(want.sockets());
            assertThat(inv.cores()).isEqualTo(want.cores());
            assertThat(inv.memoryGiB()).isEqualTo(want.memoryGiB());
            assertThat(inv.gpus()).extracting(Inventory.Gpu::model).containsExactlyElementsOf(want.gpuModels());
            assertThat(inv.gpus()).allSatisfy(g -> assertThat(g.memoryGiB()).isEqualTo(want.gpuMemoryGiB()));
            assertThat(inv.gpus()).extracting(Inventory.Gpu::index).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, want.gpuModels().size()).boxed().toList());
            assertThat(inv.firmware()).hasSize(want.firmwareItems());
            assertThat(report.gpuSources()).allSatisfy(s -> assertThat(s).containsIgnoringCase("/Processors/"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"mockups", "dev.millwright.infra.redfish.RedfishVendorShapesTest#shapes"})
    void readsTheSameWhenTheBmcWritesLinksWithTrailingSlashesAndInLowerCase(String tree) {
        try (TestBmc plain = TestBmc.serving(tree).start(); RedfishBmc a = Bmcs.connect(plain);
             TestBmc sloppy = TestBmc.serving(tree).trailingSlashLinks().lowerCaseLinks().start(); RedfishBmc b = Bmcs.connect(sloppy)) {
            Inventory expected = a.inventory().inventory();
            Inventory actual = b.inventory().inventory();
            assertThat(actual.gpus()).isEqualTo(expected.gpus());
            assertThat(actual.cpuModel()).isEqualTo(expected.cpuModel());
            assertThat(actual.cores()).isEqualTo(expected.cores());
            assertThat(actual.memoryGiB()).isEqualTo(expected.memoryGiB());
            assertThat(actual.firmware()).isEqualTo(expected.firmware());
        }
    }

    @Test
    void theA100BladeCountsFourGpusPerNodeWithTheirSerialsAndNotTheOtherNodesFirmware() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start(); RedfishBmc node0 = Bmcs.connect(bmc)) {
            InventoryReport report = node0.inventory();
            assertThat(report.systems()).containsExactly("Node0", "Node1");
            assertThat(report.inventory().gpus()).extracting(Inventory.Gpu::serial)
                    .containsExactly("1322520068320", "1322520068159", "1322420112794", "1322520068102");
            assertThat(report.inventory().gpus()).allSatisfy(g -> {
                assertThat(g.mig()).as("A100 is MIG-capable").isTrue();
                assertThat(g.confidentialComputing()).as("A100 has no confidential computing").isFalse();
            });
            assertThat(report.inventory().firmware()).extracting(Inventory.Firmware::component)
                    .contains("Node0.BIOS", "Node0.Acc3.VBIOS", "BMC").noneMatch(c -> c.startsWith("Node1."));
            assertThat(report.warnings()).anyMatch(w -> w.contains("manages 2 systems (Node0, Node1)"))
                    .anyMatch(w -> w.contains("GPU0") && w.contains("40 GiB taken from the model name"));
        }
    }

    @Test
    void aSystemNamedInTheUrlOrByIdIsTheOneRead() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start();
             RedfishBmc byUrl = RedfishBmc.connect(Bmcs.connection(bmc.url() + "/redfish/v1/Systems/node1/"));
             RedfishBmc byId = RedfishBmc.connect(Bmcs.connection(bmc.url()), "Node1")) {
            for (RedfishBmc node1 : List.of(byUrl, byId)) {
                InventoryReport report = node1.inventory();
                assertThat(report.system()).isEqualTo("Node1");
                assertThat(report.inventory().gpus()).extracting(Inventory.Gpu::serial)
                        .containsExactly("1321020042689", "1321020042465", "1321020042472", "1321020042325");
                assertThat(report.inventory().firmware()).extracting(Inventory.Firmware::component).noneMatch(c -> c.startsWith("Node0."));
                assertThat(report.warnings()).noneMatch(w -> w.contains("manages 2 systems"));
            }
        }
    }

    @Test
    void theTowersGpusAreCountedOnceThoughGraphicsControllersAndPcieSlotsListThemToo() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            InventoryReport report = client.inventory();
            assertThat(report.inventory().gpus()).hasSize(2);
            assertThat(report.gpuSources()).containsExactly("/redfish/v1/Systems/437XR1238R2/Processors/GPU1",
                    "/redfish/v1/Systems/437XR1238R2/Processors/GPU2");
            assertThat(report.warnings()).noneMatch(w -> w.contains("link to no GPU processor"));
        }
    }

    @Test
    void theRackmountsFpgaAndContosoGraphicsControllerAreNamedAsNotCounted() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.RACKMOUNT).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            InventoryReport report = client.inventory();
            assertThat(report.inventory().gpus()).isEmpty();
            assertThat(report.warnings()).anyMatch(w -> w.startsWith("not counted as GPUs: FPGA1"))
                    .anyMatch(w -> w.contains("graphics controller GPU1") && w.contains("Contoso is no GPU maker"));
            assertThat(report.missing()).anyMatch(m -> m.startsWith("PCIeDevices"));
        }
    }
}
