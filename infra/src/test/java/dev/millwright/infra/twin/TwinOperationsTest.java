package dev.millwright.infra.twin;

import static dev.millwright.infra.twin.TwinFixtures.assertAbout;
import static dev.millwright.infra.twin.TwinFixtures.await;
import static dev.millwright.infra.twin.TwinFixtures.bringUp;
import static dev.millwright.infra.twin.TwinFixtures.machine;
import static dev.millwright.infra.twin.TwinFixtures.readyTwin;
import static dev.millwright.infra.twin.TwinFixtures.succeeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.GpuSample;
import dev.millwright.infra.Health;
import dev.millwright.infra.Health.NodeState;
import dev.millwright.infra.Health.PowerState;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import dev.millwright.infra.twin.Twin.FaultKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The port's operations on the twin: what each does to a machine and how long it takes. */
class TwinOperationsTest {
    private static final List<Integer> ALL_GPUS = List.of(0, 1, 2, 3, 4, 5, 6, 7);

    private final Twin twin = Twin.builder().seed(3).build();

    @Test
    void aBareMachineEnrolsPoweredOffWithNothingOnIt() {
        twin.enroll(machine("m1", "hgx-h100"));

        Health h = twin.health("m1");
        assertThat(h.reachable()).isTrue();
        assertThat(h.power()).isEqualTo(PowerState.OFF);
        assertThat(h.node()).isEqualTo(NodeState.NONE);
        assertThat(h.healthy()).isTrue();
        assertThat(twin.inventory("m1").gpus()).hasSize(8)
                .allSatisfy(g -> assertThat(g.model()).isEqualTo("NVIDIA H100 80GB HBM3"));
        assertThat(twin.machineCount()).isEqualTo(1);
        assertThat(twin.gpuCount()).isEqualTo(8);
    }

    @Test
    void enrollingTheSameMachineTwiceIsANoOp() {
        twin.enroll(machine("m1", "l40s-4x"));
        twin.enroll(machine("m1", "l40s-4x"));

        assertThat(twin.machineCount()).isEqualTo(1);
        assertThat(twin.gpuCount()).isEqualTo(4);
    }

    @Test
    void powerOnRunsThroughPostForAboutFourMinutes() {
        twin.enroll(machine("m1", "hgx-h100"));

        Operation op = twin.power("m1", PowerAction.ON);
        assertThat(op.state()).isEqualTo(Operation.State.RUNNING);
        assertThat(op.kind()).isEqualTo("power-on");

        twin.advance(Duration.ofMinutes(3));
        assertThat(twin.operation(op.id()).state()).as("not done before 0.8 x 4 min").isEqualTo(Operation.State.RUNNING);
        assertThat(twin.health("m1").power()).isEqualTo(PowerState.OFF);

        twin.advance(Duration.ofMinutes(2));
        Operation done = twin.operation(op.id());
        assertThat(done.state()).as("done by 1.2 x 4 min").isEqualTo(Operation.State.SUCCEEDED);
        assertAbout(done, Twin.POWER_ON, 1);
        assertThat(twin.health("m1").power()).isEqualTo(PowerState.ON);
        assertThat(twin.health("m1").node()).isEqualTo(NodeState.NONE);
    }

    @Test
    void powerOffTakesAboutHalfAMinute() {
        twin.enroll(machine("m1", "hgx-h100"));
        succeeds(twin, twin.power("m1", PowerAction.ON));

        Operation off = succeeds(twin, twin.power("m1", PowerAction.OFF));

        assertAbout(off, Twin.POWER_OFF, 1);
        assertThat(twin.health("m1").power()).isEqualTo(PowerState.OFF);
    }

    @Test
    void installIsRefusedWhileThePowerIsOff() {
        twin.enroll(machine("m1", "hgx-h100"));

        Operation op = twin.install("m1", BootSource.PXE, "ubuntu-24.04");

        assertThat(op.state()).isEqualTo(Operation.State.FAILED);
        assertThat(op.message()).contains("powered off");
        assertThat(twin.history()).anySatisfy(line -> assertThat(line).contains("m1 install refused"));
    }

    @Test
    void installOnAPoweredMachineTakesAboutEighteenMinutesAndLeavesAnOs() {
        twin.enroll(machine("m1", "hgx-h100"));
        succeeds(twin, twin.power("m1", PowerAction.ON));

        Operation install = succeeds(twin, twin.install("m1", BootSource.VIRTUAL_MEDIA, "ubuntu-24.04"));

        assertAbout(install, Twin.INSTALL, 1);
        assertThat(twin.health("m1").node()).isEqualTo(NodeState.OS);
    }

    @Test
    void aLayerNeedsAnOperatingSystem() {
        twin.enroll(machine("m1", "hgx-h100"));
        succeeds(twin, twin.power("m1", PowerAction.ON));

        Operation op = twin.installPack("m1", "gpu-driver", "570.172.08");

        assertThat(op.state()).isEqualTo(Operation.State.FAILED);
        assertThat(op.message()).contains("no operating system");
    }

