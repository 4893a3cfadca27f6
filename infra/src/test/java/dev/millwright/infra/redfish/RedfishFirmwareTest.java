package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.Inventory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Firmware by UpdateService.SimpleUpdate, followed through the task monitor, on each mockup. The EX235n's
 * SimpleUpdateActionInfo requires a TransferProtocol (HTTP or HTTPS) and lists the items it may target.
 */
class RedfishFirmwareTest {
    static final String IMAGE = "http://10.0.0.1/firmware/bmc-2.0.1.bin";

    static List<String> mockups() {
        return TestBmc.MOCKUPS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void followsTheTaskMonitorToCompletedAndTheInventoryShowsTheNewVersion(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).taskPolls(3).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            TaskStatus started = client.updateFirmware(IMAGE, List.of());
            assertThat(started.state()).isEqualTo(TaskStatus.State.RUNNING);
            assertThat(started.monitor()).startsWith("/redfish/v1/TaskService/TaskMonitors/");

            TaskStatus done = client.awaitTask(started, Duration.ofSeconds(10), Duration.ofMillis(10));
            assertThat(done.state()).isEqualTo(TaskStatus.State.COMPLETED);
            assertThat(done.percent()).isEqualTo(100);
            assertThat(bmc.requests()).filteredOn(r -> r.path().contains("/TaskMonitors/")).extracting(TestBmc.Request::status)
                    .containsExactly(202, 202, 200);
            assertThat(client.inventory().inventory().firmware()).contains(new Inventory.Firmware("BMC", "2.0.1"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void aTaskThatFailsIsReportedFailedWithTheBmcsMessage(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            bmc.faults().failTasks("Image signature verification failed: bmc-2.0.1.bin is not signed by Contoso");
            TaskStatus done = client.awaitTask(client.updateFirmware(IMAGE, List.of()), Duration.ofSeconds(10), Duration.ofMillis(10));
            assertThat(done.state()).isEqualTo(TaskStatus.State.FAILED);
            assertThat(done.message()).isEqualTo("Image signature verification failed: bmc-2.0.1.bin is not signed by Contoso");
            assertThat(client.inventory().inventory().firmware()).doesNotContain(new Inventory.Firmware("BMC", "2.0.1"));
        }
    }

    @Test
    void sendsTheTransferProtocolTheEx235nRequiresAndRefusesOneItDoesNotList() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            assertThat(client.updateFirmware("https://10.0.0.1/fw/ex235n.bios-1.3.0.bin",
                    List.of("/redfish/v1/UpdateService/FirmwareInventory/Node0.BIOS")).state()).isEqualTo(TaskStatus.State.RUNNING);
            assertThatThrownBy(() -> client.updateFirmware("ftp://10.0.0.1/fw/bmc.bin", List.of()))
                    .isInstanceOfSatisfying(RedfishException.class, e -> {
                        assertThat(e.failure()).isEqualTo(RedfishException.Failure.NOT_ALLOWED);
                        assertThat(e.getMessage()).endsWith("fetches images over HTTP, HTTPS, not FTP (ftp://10.0.0.1/fw/bmc.bin)");
                    });
        }
    }

    @Test
    void refusesATargetTheActionInfoDoesNotListNamingThoseItDoes() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            assertThatThrownBy(() -> client.updateFirmware(IMAGE, List.of("/redfish/v1/UpdateService/FirmwareInventory/Node0.Acc0.VBIOS")))
                    .isInstanceOfSatisfying(RedfishException.class, e -> {
                        assertThat(e.failure()).isEqualTo(RedfishException.Failure.NOT_ALLOWED);
                        assertThat(e.getMessage()).startsWith("SimpleUpdate cannot update /redfish/v1/UpdateService/FirmwareInventory/Node0.Acc0.VBIOS;"
                                + " it can update /redfish/v1/UpdateService/FirmwareInventory/Node0.BIOS, ");
                    });
            assertThat(bmc.requests()).noneMatch(r -> r.method().equals("POST") && r.path().contains("SimpleUpdate"));
        }
    }
}
