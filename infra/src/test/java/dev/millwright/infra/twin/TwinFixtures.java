package dev.millwright.infra.twin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.Health.NodeState;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import java.time.Duration;

/** Shared fixtures for the twin's tests: references, waiting on operations, and duration checks. */
final class TwinFixtures {
    /** How far the tests move the clock between two polls of an operation. */
    static final Duration POLL = Duration.ofSeconds(5);

    private TwinFixtures() {
    }

    static MachineRef machine(String name, String profile) {
        return new MachineRef(name, "twin://" + profile, null);
    }

    /** Advances the twin in {@link #POLL} steps until {@code op} is done, at most {@code limit}; returns its latest state. */
    static Operation await(Twin twin, Operation op, Duration limit) {
        long steps = limit.toNanos() / POLL.toNanos() + 1;
        Operation now = twin.operation(op.id());
        for (long i = 0; i < steps && !now.done(); i++) {
            twin.advance(POLL);
            now = twin.operation(op.id());
        }
        assertThat(now.done()).as("%s (%s) done within %s", op.kind(), op.id(), limit).isTrue();
        return now;
    }

    /** Waits for {@code op} and asserts that it succeeded. */
    static Operation succeeds(Twin twin, Operation op) {
        Operation done = await(twin, op, Duration.ofHours(3));
        assertThat(done.state()).as("%s: %s", done.kind(), done.message()).isEqualTo(Operation.State.SUCCEEDED);
        return done;
    }

    static Duration took(Operation op) {
        return Duration.between(op.started(), op.finished());
    }

    /** The twin jitters each duration by ±20% and multiplies it by {@code factor} (3 on a slow machine). */
    static void assertAbout(Operation op, Duration base, double factor) {
        long nominal = (long) (base.toNanos() * factor);
        long slack = Duration.ofMillis(1).toNanos();
        assertThat(took(op).toNanos()).as("%s took %s, nominal %s", op.kind(), took(op), Duration.ofNanos(nominal))
                .isBetween((long) (nominal * 0.8) - slack, (long) (nominal * 1.2) + slack);
    }

    /** Powers on, installs and layers a bare machine until it is a READY node. */
    static void bringUp(Twin twin, String machine) {
        succeeds(twin, twin.power(machine, PowerAction.ON));
        succeeds(twin, twin.install(machine, BootSource.PXE, "ubuntu-24.04"));
        succeeds(twin, twin.installPack(machine, "gpu-driver", "570.172.08"));
        succeeds(twin, twin.installPack(machine, "cuda", "12.8"));
        succeeds(twin, twin.installPack(machine, "kubernetes", "1.33.4"));
        assertThat(twin.health(machine).node()).isEqualTo(NodeState.READY);
    }

    /** A twin whose machines enrol as READY nodes, with no faults unless asked. */
    static Twin readyTwin(FaultRates faults) {
        return Twin.builder().seed(11).faults(faults).enrolledAs(NodeState.READY).build();
    }
}
