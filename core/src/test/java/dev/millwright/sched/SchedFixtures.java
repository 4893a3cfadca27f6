package dev.millwright.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.Scheduler.Bind;
import dev.millwright.sched.Scheduler.Decision;
import dev.millwright.sched.Scheduler.Request;
import dev.millwright.sched.Scheduler.Wait;
import java.util.List;

/** Shared fixtures of the scheduler tests: GPU models, requests with readable defaults, and decision lookups. */
final class SchedFixtures {
    static final String H100 = "NVIDIA H100 80GB HBM3";
    static final String H200 = "NVIDIA H200 141GB HBM3e";

    private SchedFixtures() {
    }

    /** A batch job of {@code replicas} x {@code gpus} H100s. */
    static Request job(String id, String queue, int replicas, int gpus, long sequence) {
        return new Request(id, queue, PriorityClass.BATCH, replicas, gpus, H100, sequence);
    }

    /** One replica holding {@code milli} thousandths of one H100. */
    static Request share(String id, String queue, int milli, long sequence) {
        return job(id, queue, 1, 1, sequence).withGpuShare(milli);
    }

    static Placement at(int replica, String node, Integer... gpus) {
        return new Placement(replica, node, List.of(gpus));
    }

    static Decision last(List<Decision> ds, String id) {
        return ds.stream().filter(d -> d.id().equals(id)).reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no decision for " + id + " in " + ds));
    }

    static Bind bound(List<Decision> ds, String id) {
        Decision d = last(ds, id);
        assertThat(d).as(id).isInstanceOf(Bind.class);
        return (Bind) d;
    }

    static String waitReason(List<Decision> ds, String id) {
        Decision d = last(ds, id);
        assertThat(d).as(id).isInstanceOf(Wait.class);
        return ((Wait) d).reason();
    }

    static List<String> machines(Bind b) {
        return b.placements().stream().map(Placement::machine).toList();
    }
}
