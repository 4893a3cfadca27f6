package dev.millwright.infra.twin;

import static dev.millwright.infra.twin.TwinFixtures.await;
import static dev.millwright.infra.twin.TwinFixtures.machine;
import static dev.millwright.infra.twin.TwinFixtures.readyTwin;
import static dev.millwright.infra.twin.TwinFixtures.succeeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.GpuSample;
import dev.millwright.infra.Health;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import dev.millwright.infra.twin.Twin.FaultKind;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Faults injected by hand and drawn at random: each is visible in health and in what the port answers. */
class TwinFaultsTest {
    private static final List<Integer> ALL_GPUS = List.of(0, 1, 2, 3, 4, 5, 6, 7);

    private final Twin twin = readyTwin(FaultRates.NONE);

    private void readyWithTraining(String machine, String workload) {
        twin.enroll(machine(machine, "hgx-h100"));
        succeeds(twin, twin.startWorkload(new WorkloadPlacement(workload, machine, ALL_GPUS, 1000, 0)));
        assertThat(twin.workload(workload).state()).isEqualTo(WorkloadObservation.State.RUNNING);
    }

    @Test
    void aDeadMachineIsUnreachableFailsItsWorkloadsAndDoesNotComeBackFromARestart() {
        readyWithTraining("m1", "train");

        twin.inject("m1", FaultKind.MACHINE_DEATH);

        Health h = twin.health("m1");
        assertThat(h.reachable()).isFalse();
        assertThat(h.dead()).isTrue();
        assertThat(h.healthy()).isFalse();
        assertThatThrownBy(() -> twin.inventory("m1"))
                .isInstanceOf(UnreachableException.class).hasMessageContaining("dead");
        assertThatThrownBy(() -> twin.gpuTelemetry("m1")).isInstanceOf(UnreachableException.class);
        WorkloadObservation w = twin.workload("train");
        assertThat(w.state()).isEqualTo(WorkloadObservation.State.FAILED);
        assertThat(w.message()).contains("died");

        Operation restart = await(twin, twin.power("m1", PowerAction.RESTART), Duration.ofMinutes(10));
        assertThat(restart.state()).isEqualTo(Operation.State.FAILED);
        assertThat(restart.message()).contains("did not come back");
        assertThat(twin.health("m1").dead()).isTrue();
        assertThat(twin.history()).anySatisfy(line -> assertThat(line).contains("m1 fault: machine died"));
    }

    @Test
    void aGpuThatFallsOffTheBusFailsItsWorkloadUntilARestartBringsItBack() {
        readyWithTraining("m1", "train");

        twin.inject("m1", FaultKind.GPU_XID);

        Health h = twin.health("m1");
        assertThat(h.reachable()).isTrue();
        assertThat(h.gpuFaults()).singleElement().satisfies(f -> {
            assertThat(f.xid()).isEqualTo(79);
            assertThat(f.description()).contains("fallen off the bus");
        });
        assertThat(h.healthy()).isFalse();
        int gpu = h.gpuFaults().get(0).gpu();
        assertThat(h.message()).startsWith("GPU " + gpu);
        WorkloadObservation w = twin.workload("train");
        assertThat(w.state()).isEqualTo(WorkloadObservation.State.FAILED);
        assertThat(w.message()).contains("GPU " + gpu + " fell off the bus");
        assertThat(twin.gpuTelemetry("m1")).filteredOn(s -> !s.healthy()).extracting(GpuSample::gpu).containsExactly(gpu);
        Operation refused = twin.startWorkload(new WorkloadPlacement("retry", "m1", List.of(gpu), 1000, 0));
        assertThat(refused.state()).isEqualTo(Operation.State.FAILED);
        assertThat(refused.message()).contains("GPU " + gpu + " has failed");

        succeeds(twin, twin.power("m1", PowerAction.RESTART));

        assertThat(twin.health("m1").gpuFaults()).isEmpty();
        assertThat(twin.health("m1").healthy()).isTrue();
        succeeds(twin, twin.startWorkload(new WorkloadPlacement("retry", "m1", List.of(gpu), 1000, 0)));
    }

    @Test
    void aMachinePoweredOffWithItsFirstGpuFailedReportsEveryGpuIdle() {
        twin.enroll(machine("m1", "hgx-h100"));
        for (int i = 0; i < 200 && twin.health("m1").gpuFaults().stream().noneMatch(f -> f.gpu() == 0); i++) {
            twin.inject("m1", FaultKind.GPU_XID);
        }
        assertThat(twin.health("m1").gpuFaults()).anySatisfy(f -> assertThat(f.gpu()).isZero());
        twin.advance(Duration.ofMinutes(2));
        assertThat(twin.gpuTelemetry("m1")).anySatisfy(s -> assertThat(s.powerWatts()).isGreaterThan(50));

        succeeds(twin, twin.power("m1", PowerAction.OFF));
        twin.advance(Duration.ofMinutes(2));

        assertThat(twin.gpuTelemetry("m1")).allSatisfy(s -> {
            assertThat(s.utilization()).isZero();
            assertThat(s.powerWatts()).isZero();
        });
    }

