package dev.millwright.sched.packing;

import java.util.Random;

/**
 * {@code kueue}: Kueue decides when a workload may start (quota, borrowing, FIFO within a queue) and leaves where
 * to kube-scheduler. A packing replay has no quota and no time, so what remains is kube-scheduler's default
 * placement: NodeResourcesFit with the LeastAllocated strategy plus NodeResourcesBalancedAllocation, both over CPU
 * and memory, equal weights, random among equal scores. It spreads, and it does not see GPU shares at all; the
 * GPU device is the lowest-numbered one with room, as a device plugin hands them out.
 */
final class KubeDefaultPolicy extends ScoredPolicy {
    KubeDefaultPolicy(Cluster cluster, Random random) {
        super(cluster, null, random);
    }

    @Override
    long score(int node, Request r) {
        PackingNode n = cluster.nodes.get(node);
        double cpuUsed = fraction(n.cpuMilli() - cluster.cpuFree[node] + r.scoredCpu(), n.cpuMilli());
        double memUsed = fraction(n.memoryMib() - cluster.memFree[node] + r.mem, n.memoryMib());
        long leastAllocated = (long) (((1 - cpuUsed) * 100 + (1 - memUsed) * 100) / 2);
        // BalancedAllocation: 1 - standard deviation of the used fractions; for two resources |a - b| / 2.
        long balanced = (long) ((1 - Math.abs(cpuUsed - memUsed) / 2) * 100);
        return leastAllocated + balanced;
    }

    @Override
    int[] gpus(int node, Request r) {
        return Gpus.firstFit(cluster.gpuFree[node], r.num, r.milli);
    }

    private static double fraction(long used, long capacity) {
        return capacity <= 0 ? 1 : Math.min(1, (double) used / capacity);
    }
}
