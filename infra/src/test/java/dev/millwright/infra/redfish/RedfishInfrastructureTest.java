package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.Health;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The infrastructure port over Redfish, against test BMCs: what a machine controller or lifecycle engine would call. */
class RedfishInfrastructureTest {
    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-05T09:00:00Z"));

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }
    }

    private static RedfishInfrastructure infra(TestClock clock) {
        return new RedfishInfrastructure(m -> Bmcs.connection(m.bmcEndpoint()), clock);
    }

    @Test
    void readsInventoryOnceInTenMinutesAndHealthEachTime() {
        TestClock clock = new TestClock();
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            RedfishInfrastructure infra = infra(clock);
            infra.enroll(new MachineRef("tower-1", bmc.url(), "bmc-tower-1"));
            assertThat(infra.inventory("tower-1").gpus()).hasSize(2);
            int afterFirst = bmc.requests().size();
            infra.inventory("tower-1");
            assertThat(bmc.requests()).hasSize(afterFirst);
            clock.advance(Duration.ofMinutes(11));
            infra.inventory("tower-1");
            assertThat(bmc.requests().size()).isGreaterThan(afterFirst);

            Health h = infra.health("tower-1");
            assertThat(h.reachable()).isTrue();
            assertThat(h.power()).isEqualTo(Health.PowerState.ON);
            assertThat(h.healthy()).isTrue();
            infra.release("tower-1");
        }
    }

    @Test
    void aPowerOperationSucceedsWhenTheBmcShowsThePowerState() {
        TestClock clock = new TestClock();
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start()) {
            RedfishInfrastructure infra = infra(clock);
            infra.enroll(new MachineRef("x1000c0s0b0n0", bmc.url() + "/redfish/v1/Systems/Node0", null));
            Operation off = infra.power("x1000c0s0b0n0", PowerAction.OFF);
            assertThat(off.state()).isEqualTo(Operation.State.RUNNING);
            assertThat(off.message()).isEqualTo("sent ResetType Off");
            assertThat(infra.operation(off.id()).state()).isEqualTo(Operation.State.SUCCEEDED);
            assertThat(infra.health("x1000c0s0b0n0").power()).isEqualTo(Health.PowerState.OFF);

            Operation restart = infra.power("x1000c0s0b0n0", PowerAction.RESTART);
            assertThat(restart.message()).as("off, so a restart powers on").isEqualTo("sent ResetType On");
            Operation refused = infra.power("x1000c0s0b0n0", PowerAction.RESTART);
            assertThat(refused.state()).isEqualTo(Operation.State.FAILED);
            assertThat(refused.message()).contains("allows ForceOff, On, Off");
            assertThat(infra.operations("x1000c0s0b0n0")).extracting(Operation::kind).containsExactly("power-off", "power-restart", "power-restart");
        }
    }

    @Test
    void powerAndInstallOperationsStartedBeforeARestartOfMillwrightAreJudgedAgainNotLost() {
        TestClock clock = new TestClock();
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            MachineRef tower = new MachineRef("tower-1", bmc.url(), null);
            RedfishInfrastructure before = infra(clock);
            before.enroll(tower);
            Operation off = before.power("tower-1", PowerAction.OFF);
            assertThat(off.id()).startsWith("redfish:tower-1:power:OFF:");

            RedfishInfrastructure after = infra(clock);
            after.enroll(tower);
            int requests = bmc.requests().size();
            Operation powered = after.operation(off.id());
            assertThat(powered.kind()).isEqualTo("power-off");
            assertThat(powered.started()).isEqualTo(off.started());
            assertThat(powered.state()).as("judged by the power state the BMC shows").isEqualTo(Operation.State.SUCCEEDED);

            Operation install = after.install("tower-1", BootSource.PXE, "ubuntu-24.04");
            assertThat(install.id()).startsWith("redfish:tower-1:boot:PXE:");
            // the machine hangs in POST: the one-time override is still set when Millwright comes back
            bmc.edit("/redfish/v1/Systems/437XR1238R2", s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s.get("Boot")).put("BootSourceOverrideEnabled", "Once"));
            RedfishInfrastructure again = infra(clock);
            again.enroll(tower);
            int beforeLooks = bmc.requests().size();
            Operation booting = again.operation(install.id());
            assertThat(booting.kind()).isEqualTo("install");
            assertThat(booting.state()).isEqualTo(Operation.State.RUNNING);
            assertThat(bmc.requests().subList(beforeLooks, bmc.requests().size())).as("nothing asked again, only looked at (after a log-in)")
                    .isNotEmpty().allSatisfy(r -> assertThat(r.method().equals("GET") || r.path().equals("/redfish/v1/SessionService/Sessions")).isTrue());
            assertThat(requests).isLessThan(beforeLooks);

            clock.advance(Duration.ofMinutes(31)); // the deadline counts from when it was asked, before the restart
            assertThat(again.operation(install.id()).message()).isEqualTo("the machine did not boot from pxe within 30 min (the one-time override is still set)");
            assertThatThrownBy(() -> again.operation("redfish:tower-1:power:SIDEWAYS:1:1")).isInstanceOf(UnreachableException.class);
        }
    }

    @Test
    void installsByPxeBootingOnceAndTheOperationEndsWhenTheOverrideIsUsed() {
        TestClock clock = new TestClock();
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            RedfishInfrastructure infra = infra(clock);
            infra.enroll(new MachineRef("tower-1", bmc.url(), null));
            Operation op = infra.install("tower-1", BootSource.PXE, "ubuntu-24.04");
            assertThat(op.state()).isEqualTo(Operation.State.RUNNING);
            assertThat(op.message()).isEqualTo("booting ubuntu-24.04 from pxe (ResetType GracefulRestart)");
            assertThat(bmc.boots()).containsExactly("437XR1238R2:Pxe");
            Operation done = infra.operation(op.id());
            assertThat(done.state()).isEqualTo(Operation.State.SUCCEEDED);
            assertThat(done.message()).startsWith("booted from pxe");
        }
    }

    @Test
    void installsFromVirtualMediaOnTheRackmount() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.RACKMOUNT).start()) {
            RedfishInfrastructure infra = infra(new TestClock());
            infra.enroll(new MachineRef("rack-1", bmc.url(), null));
            String iso = "http://10.0.0.1/images/rhel-9.6-x86_64-boot.iso";
            Operation op = infra.install("rack-1", BootSource.VIRTUAL_MEDIA, iso);
            assertThat(op.state()).as(op.message()).isEqualTo(Operation.State.RUNNING);
            assertThat(bmc.resource("/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD1").path("Image").asText()).isEqualTo(iso);
            assertThat(bmc.boots()).containsExactly("437XR1138R2:Cd");
            assertThat(infra.operation(op.id()).state()).isEqualTo(Operation.State.SUCCEEDED);
        }
    }

    @Test
    void installsOnTheBladeThatAllowsNoRestartByAForcedOffAndOn() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start()) {
            RedfishInfrastructure infra = infra(new TestClock());
            infra.enroll(new MachineRef("node1", bmc.url() + "/redfish/v1/Systems/Node1", null));
            Operation op = infra.install("node1", BootSource.PXE, "sles-15");
            assertThat(op.message()).isEqualTo("booting sles-15 from pxe (no restart allowed: ResetType ForceOff, then On)");
            assertThat(bmc.boots()).containsExactly("Node1:Pxe");
            Operation cd = infra.install("node1", BootSource.VIRTUAL_MEDIA, "http://10.0.0.1/sles.iso");
            assertThat(cd.state()).isEqualTo(Operation.State.FAILED);
            assertThat(cd.message()).contains("has no VirtualMedia");
        }
    }

    @Test
    void anInstallWhoseBootNeverHappensFailsAfterTheDeadline() {
        TestClock clock = new TestClock();
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            RedfishInfrastructure infra = infra(clock);
            infra.enroll(new MachineRef("tower-1", bmc.url(), null));
            bmc.faults().failNext(3, 503, "POST", "ComputerSystem.Reset"); // busy on every one of the 3 tries
            Operation op = infra.install("tower-1", BootSource.PXE, "ubuntu");
            assertThat(op.state()).isEqualTo(Operation.State.FAILED);
            assertThat(op.message()).contains("HTTP 503");

            // the reset went through, but the machine never used the override (it hung in POST)
            Operation hung = infra.install("tower-1", BootSource.DISK, "local");
            bmc.edit("/redfish/v1/Systems/437XR1238R2", s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s.get("Boot")).put("BootSourceOverrideEnabled", "Once"));
            assertThat(infra.operation(hung.id()).state()).isEqualTo(Operation.State.RUNNING);
            clock.advance(Duration.ofMinutes(31));
            Operation failed = infra.operation(hung.id());
            assertThat(failed.state()).isEqualTo(Operation.State.FAILED);
            assertThat(failed.message()).isEqualTo("the machine did not boot from disk within 30 min (the one-time override is still set)");
        }
    }

    @Test
    void followsAFirmwareTaskAlsoAfterARestartOfMillwright() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).taskPolls(2).start()) {
            RedfishInfrastructure infra = infra(new TestClock());
            MachineRef tower = new MachineRef("tower-1", bmc.url(), null);
            infra.enroll(tower);
            Operation op = infra.updateFirmware("tower-1", "http://10.0.0.1/fw/bios-2.5.0.bin", List.of());
            assertThat(op.id()).startsWith("redfish:tower-1:task:/redfish/v1/TaskService/TaskMonitors/");
            assertThat(infra.operation(op.id()).state()).isEqualTo(Operation.State.RUNNING);

            RedfishInfrastructure restarted = infra(new TestClock());
            restarted.enroll(tower);
            Operation done = restarted.operation(op.id());
            assertThat(done.state()).isEqualTo(Operation.State.SUCCEEDED);
            assertThat(restarted.inventory("tower-1").firmware()).contains(new dev.millwright.infra.Inventory.Firmware("BIOS", "2.5.0"));

            bmc.faults().failTasks("flash write failed at 0x3f0000");
            Operation failing = infra.updateFirmware("tower-1", "http://10.0.0.1/fw/bmc-9.9.bin", List.of());
            Operation failed = infra.operation(failing.id());
            for (int i = 0; i < 5 && !failed.done(); i++) failed = infra.operation(failing.id());
            assertThat(failed.state()).isEqualTo(Operation.State.FAILED);
            assertThat(failed.message()).isEqualTo("flash write failed at 0x3f0000");
        }
    }

    @Test
    void anUnreachableBmcIsUnhealthyWithTheReasonAndItsInventoryUnreachable() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedfishInfrastructure infra = infra(new TestClock());
        infra.enroll(new MachineRef("gone", "http://127.0.0.1:" + port, null));
        Health h = infra.health("gone");
        assertThat(h.reachable()).isFalse();
        assertThat(h.message()).startsWith("cannot reach BMC http://127.0.0.1:" + port);
        assertThatThrownBy(() -> infra.inventory("gone")).isInstanceOf(UnreachableException.class).hasMessageContaining("connection refused");
        assertThatThrownBy(() -> infra.inventory("never-enrolled")).isInstanceOf(UnreachableException.class);
    }

    @Test
    void refusesTwinEndpointsAndWhatOnlyTheNodesAgentCanDo() {
        RedfishInfrastructure infra = infra(new TestClock());
        assertThatThrownBy(() -> infra.enroll(new MachineRef("t", "twin://hgx-h100/t", null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> infra.cordon("m")).isInstanceOf(RedfishInfrastructure.InBandOnlyException.class)
                .hasMessage("cordoning m needs the node's own agent (in-band); a BMC over Redfish cannot do it");
        assertThatThrownBy(() -> infra.installPack("m", "gpu-driver", "580.95.05")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> infra.gpuTelemetry("m")).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("DCGM");
    }
}