    @Test
    void theNodeReportsThePacksItRunsAndLosesTheOnesRemoved() {
        twin.enroll(machine("m1", "hgx-h100"));
        succeeds(twin, twin.power("m1", PowerAction.ON));
        succeeds(twin, twin.install("m1", BootSource.PXE, "ubuntu-24.04"));
        succeeds(twin, twin.installPack("m1", "kubernetes", "1.33.4"));
        succeeds(twin, twin.installPack("m1", "vllm", "0.8.5"));
        succeeds(twin, twin.installPack("m1", "vllm", "0.9.2"));

        assertThat(twin.installedPacks("m1")).containsExactly(
                java.util.Map.entry("kubernetes", "1.33.4"), java.util.Map.entry("ubuntu", "24.04"), java.util.Map.entry("vllm", "0.9.2"));

        succeeds(twin, twin.removePack("m1", "vllm"));
        succeeds(twin, twin.removePack("m1", "vllm"));
        assertThat(twin.installedPacks("m1")).containsOnlyKeys("kubernetes", "ubuntu");

        succeeds(twin, twin.power("m1", PowerAction.OFF));
        assertThatThrownBy(() -> twin.installedPacks("m1")).isInstanceOf(UnreachableException.class);
    }

    @Test
    void theNodeBecomesReadyOnceKubernetesIsInstalled() {
        twin.enroll(machine("m1", "hgx-h200"));
        succeeds(twin, twin.power("m1", PowerAction.ON));
        succeeds(twin, twin.install("m1", BootSource.PXE, "ubuntu-24.04"));

        Operation driver = succeeds(twin, twin.installPack("m1", "gpu-driver", "570.172.08"));
        Operation cuda = succeeds(twin, twin.installPack("m1", "cuda", "12.8"));
        assertThat(twin.health("m1").node()).isEqualTo(NodeState.OS);
        Operation kubernetes = succeeds(twin, twin.installPack("m1", "kubernetes", "1.33.4"));

        assertThat(driver.kind()).isEqualTo("install:gpu-driver@570.172.08");
        assertAbout(driver, Twin.DRIVER, 1);
        assertAbout(cuda, Twin.CUDA, 1);
        assertAbout(kubernetes, Twin.KUBERNETES, 1);
        assertThat(twin.health("m1").node()).isEqualTo(NodeState.READY);
    }

    @Test
    void cordonAndUncordonTurnTheNodeUnschedulableAndBack() {
        twin.enroll(machine("m1", "hgx-h100"));
        bringUp(twin, "m1");

        Operation cordon = succeeds(twin, twin.cordon("m1"));
        assertAbout(cordon, Twin.CORDON, 1);
        assertThat(twin.health("m1").node()).isEqualTo(NodeState.CORDONED);
        assertThat(twin.startWorkload(new WorkloadPlacement("w1", "m1", List.of(0), 1000, 0)).message())
                .contains("not a schedulable node");

        succeeds(twin, twin.uncordon("m1"));
        assertThat(twin.health("m1").node()).isEqualTo(NodeState.READY);
    }

    @Test
    void cordonOfAMachineThatIsNoNodeFails() {
        twin.enroll(machine("m1", "hgx-h100"));

        Operation op = await(twin, twin.cordon("m1"), Duration.ofMinutes(1));

        assertThat(op.state()).isEqualTo(Operation.State.FAILED);
        assertThat(op.message()).contains("not a node");
    }

    @Test
    void drainCordonsTheNodeAndEvictsItsWorkloadsAfterTheGracePeriod() {
        Twin ready = readyTwin(FaultRates.NONE);
        ready.enroll(machine("m1", "hgx-h100"));
        succeeds(ready, ready.startWorkload(new WorkloadPlacement("train", "m1", ALL_GPUS, 1000, 0)));

        Operation drain = succeeds(ready, ready.drain("m1", Duration.ofMinutes(2)));

        assertAbout(drain, Duration.ofMinutes(2).plus(Twin.EVICTION), 1);
        assertThat(ready.health("m1").node()).isEqualTo(NodeState.CORDONED);
        assertThat(ready.workload("train").state()).isEqualTo(WorkloadObservation.State.STOPPED);
    }

    @Test
    void everyOperationOfASlowMachineTakesAboutThreeTimesAsLong() {
        twin.enroll(machine("m1", "hgx-h100"));
        twin.inject("m1", FaultKind.SLOW_NODE);

        Operation on = succeeds(twin, twin.power("m1", PowerAction.ON));
        Operation install = succeeds(twin, twin.install("m1", BootSource.PXE, "ubuntu-24.04"));
        Operation driver = succeeds(twin, twin.installPack("m1", "gpu-driver", "570.172.08"));

        assertAbout(on, Twin.POWER_ON, 3);
        assertAbout(install, Twin.INSTALL, 3);
        assertAbout(driver, Twin.DRIVER, 3);
    }

