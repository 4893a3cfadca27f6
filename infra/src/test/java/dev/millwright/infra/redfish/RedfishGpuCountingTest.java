package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.infra.Inventory;
import org.junit.jupiter.api.Test;

/**
 * GPU counting on the shapes none of the real mockups has, served from the synthetic bundles in
 * {@code src/test/resources/redfish/synthetic}: a GPU baseboard listed as a system of its own with NVSwitches beside
 * its GPUs and the same GPUs again as host PCIe devices; and GPUs that appear only as PCIe devices and under a
 * vendor's Oem, beside a board VGA chip and a NIC.
 */
class RedfishGpuCountingTest {
    @Test
    void anHgxBaseboardsGpusBelongToTheHostAndCountOnceWithoutTheNvSwitches() {
        try (TestBmc bmc = TestBmc.serving("synthetic/hgx-h100-baseboard").start(); RedfishBmc client = Bmcs.connect(bmc)) {
            InventoryReport report = client.inventory();
            Inventory inv = report.inventory();

            assertThat(report.system()).isEqualTo("System_0");
            assertThat(report.systems()).containsExactly("System_0");
            assertThat(inv.sockets()).isEqualTo(2);
            assertThat(inv.cores()).isEqualTo(112);
            assertThat(inv.gpus()).hasSize(8).allSatisfy(g -> {
                assertThat(g.model()).isEqualTo("NVIDIA H100 80GB HBM3");
                assertThat(g.memoryGiB()).as("81559 MiB of HBM3 from the linked Memory resource").isEqualTo(80);
                assertThat(g.mig()).isTrue();
                assertThat(g.confidentialComputing()).isTrue();
            });
            assertThat(report.gpuSources()).first().isEqualTo("/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_1");
            assertThat(report.gpuSources()).last().isEqualTo("/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_8");
            assertThat(report.warnings()).anyMatch(w -> w.startsWith("not counted as GPUs:") && w.contains("NVSwitch_0") && w.contains("FPGA_0"))
                    .noneMatch(w -> w.contains("link to no GPU processor"));
        }
    }

    @Test
    void gpuProcessorsWinOverPcieDevicesThatNothingLinksToThem() {
        // one host PCIe GPU loses its serial: nothing ties it to its GPU processor on the baseboard any more
        try (TestBmc bmc = TestBmc.serving("synthetic/hgx-h100-baseboard").start()) {
            bmc.edit("/redfish/v1/Chassis/System_0/PCIeDevices/GPU_SXM_3", r -> r.remove("SerialNumber"));
            try (RedfishBmc client = Bmcs.connect(bmc)) {
                InventoryReport report = client.inventory();
                assertThat(report.inventory().gpus()).as("8, not 9").hasSize(8);
                assertThat(report.warnings()).anyMatch(w -> w.startsWith("1 GPU-class PCIe device(s) link to no GPU processor")
                        && w.contains("/PCIeDevices/GPU_SXM_3") && w.contains("counted the 8 GPU processors only"));
            }
        }
    }

    @Test
    void gpusListedOnlyAsPcieDevicesAreCountedOnceByClassAndVendorAndTheVgaChipIsNot() {
        try (TestBmc bmc = TestBmc.serving("synthetic/pcie-only-l40s").start(); RedfishBmc client = Bmcs.connect(bmc)) {
            InventoryReport report = client.inventory();
            Inventory inv = report.inventory();

            assertThat(inv.gpus()).hasSize(4).allSatisfy(g -> {
                assertThat(g.model()).isEqualTo("NVIDIA L40S");
                assertThat(g.memoryGiB()).as("L40S comes in 48 GB only").isEqualTo(48);
                assertThat(g.mig()).isFalse();
            });
            assertThat(inv.gpus()).extracting(Inventory.Gpu::serial)
                    .containsExactly("1322723000040", "1322723000041", "1322723000042", "1322723000043");
            assertThat(report.gpuSources()).allSatisfy(s -> assertThat(s).contains("/Chassis/1/PCIeDevices/Slot"));
            assertThat(report.warnings()).contains("GPUs read from PCIe devices: the BMC lists no GPU processors")
                    .anyMatch(w -> w.contains("graphics controller VGA") && w.contains("ASPEED Technology is no GPU maker"));
        }
    }

    @Test
    void anOemPciDeviceListIsEnoughWhenThePcieDevicesAreGone() {
        try (TestBmc bmc = TestBmc.serving("synthetic/pcie-only-l40s").start()) {
            bmc.edit("/redfish/v1/Chassis/1", r -> r.remove("PCIeDevices"));
            try (RedfishBmc client = Bmcs.connect(bmc)) {
                InventoryReport report = client.inventory();
                assertThat(report.inventory().gpus()).hasSize(4).allSatisfy(g -> assertThat(g.model()).isEqualTo("NVIDIA L40S"));
                assertThat(report.gpuSources()).allSatisfy(s -> assertThat(s).startsWith("/redfish/v1/Systems/1/PCIDevices/"));
                assertThat(report.missing()).anyMatch(m -> m.startsWith("PCIeDevices"));
            }
        }
    }

    @Test
    void pcieDevicesAreReadWhetherAChassisLinksACollectionOrListsThemInline() {
        try (TestBmc bmc = TestBmc.serving("synthetic/pcie-only-l40s").start()) {
            var members = bmc.resource("/redfish/v1/Chassis/1/PCIeDevices").get("Members").deepCopy();
            bmc.edit("/redfish/v1/Chassis/1", c -> c.set("PCIeDevices", members));
            bmc.edit("/redfish/v1/Systems/1", s -> s.remove("Oem"));
            try (RedfishBmc client = Bmcs.connect(bmc)) {
                InventoryReport report = client.inventory();
                assertThat(report.inventory().gpus()).hasSize(4);
                assertThat(report.gpuSources()).allSatisfy(s -> assertThat(s).contains("/Chassis/1/PCIeDevices/Slot"));
            }
        }
    }

    @Test
    void processorsWithoutAProcessorTypeAreJudgedByArchitectureAndModel() {
        try (TestBmc bmc = TestBmc.serving("synthetic/hgx-h100-baseboard").start()) {
            bmc.edit("/redfish/v1/Systems/System_0/Processors/CPU_0", p -> {
                p.remove("ProcessorType");
                p.put("ProcessorArchitecture", "x86");
            });
            for (int i = 1; i <= 8; i++) bmc.edit("/redfish/v1/Systems/HGX_Baseboard_0/Processors/GPU_SXM_" + i, p -> p.remove("ProcessorType"));
            try (RedfishBmc client = Bmcs.connect(bmc)) {
                Inventory inv = client.inventory().inventory();
                assertThat(inv.sockets()).isEqualTo(2);
                assertThat(inv.gpus()).hasSize(8).allSatisfy(g -> assertThat(g.model()).isEqualTo("NVIDIA H100 80GB HBM3"));
            }
        }
    }
}
