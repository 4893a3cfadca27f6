package dev.millwright.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.provision.Day2Engine.Ask;
import dev.millwright.provision.Day2Engine.Observation;
import dev.millwright.provision.Day2Engine.Power;
import dev.millwright.provision.LifecycleEngine.OpState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class Day2EngineTest {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final Ask MAINTENANCE = new Ask(true, false, false, "swap a DIMM");
    private static final Ask MAINTENANCE_OFF = new Ask(true, true, false, "swap a PSU");
    private static final Ask RETIRE = new Ask(false, false, true, "end of lease");

    /** One machine driven pass by pass; {@code world} answers its task in flight. */
    private static final class Node {
        MachineLifecycle m;
        Ask ask = Ask.NONE;
        Instant now = T0;
        Power power = Power.ON;
        int workloads;
        Duration grace = Duration.ZERO;
        final List<String> asked = new ArrayList<>();
        final List<String> retired = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        Node(LifecycleState state) {
            m = MachineLifecycle.registered("r1", "net", 0, T0).in(state, T0);
        }

        Day2Engine.Output pass(Function<MachineLifecycle, OpState> world) {
            OpState op = m.inFlight() ? world.apply(m) : OpState.NONE;
            Observation o = new Observation(op, op == OpState.FAILED ? "BMC timed out" : op == OpState.REFUSED ? "HTTP 401: credentials refused" : "",
                    power, workloads, grace);
            Day2Engine.Output out = Day2Engine.pass(new Day2Engine.Input(Map.of("n1", m), Map.of("n1", ask), Map.of("n1", o), 3,
                    Duration.ofMinutes(1), now));
            m = out.changed().getOrDefault("n1", m);
            for (Day2Engine.Action a : out.actions()) {
                asked.add(a.task().wire());
                if (a.task().operationKind() != null) m = m.started("op-" + asked.size(), now);
                if (a.task() == Day2Task.POWER_OFF) power = Power.OFF;
                if (a.task() == Day2Task.POWER_ON) power = Power.ON;
            }
            retired.addAll(out.retired());
            events.addAll(out.events());
            return out;
        }

        /** Passes with every operation succeeding until nothing changes. */
        void settle() {
            for (int i = 0; i < 20; i++) {
                if (pass(x -> OpState.SUCCEEDED).changed().isEmpty()) return;
            }
        }
    }

    @Test
    void maintenanceDrainsAJoinedNodeThenHoldsItUntilClearedThenUncordonsIt() {
        Node n = new Node(LifecycleState.JOINED);
        n.pass(x -> OpState.SUCCEEDED);
        assertThat(n.m.state()).as("nothing asked: nothing done").isEqualTo(LifecycleState.JOINED);
        n.ask = MAINTENANCE;
        n.pass(x -> OpState.SUCCEEDED);
        assertThat(n.m.state()).isEqualTo(LifecycleState.DRAINING);
        assertThat(n.m.task()).isEqualTo(Day2Task.CORDON);
        assertThat(n.m.reason()).isEqualTo("maintenance: swap a DIMM");
        n.settle();
        assertThat(n.asked).containsExactly("cordon", "drain");
        assertThat(n.m.state()).isEqualTo(LifecycleState.MAINTENANCE);
        assertThat(n.m.task()).isNull();
        assertThat(n.m.message()).isEqualTo("in maintenance, powered on");
        n.ask = Ask.NONE;
        n.settle();
        assertThat(n.asked).containsExactly("cordon", "drain", "uncordon");
        assertThat(n.m.state()).isEqualTo(LifecycleState.JOINED);
        assertThat(n.m.reason()).isNull();
        assertThat(n.m.entered()).containsKeys("Draining", "Maintenance");
    }

    @Test
    void maintenancePowersTheNodeAsAskedAndBackOnWhenCleared() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = MAINTENANCE_OFF;
        n.settle();
        assertThat(n.asked).containsExactly("cordon", "drain", "power-off");
        assertThat(n.m.state()).isEqualTo(LifecycleState.MAINTENANCE);
        assertThat(n.m.message()).isEqualTo("in maintenance, powered off");
        n.ask = Ask.NONE;
        n.settle();
        assertThat(n.asked).containsExactly("cordon", "drain", "power-off", "power-on", "uncordon");
        assertThat(n.m.state()).isEqualTo(LifecycleState.JOINED);
    }

    @Test
    void jobsOnTheNodeGetTheirCheckpointGraceBeforeTheDrainButNoMore() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = MAINTENANCE;
        n.workloads = 2;
        n.grace = Duration.ofMinutes(5);
        n.pass(x -> OpState.SUCCEEDED); // cordon asked
        n.pass(x -> OpState.SUCCEEDED); // cordoned: waits
        assertThat(n.m.task()).isEqualTo(Day2Task.WAIT);
        assertThat(n.m.message()).isEqualTo("waiting for 2 workload replicas to checkpoint or move (up to 300 s)");
        n.now = T0.plus(Duration.ofMinutes(5));
        n.pass(x -> OpState.SUCCEEDED);
        assertThat(n.asked).as("within grace and slack").containsExactly("cordon");
        n.workloads = 1;
        n.now = T0.plus(Duration.ofMinutes(6));
        n.pass(x -> OpState.SUCCEEDED);
        assertThat(n.asked).as("grace and slack are up: drained whatever is left").containsExactly("cordon", "drain");

        Node empty = new Node(LifecycleState.JOINED);
        empty.ask = MAINTENANCE;
        empty.workloads = 1;
        empty.grace = Duration.ofMinutes(5);
        empty.pass(x -> OpState.SUCCEEDED);
        empty.pass(x -> OpState.SUCCEEDED);
        empty.workloads = 0; // the job checkpointed and left
        empty.now = T0.plus(Duration.ofSeconds(30));
        empty.pass(x -> OpState.SUCCEEDED);
        assertThat(empty.asked).containsExactly("cordon", "drain");
    }

    @Test
    void retirementDrainsPowersOffAndRetiresWithWhenAndWhy() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = RETIRE;
        n.settle();
        assertThat(n.asked).containsExactly("cordon", "drain", "power-off");
        assertThat(n.retired).containsExactly("n1");
        assertThat(n.m.state()).isEqualTo(LifecycleState.RETIRED);
        assertThat(n.m.reason()).isEqualTo("end of lease");
        assertThat(n.m.entered()).containsEntry("Retired", T0);
        assertThat(n.events).contains("n1 retired: end of lease");
        n.ask = Ask.NONE;
        n.settle();
        assertThat(n.m.state()).as("retired is final").isEqualTo(LifecycleState.RETIRED);
        assertThat(n.asked).hasSize(3);
    }

    @Test
    void aQuarantinedMachineIsRetiredWithoutADrainAndKeepsItsEvidence() {
        Node n = new Node(LifecycleState.VALIDATING);
        n.m = n.m.quarantined("NCCL all-reduce bus bandwidth 212.0 GB/s (at least 400.0)", T0);
        n.settle();
        assertThat(n.asked).as("quarantined and not asked: left alone").isEmpty();
        n.ask = new Ask(false, false, true, null);
        n.settle();
        assertThat(n.asked).containsExactly("power-off");
        assertThat(n.m.state()).isEqualTo(LifecycleState.RETIRED);
        assertThat(n.m.reason()).isEqualTo("retired by an operator");
        assertThat(n.m.evidence()).contains("NCCL all-reduce bus bandwidth 212.0 GB/s (at least 400.0)");
    }

    @Test
    void maintenanceThenRetirementPowersOffAndRetiresWithoutDrainingAgain() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = MAINTENANCE;
        n.settle();
        n.ask = RETIRE;
        n.settle();
        assertThat(n.asked).containsExactly("cordon", "drain", "power-off");
        assertThat(n.m.state()).isEqualTo(LifecycleState.RETIRED);
    }

    @Test
    void anAskWithdrawnMidDrainBringsTheNodeBack() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = MAINTENANCE;
        n.pass(x -> OpState.SUCCEEDED); // cordon asked
        n.ask = Ask.NONE;
        n.pass(x -> OpState.RUNNING);
        assertThat(n.m.task()).as("the cordon in flight finishes first").isEqualTo(Day2Task.CORDON);
        n.settle();
        assertThat(n.asked).containsExactly("cordon", "uncordon");
        assertThat(n.m.state()).isEqualTo(LifecycleState.JOINED);
    }

    @Test
    void aFailedTaskIsRetriedAfterABackoffThenFailsTheMachineWithTheReason() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = MAINTENANCE;
        n.pass(x -> OpState.FAILED); // cordon asked
        n.pass(x -> OpState.FAILED); // failed: retry in 1 min
        assertThat(n.m.attempts()).isEqualTo(1);
        assertThat(n.m.notBefore()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        n.pass(x -> OpState.FAILED);
        assertThat(n.asked).as("no try before the backoff ends").hasSize(1);
        n.now = n.m.notBefore();
        n.pass(x -> OpState.FAILED); // second try
        assertThat(n.asked).containsExactly("cordon", "cordon");
        n.pass(x -> OpState.FAILED); // retry in 2 min
        n.now = n.m.notBefore();
        n.pass(x -> OpState.FAILED);
        n.pass(x -> OpState.FAILED);
        assertThat(n.m.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(n.m.reason()).isEqualTo("cordon failed 3 times: BMC timed out");
        assertThat(n.asked).hasSize(3);
    }

    @Test
    void refusedCredentialsFailTheTaskAtOnce() {
        Node n = new Node(LifecycleState.QUARANTINED);
        n.ask = RETIRE;
        n.pass(x -> OpState.REFUSED);
        n.pass(x -> OpState.REFUSED);
        assertThat(n.m.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(n.m.reason()).isEqualTo("power off failed, not retried: HTTP 401: credentials refused");
        assertThat(n.asked).containsExactly("power-off");
    }

    @Test
    void aTaskPastItsTimeoutIsTriedAgain() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = RETIRE;
        n.pass(x -> OpState.RUNNING);
        n.now = T0.plus(Duration.ofMinutes(9));
        n.pass(x -> OpState.RUNNING);
        assertThat(n.m.attempts()).isZero();
        n.now = T0.plus(Duration.ofMinutes(10)); // cordon: 3 x 1 min, at least 10
        n.pass(x -> OpState.RUNNING);
        assertThat(n.m.attempts()).isEqualTo(1);
        assertThat(n.m.message()).isEqualTo("retrying after: cordon: cordon did not finish within 10 min");
    }

    @Test
    void progressReadBackFromItsJsonResumesWithoutRepeatingATask() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = RETIRE;
        n.pass(x -> OpState.SUCCEEDED); // cordon asked
        n.pass(x -> OpState.SUCCEEDED); // cordoned: wait, then the drain asked
        assertThat(n.m.task()).isEqualTo(Day2Task.DRAIN);
        // the server dies; the next reads the machine's progress back from the store
        Node resumed = new Node(LifecycleState.JOINED);
        resumed.m = MachineLifecycle.fromJson(n.m.toJson(List.of()));
        resumed.ask = RETIRE;
        assertThat(resumed.m).isEqualTo(n.m);
        resumed.pass(x -> OpState.RUNNING);
        assertThat(resumed.asked).as("the drain in flight is not asked again").isEmpty();
        resumed.settle();
        assertThat(resumed.asked).containsExactly("power-off");
        assertThat(resumed.m.state()).isEqualTo(LifecycleState.RETIRED);
    }

    @Test
    void aPassIsIdempotent() {
        Node n = new Node(LifecycleState.JOINED);
        n.ask = MAINTENANCE;
        n.settle();
        Map<String, MachineLifecycle> before = new HashMap<>(Map.of("n1", n.m));
        Day2Engine.Output again = Day2Engine.pass(new Day2Engine.Input(before, Map.of("n1", MAINTENANCE),
                Map.of("n1", new Observation(OpState.NONE, "", Power.ON, 0, Duration.ZERO)), 3, Duration.ofMinutes(1), T0.plus(Duration.ofHours(1))));
        assertThat(again.changed()).isEmpty();
        assertThat(again.actions()).isEmpty();
        Day2Engine.Output joined = Day2Engine.pass(new Day2Engine.Input(Map.of("j", new Node(LifecycleState.JOINED).m), Map.of(), Map.of(), 3,
                Duration.ofMinutes(1), T0));
        assertThat(joined.changed()).as("a Joined machine nobody asked anything of").isEmpty();
    }
}
