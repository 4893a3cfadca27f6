package dev.millwright.sched.time;

import java.util.Arrays;
import java.util.List;

/** Small hand-made workloads for the tests: jobs by name, fleets by size. */
final class Replays {
    private Replays() {
    }

    static Job job(String tenant, String id, double submit, double duration, int gpus) {
        return new Job(tenant, id, submit, duration, gpus, 0);
    }

    /** One tenant {@code a}, no quota. */
    static Simulation run(Policy p, int gpus, int gpusPerNode, Job... jobs) {
        return run(p, gpus, gpusPerNode, List.of("a"), new int[] {0}, 0, jobs);
    }

    static Simulation run(Policy p, int gpus, int gpusPerNode, List<String> tenants, int[] quota, double penalty,
                          Job... jobs) {
        return Replay.simulate(new Workload(tenants, quota, Arrays.asList(jobs), gpus, gpusPerNode), p, penalty);
    }

    static ActiveJob find(Simulation s, String id) {
        for (ActiveJob j : s.jobs) if (j.job.id().equals(id)) return j;
        throw new AssertionError("no job " + id);
    }
}
