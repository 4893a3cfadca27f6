package dev.millwright.sched.time;

import static dev.millwright.sched.time.Replays.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.millwright.sched.time.TimeReplay.Figures;
import dev.millwright.sched.time.TimeReplay.Result;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    @DisplayName("JCT, queueing delay, percentiles (nearest rank), utilization, slowdown and Jain's index from two jobs on one GPU")
    void figures() {
        Workload w = new Workload(List.of("a", "b"), new int[] {0, 0},
                List.of(job("a", "first", 0, 100, 1), job("b", "second", 0, 100, 1)), 1, 1);

        Result r = Replay.run(w, Policy.FIFO, 0, false);
        Figures f = r.figures();

        assertThat(f.jobs()).isEqualTo(2);
        assertThat(f.avgJctSeconds()).isEqualTo(150);
        assertThat(f.p50JctSeconds()).isEqualTo(100);
        assertThat(f.p99JctSeconds()).isEqualTo(200);
        assertThat(f.avgQueueSeconds()).isEqualTo(50);
        assertThat(f.p99QueueSeconds()).isEqualTo(100);
        assertThat(f.avgWaitSeconds()).isEqualTo(50);
        assertThat(f.makespanSeconds()).isEqualTo(200);
        assertThat(f.gpuUtilization()).isEqualTo(1.0);
        assertThat(f.avgSlowdown()).isEqualTo(1.5);
        assertThat(r.tenants().get(1).figures().gpuUtilization()).as("b's share of the fleet's time").isEqualTo(0.5);
        // 1/slowdown per tenant: 1 and 0.5
        assertThat(r.jainFairness()).isCloseTo(2.25 / 2.5, within(1e-12));
        assertThat(r.tenants().get(0).partition()).isNull();
    }

    @Test
    @DisplayName("nearest-rank percentiles and Jain's index on their own")
    void percentileAndJain() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(Replay.percentile(v, 50)).isEqualTo(5);
        assertThat(Replay.percentile(v, 99)).isEqualTo(10);
        assertThat(Replay.percentile(new double[0], 50)).isNaN();
        assertThat(Replay.jain(new double[] {2, 2, 2})).isEqualTo(1);
        assertThat(Replay.jain(new double[] {1, 0, 0, 0})).isEqualTo(0.25);
    }
}