    @Test
    void aBmcThatStopsAnsweringComesBackAfterItsOutage() {
        twin.enroll(machine("m1", "hgx-h100"));

        twin.inject("m1", FaultKind.BMC_UNREACHABLE);

        assertThat(twin.health("m1").reachable()).isFalse();
        assertThat(twin.health("m1").dead()).isFalse();
        assertThatThrownBy(() -> twin.inventory("m1")).isInstanceOf(UnreachableException.class);
        Operation power = twin.power("m1", PowerAction.RESTART);
        assertThat(power.state()).isEqualTo(Operation.State.FAILED);
        assertThat(power.message()).contains("BMC does not answer");

        twin.advance(Duration.ofMinutes(FaultRates.BMC_OUTAGE_MINUTES).minusSeconds(1));
        assertThat(twin.health("m1").reachable()).isFalse();

        twin.advance(Duration.ofSeconds(1));
        assertThat(twin.health("m1").reachable()).isTrue();
        assertThat(twin.health("m1").healthy()).isTrue();
        assertThat(twin.inventory("m1").gpus()).hasSize(8);
    }

    @Test
    void aSlowNodeStaysSlowUntilRestarted() {
        readyWithTraining("m1", "serve");

        twin.inject("m1", FaultKind.SLOW_NODE);
        twin.advance(Duration.ofHours(6));

        Health h = twin.health("m1");
        assertThat(h.slow()).isTrue();
        assertThat(h.healthy()).isFalse();
        assertThat(h.message()).contains("third");
        assertThat(twin.workload("serve").latencyMs()).isGreaterThan(100);
        assertThat(twin.gpuTelemetry("m1")).allSatisfy(s -> assertThat(s.utilization()).isLessThan(0.4));

        succeeds(twin, twin.power("m1", PowerAction.RESTART));

        assertThat(twin.health("m1").slow()).isFalse();
        assertThat(twin.health("m1").healthy()).isTrue();
    }

    @Test
    void aBurnInThatAlwaysFindsABadPartFailsNamingTheGpu() {
        Twin bad = readyTwin(new FaultRates(0, 0, 0, 0, 1.0));
        bad.enroll(machine("m1", "hgx-h200"));

        Operation burnIn = await(bad, bad.burnIn("m1", Duration.ofHours(2)), Duration.ofHours(3));

        assertThat(burnIn.state()).isEqualTo(Operation.State.FAILED);
        assertThat(burnIn.message()).matches("GPU [0-7] failed the DCGM level-3 diagnostic.*");
        int gpu = Integer.parseInt(burnIn.message().substring(4, 5));
        assertThat(bad.health("m1").gpuFaults()).singleElement().satisfies(f -> assertThat(f.gpu()).isEqualTo(gpu));
    }

    @Test
    void aBurnInWithNoFailureRateSucceedsAfterItsLength() {
        Twin good = readyTwin(new FaultRates(0, 0, 0, 0, 0));
        good.enroll(machine("m1", "hgx-h200"));

        Operation burnIn = succeeds(good, good.burnIn("m1", Duration.ofHours(2)));

        TwinFixtures.assertAbout(burnIn, Duration.ofHours(2), 1);
        assertThat(good.health("m1").healthy()).isTrue();
    }

    @Test
    void randomFaultsOnAThousandNodesOverThirtyDaysArriveAtTheirRates() {
        int nodes = 1000;
        int days = 30;
        Twin fleet = Twin.builder().seed(2026).faults(FaultRates.REALISTIC).telemetryInterval(Duration.ofMinutes(10)).build();
        for (int i = 0; i < nodes; i++) fleet.enroll(machine(String.format("n%04d", i), "hgx-h100"));

        fleet.advance(Duration.ofDays(days));

        List<String> history = fleet.history();
        assertThat(fleet.historySize()).as("history kept whole").isEqualTo(history.size());
        long deaths = count(history, "fault: machine died");
        long xids = count(history, "fault: GPU");
        long bmc = count(history, "fault: BMC unreachable");
        long slow = count(history, "fault: slow node");
        assertNear("machine deaths", deaths, FaultRates.REALISTIC.machineDeath() * nodes * days);
        assertNear("GPU Xids", xids, FaultRates.REALISTIC.gpuXid() * nodes * days);
        assertNear("BMC outages", bmc, FaultRates.REALISTIC.bmcUnreachable() * nodes * days);
        assertNear("slow nodes", slow, FaultRates.REALISTIC.slowNode() * nodes * days);
        long deadInHealth = IntStream.range(0, nodes)
                .filter(i -> fleet.health(String.format("n%04d", i)).dead()).count();
        assertThat(deadInHealth).as("every death shows in health").isEqualTo(deaths);
    }

    private static long count(List<String> history, String what) {
        return history.stream().filter(line -> line.contains(what)).count();
    }

    /** Within four standard deviations of a Poisson count with that mean: generous, and fixed by the seed anyway. */
    private static void assertNear(String what, long observed, double expected) {
        double tolerance = 4 * Math.sqrt(expected);
        assertThat((double) observed).as("%s: %d observed, %.1f expected", what, observed, expected)
                .isPositive()
                .isBetween(expected - tolerance, expected + tolerance);
    }
}
