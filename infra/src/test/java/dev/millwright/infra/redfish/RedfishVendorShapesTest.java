package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.millwright.infra.Inventory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GPU counting on the shapes other vendors' BMCs give, served from synthetic bundles written after their public
 * documentation and dumps (sources in {@code src/test/resources/redfish/README.md}): Lenovo XCC's GPU processors
 * with no Model, Dell iDRAC9's {@code Video.Slot} processors beside PCIe devices listed on the system, and Cisco
 * CIMC's GPU processors whose Model is Cisco's part number.
 */
class RedfishVendorShapesTest {
    static final String LENOVO = "synthetic/lenovo-xcc-l40";
    static final String DELL = "synthetic/dell-idrac9-xe9680";
    static final String CISCO = "synthetic/cisco-ucs-c240-t4";

    static List<String> shapes() {
        return List.of(LENOVO, DELL, CISCO);
    }

    @Test
    void lenovoXccGpuProcessorsStateNoModelSoTheLinkedPcieDeviceNamesThem() {
        try (TestBmc bmc = TestBmc.serving(LENOVO).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            InventoryReport report = client.inventory();
            Inventory inv = report.inventory();

            assertThat(inv.sockets()).isEqualTo(2);
            assertThat(inv.cores()).isEqualTo(64);
            assertThat(inv.gpus()).hasSize(4).allSatisfy(g -> {
                assertThat(g.model()).isEqualTo("NVIDIA L40");
                assertThat(g.memoryGiB()).as("L40 comes in 48 GB only").isEqualTo(48);
                assertThat(g.mig()).isFalse();
            });
            assertThat(inv.gpus()).extracting(Inventory.Gpu::serial)
                    .containsExactly("1321823008231", "1321823008232", "1321823008233", "1321823008234");
            assertThat(report.gpuSources()).containsExactly("/redfish/v1/Systems/1/Processors/GPU1",
                    "/redfish/v1/Systems/1/Processors/GPU2", "/redfish/v1/Systems/1/Processors/GPU3",
                    "/redfish/v1/Systems/1/Processors/GPU4");
            assertThat(report.warnings())
                    .contains("GPU1, GPU2, GPU3, GPU4: the processor states no GPU model; taken from its PCIe device's Name")
                    .anyMatch(w -> w.startsWith("GPU1, GPU2, GPU3, GPU4: NVIDIA L40 reports no memory; 48 GiB"))
                    .noneMatch(w -> w.contains("link to no GPU processor"));
        }
    }

    @Test
    void aLenovoGpuWhoseCardHasNoVpdIsStillCountedAndItsUnknownModelAndMemoryAreNamed() {
        try (TestBmc bmc = TestBmc.serving(LENOVO).start()) {
            for (int slot = 3; slot <= 6; slot++) bmc.edit("/redfish/v1/Chassis/1/PCIeDevices/slot_" + slot, d -> d.put("Name", "Adapter"));
            try (RedfishBmc client = Bmcs.connect(bmc)) {
                InventoryReport report = client.inventory();
                assertThat(report.inventory().gpus()).hasSize(4).allSatisfy(g -> {
                    assertThat(g.model()).isEqualTo("NVIDIA GPU");
                    assertThat(g.memoryGiB()).isZero();
                });
                assertThat(report.warnings())
                        .contains("GPU1, GPU2, GPU3, GPU4: GPU model unknown: neither the processor nor its PCIe device names one")
                        .anyMatch(w -> w.startsWith("GPU1, GPU2, GPU3, GPU4: NVIDIA GPU: memory unknown"));
            }
        }
    }

    @Test
    void dellVideoSlotProcessorsCountOnceWithoutTheNvSwitchesOrTheMatroxChip() {
        try (TestBmc bmc = TestBmc.serving(DELL).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            InventoryReport report = client.inventory();
            Inventory inv = report.inventory();

            assertThat(report.system()).isEqualTo("System.Embedded.1");
            assertThat(inv.sockets()).isEqualTo(2);
            assertThat(inv.cores()).isEqualTo(104);
            assertThat(inv.gpus()).as("8 processors, not 8 + 8 PCIe devices + 4 NVSwitches").hasSize(8).allSatisfy(g -> {
                assertThat(g.model()).isEqualTo("NVIDIA H100 80GB HBM3");
                assertThat(g.memoryGiB()).isEqualTo(80);
                assertThat(g.mig()).isTrue();
            });
            assertThat(report.gpuSources()).first().isEqualTo("/redfish/v1/Systems/System.Embedded.1/Processors/Video.Slot.31-1");
            assertThat(report.gpuSources()).last().isEqualTo("/redfish/v1/Systems/System.Embedded.1/Processors/Video.Slot.38-1");
            assertThat(report.warnings()).noneMatch(w -> w.contains("link to no GPU processor"));
        }
    }

    @Test
    void dellGpusListedOnlyAsPcieDevicesAreCountedByClassAndTheNvSwitchBridgesAreNot() {
        // an iDRAC that lists only CPUs as processors (iDRAC8 does): the GPUs are the system's PCIe devices
        try (TestBmc bmc = TestBmc.serving(DELL).start()) {
            bmc.edit("/redfish/v1/Systems/System.Embedded.1/Processors", c -> {
                ArrayNode members = (ArrayNode) c.get("Members");
                for (int i = members.size() - 1; i >= 0; i--) {
                    if (members.get(i).path("@odata.id").asText().contains("Video.Slot")) members.remove(i);
                }
            });
            try (RedfishBmc client = Bmcs.connect(bmc)) {
                InventoryReport report = client.inventory();
                assertThat(report.inventory().gpus()).hasSize(8).allSatisfy(g -> {
                    assertThat(g.model()).contains("H100");
                    assertThat(g.memoryGiB()).isEqualTo(80);
                });
                assertThat(report.gpuSources()).allSatisfy(s -> assertThat(s).startsWith("/redfish/v1/Systems/System.Embedded.1/PCIeDevices/"))
                        .noneMatch(s -> s.endsWith("/3-0") || s.endsWith("/96-0"));
                assertThat(report.warnings()).contains("GPUs read from PCIe devices: the BMC lists no GPU processors");
            }
        }
    }

    @Test
    void ciscoGpuProcessorsWhosModelIsAPartNumberAreNamedByTheirName() {
        try (TestBmc bmc = TestBmc.serving(CISCO).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            InventoryReport report = client.inventory();
            Inventory inv = report.inventory();

            assertThat(inv.sockets()).isEqualTo(2);
            assertThat(inv.gpus()).as("GPUs without a Status are counted").hasSize(2).allSatisfy(g -> {
                assertThat(g.model()).isEqualTo("NVIDIA T4 PCIe 16GB 70W");
                assertThat(g.memoryGiB()).isEqualTo(16);
            });
            assertThat(report.gpuSources()).containsExactly("/redfish/v1/Systems/WZP23000000/Processors/GPU-1-0",
                    "/redfish/v1/Systems/WZP23000000/Processors/GPU-2-0");
            assertThat(report.warnings())
                    .contains("GPU-1-0, GPU-2-0: the processor's Model names no GPU; model taken from its Name")
                    .noneMatch(w -> w.contains("link to no GPU processor"));
        }
    }
}
