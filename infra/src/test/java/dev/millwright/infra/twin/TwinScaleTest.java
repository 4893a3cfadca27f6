package dev.millwright.infra.twin;

import static dev.millwright.infra.twin.TwinFixtures.machine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.infra.Health.NodeState;
import dev.millwright.infra.WorkloadPlacement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The twin holds a 100,000-GPU fleet in memory. The figures for a whole day are the benchmark's (bench: twin). */
class TwinScaleTest {
    private static final int NODES = 12_500;
    private static final long ONE_GIB = 1L << 30;

    @Test
    void aTwelveThousandFiveHundredNodeFleetRunsAnHourInUnderOneGibOfHeap() {
        Twin twin = Twin.builder().seed(5).faults(FaultRates.REALISTIC).enrolledAs(NodeState.READY).build();
        for (int i = 0; i < NODES; i++) {
            String name = String.format("gpu-%05d", i);
            twin.enroll(machine(name, "hgx-h100"));
            if (i % 2 == 0) {
                twin.startWorkload(new WorkloadPlacement(name + "-train", name, List.of(0, 1, 2, 3, 4, 5, 6, 7), 1000, 8 * 7200.0));
            }
        }

        twin.advance(Duration.ofHours(1));

        long used = heapUsedAfterGc();
        assertThat(twin.machineCount()).isEqualTo(NODES);
        assertThat(twin.gpuCount()).isEqualTo(100_000);
        assertThat(twin.gpuTelemetry("gpu-00000").get(0).utilization()).isGreaterThan(0.8);
        assertThat(twin.gpuTelemetry("gpu-00001").get(0).utilization()).isLessThan(0.02);
        assertThat(used).as("heap used after GC, MiB: %d", used >> 20).isLessThan(ONE_GIB);
    }

    private static long heapUsedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
