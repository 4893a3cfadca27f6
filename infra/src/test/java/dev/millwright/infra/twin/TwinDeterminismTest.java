package dev.millwright.infra.twin;

import static dev.millwright.infra.twin.TwinFixtures.machine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.Health;
import dev.millwright.infra.Health.NodeState;
import dev.millwright.infra.Health.PowerState;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadPlacement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Same seed, same machines and same calls: the same history, byte for byte. */
class TwinDeterminismTest {
    private static final String[] PROFILES = {"hgx-h100", "hgx-h200", "hgx-b200", "l40s-4x"};
    /** {@link FaultRates#REALISTIC} times 100, so that forty machines see a few faults of each kind in a day. */
    private static final FaultRates FREQUENT = new FaultRates(
            FaultRates.REALISTIC.machineDeath() * 100, FaultRates.REALISTIC.gpuXid() * 100,
            FaultRates.REALISTIC.bmcUnreachable() * 100, FaultRates.REALISTIC.slowNode() * 100,
            FaultRates.REALISTIC.burnInFailure() * 10);

    /**
     * A simulated day of bring-up and work on forty machines of every profile: power, burn-in, install, layers,
     * workloads; the calls depend on what the twin answers, as a controller's would.
     */
    private static Twin aDay(long seed) {
        Twin twin = Twin.builder().seed(seed).faults(FREQUENT).build();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String name = String.format("node-%02d", i);
            twin.enroll(machine(name, PROFILES[i % PROFILES.length]));
            names.add(name);
        }
        for (String n : names) twin.power(n, PowerAction.ON);
        twin.advance(Duration.ofMinutes(10));
        for (String n : names) {
            if (twin.health(n).power() == PowerState.ON) twin.burnIn(n, Duration.ofMinutes(30));
        }
        twin.advance(Duration.ofMinutes(45));
        for (String n : names) {
            if (twin.health(n).power() == PowerState.ON) twin.install(n, BootSource.PXE, "ubuntu-24.04");
        }
        twin.advance(Duration.ofMinutes(30));
        for (String layer : List.of("gpu-driver", "cuda", "kubernetes")) {
            for (String n : names) {
                if (twin.health(n).node() == NodeState.OS) twin.installPack(n, layer, "1");
            }
            twin.advance(Duration.ofMinutes(15));
        }
        for (int hour = 0; hour < 22; hour++) {
            for (String n : names) {
                Health h = twin.health(n);
                if (h.node() != NodeState.READY) continue;
                String workload = n + "-h" + hour;
                int gpus = twin.inventory(n).gpus().size();
                List<Integer> all = new ArrayList<>();
                for (int g = 0; g < gpus; g++) all.add(g);
                twin.startWorkload(new WorkloadPlacement(workload, n, all, 500, gpus * 1800.0));
                if (!h.healthy()) twin.power(n, PowerAction.RESTART);
            }
            twin.advance(Duration.ofHours(1));
            for (String n : names) {
                try {
                    twin.gpuTelemetry(n);
                } catch (UnreachableException e) {
                    // a dead machine or a BMC outage: what a controller would see too
                }
            }
        }
        return twin;
    }

    @Test
    void theSameSeedAndCallsGiveTheSameHistory() {
        Twin first = aDay(42);
        Twin second = aDay(42);

        assertThat(first.history()).anySatisfy(line -> assertThat(line).contains("fault: machine died"));
        assertThat(first.history()).anySatisfy(line -> assertThat(line).contains("fault: GPU"));
        assertThat(first.history()).anySatisfy(line -> assertThat(line).contains("fault: BMC unreachable"));
        assertThat(first.history()).anySatisfy(line -> assertThat(line).contains("burn-in failed"));
        assertThat(first.history()).anySatisfy(line -> assertThat(line).contains("SUCCEEDED: completed"));
        assertThat(first.historySize()).isEqualTo(second.historySize()).isGreaterThan(1000);
        assertThat(first.history()).isEqualTo(second.history());
        assertThat(first.historyDigest()).isEqualTo(second.historyDigest());
        assertThat(first.clock().instant()).isEqualTo(second.clock().instant());
    }

    @Test
    void anotherSeedGivesAnotherHistory() {
        Twin first = aDay(42);
        Twin other = aDay(43);

        assertThat(other.historyDigest()).isNotEqualTo(first.historyDigest());
        assertThat(other.history()).isNotEqualTo(first.history());
    }
}