    @Test
    void aWorkloadRunsItsGpusHotThenSucceedsWhenItsWorkIsDone() {
        twin.enroll(machine("m1", "hgx-h100"));
        bringUp(twin, "m1");
        double oneHourOnEightGpus = 8 * 3600.0;

        Operation start = twin.startWorkload(new WorkloadPlacement("train", "m1", ALL_GPUS, 1000, oneHourOnEightGpus));
        assertThat(twin.workload("train").state()).isEqualTo(WorkloadObservation.State.PENDING);
        assertAbout(succeeds(twin, start), Twin.IMAGE_PULL, 1);
        twin.advance(Duration.ofMinutes(10));

        WorkloadObservation running = twin.workload("train");
        assertThat(running.state()).isEqualTo(WorkloadObservation.State.RUNNING);
        assertThat(running.progress()).isBetween(0.1, 0.3);
        assertThat(twin.gpuTelemetry("m1")).hasSize(8).allSatisfy(s -> {
            assertThat(s.utilization()).isGreaterThan(0.8);
            assertThat(s.powerWatts()).isGreaterThan(500);
            assertThat(s.memoryUsedGiB()).isGreaterThan(60);
            assertThat(s.healthy()).isTrue();
        });

        twin.advance(Duration.ofMinutes(55));
        WorkloadObservation finished = twin.workload("train");
        assertThat(finished.state()).isEqualTo(WorkloadObservation.State.SUCCEEDED);
        assertThat(finished.progress()).isEqualTo(1.0);
        assertThat(twin.history()).anySatisfy(line -> assertThat(line).contains("workload train SUCCEEDED"));

        twin.advance(Duration.ofMinutes(2));
        assertThat(twin.gpuTelemetry("m1")).allSatisfy(s -> {
            assertThat(s.utilization()).isLessThan(0.02);
            assertThat(s.memoryUsedGiB()).isZero();
        });
    }

    @Test
    void aStoppedWorkloadReportsStoppedAndFreesItsGpus() {
        Twin ready = readyTwin(FaultRates.NONE);
        ready.enroll(machine("m1", "hgx-h100"));
        succeeds(ready, ready.startWorkload(new WorkloadPlacement("serve", "m1", List.of(0), 1000, 0)));

        succeeds(ready, ready.stopWorkload("serve"));

        assertThat(ready.workload("serve").state()).isEqualTo(WorkloadObservation.State.STOPPED);
        succeeds(ready, ready.startWorkload(new WorkloadPlacement("next", "m1", List.of(0), 1000, 0)));
    }

    @Test
    void aGpuCannotBeSharedBeyondItsWhole() {
        Twin ready = readyTwin(FaultRates.NONE);
        ready.enroll(machine("m1", "hgx-h100"));
        succeeds(ready, ready.startWorkload(new WorkloadPlacement("a", "m1", List.of(0, 1), 600, 0)));

        Operation over = ready.startWorkload(new WorkloadPlacement("b", "m1", List.of(1), 500, 0));
        Operation fits = ready.startWorkload(new WorkloadPlacement("c", "m1", List.of(1), 400, 0));

        assertThat(over.state()).isEqualTo(Operation.State.FAILED);
        assertThat(over.message()).contains("GPU 1 is fully allocated");
        assertThat(succeeds(ready, fits).state()).isEqualTo(Operation.State.SUCCEEDED);
        ready.advance(Duration.ofMinutes(1));
        List<GpuSample> samples = ready.gpuTelemetry("m1");
        assertThat(samples.get(1).utilization()).isGreaterThan(0.8);
        assertThat(samples.get(2).utilization()).isLessThan(0.02);
    }

    @Test
    void aPlacementOnAGpuTheMachineLacksOrTwiceUnderOneNameIsRefused() {
        Twin ready = readyTwin(FaultRates.NONE);
        ready.enroll(machine("m1", "l40s-4x"));
        succeeds(ready, ready.startWorkload(new WorkloadPlacement("a", "m1", List.of(0), 1000, 0)));

        assertThat(ready.startWorkload(new WorkloadPlacement("b", "m1", List.of(4), 1000, 0)).message())
                .contains("no GPU 4");
        assertThat(ready.startWorkload(new WorkloadPlacement("a", "m1", List.of(1), 1000, 0)).message())
                .contains("already placed");
        assertThat(ready.startWorkload(new WorkloadPlacement("c", "m1", List.of(1), 0, 0)).message())
                .contains("gpuShare");
    }

    @Test
    void anUnknownMachineIsUnreachable() {
        assertThatThrownBy(() -> twin.power("ghost", PowerAction.ON))
                .isInstanceOf(UnreachableException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> twin.inventory("ghost"))
                .isInstanceOf(UnreachableException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> twin.gpuTelemetry("ghost"))
                .isInstanceOf(UnreachableException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> twin.operation("op-999"))
                .isInstanceOf(UnreachableException.class).hasMessageContaining("op-999");
        Health h = twin.health("ghost");
        assertThat(h.reachable()).isFalse();
        assertThat(h.message()).contains("ghost");
    }

    @Test
    void anUnknownHardwareProfileIsRefusedByName() {
        assertThatThrownBy(() -> twin.enroll(machine("m1", "dgx-a100")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dgx-a100")
                .hasMessageContaining("hgx-h100");
        assertThatThrownBy(() -> twin.enroll(new MachineRef("m2", "https://10.0.0.2", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a twin endpoint");
        assertThat(twin.machineCount()).isZero();
    }
}
