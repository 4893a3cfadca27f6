package dev.millwright.sched.packing;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Replays a trace as the FGD paper's packing experiment: no time, no departures; the pods of a trace, tuned to a
 * target load and shuffled ({@link Workload}), arrive one by one and are placed by a policy or fail for good. The
 * outcome is the curve of GPU allocation against arrived GPU demand ({@link AllocationCurve}).
 *
 * <p>Pure: nodes, pods, a policy name, a seed and a target load in, a {@link PackingResult} out, the same every
 * time. The seed fixes the arrival sequence, which is the same for every policy, and each policy's own random
 * choices (ties), which come from a separate stream so that one policy cannot shift another's arrivals.
 */
public final class PackingReplay {
    /** The policies, production first; {@link #run} accepts each of these names. */
    public static final List<String> POLICIES = List.of("millwright", "fifo", "first-fit", "kueue", "best-fit", "dot-prod", "gpu-packing", "fgd", "random");
    /** The default target load: arrivals reach 130% of GPU capacity, as in the FGD paper. */
    public static final double DEFAULT_TARGET_LOAD = 1.3;

    private PackingReplay() {
    }

    /**
     * Runs one replay.
     *
     * @param targetLoad the total GPU request to tune the trace to, as a multiple of GPU capacity (0 &lt; x &lt;= 10)
     * @throws IllegalArgumentException for an unknown policy, an empty node or pod list, nodes without GPUs, pods
     *                                  that ask for no GPU at all, or a target load out of range
     */
    public static PackingResult run(List<PackingNode> nodes, List<PackingPod> pods, String policy, long seed, double targetLoad) {
        if (!POLICIES.contains(policy)) throw new IllegalArgumentException("unknown policy \"" + policy + "\"; use one of " + String.join(", ", POLICIES));
        // 1. The cluster and the arrivals, identical for every policy with this seed.
        Cluster cluster = new Cluster(nodes);
        Workload workload = Workload.build(pods, cluster, targetLoad, seed);
        // 2. The policy, with its own random stream for ties.
        PackingPolicy p = create(policy, cluster, workload, new Random(seed * 0x9E3779B97F4A7C15L + policy.hashCode()));
        // 3. Arrivals one by one: place or fail, then record the point of the curve.
        AllocationCurve curve = new AllocationCurve(cluster.capacityMilli);
        long arrived = 0;
        int scheduled = 0;
        for (Request r : workload.arrivals) {
            arrived += r.requestMilli;
            Placement placement = p.place(r);
            if (placement != null) {
                cluster.place(r, placement);
                scheduled++;
            }
            curve.record(arrived, cluster.allocatedMilli);
        }
        double[] sampled = curve.sample();
        return new PackingResult(policy, seed, targetLoad, cluster.size, cluster.capacityMilli / 1000, workload.tracePods.size(),
                workload.arrivals.size(), scheduled, workload.arrivals.size() - scheduled,
                Arrays.stream(sampled).boxed().toList(), curve.percent(cluster.allocatedMilli), curve.percent(arrived));
    }

    static PackingPolicy create(String policy, Cluster cluster, Workload workload, Random random) {
        return switch (policy) {
            case "fifo" -> new FirstFitPolicy(cluster, null);
            case "first-fit" -> new FirstFitPolicy(cluster, workload.nodeRank);
            case "kueue" -> new KubeDefaultPolicy(cluster, random);
            case "best-fit" -> new BestFitPolicy(cluster, workload.nodeRank);
            case "dot-prod" -> new DotProductPolicy(cluster, workload.nodeRank);
            case "gpu-packing" -> new GpuPackingPolicy(cluster, workload.nodeRank);
            case "fgd" -> new FgdPolicy(cluster, workload.nodeRank, TargetWorkload.of(workload.tracePods, cluster, false), workload.shapes);
            case "random" -> new RandomPolicy(cluster, random);
            case "millwright" -> new MillwrightPolicy(cluster, workload);
            default -> throw new IllegalStateException("policy " + policy + " is listed but not built");
        };
    }
}
