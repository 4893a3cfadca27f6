package dev.millwright.sched.packing;

/**
 * {@code gpu-packing}: the FGD simulator's GpuPackingScore. From best to worst: a node where the pod fits on
 * GPUs already in use (100 minus a tenth of the percent left on them, at least 50); then a used node where it
 * needs free GPUs (50 minus their count, at least 33); then a node that is wholly free (33 minus its GPU count).
 * A pod without GPUs scores 0 everywhere, so it lands at random. GPUs by best fit.
 */
final class GpuPackingPolicy extends ScoredPolicy {
    GpuPackingPolicy(Cluster cluster, int[] rank) {
        super(cluster, rank, null);
    }

    @Override
    long score(int node, Request r) {
        if (r.milli == 0) return 0;
        int[] free = cluster.gpuFree[node];
        int wholeFree = cluster.wholeFreeGpus(node);
        if (wholeFree == cluster.gpus[node]) return Math.max(100 / 3 - wholeFree, wholeFree);
        int[] use = Gpus.bestFit(free, r.num, r.milli);
        if (use == null) return 0;
        int wholeFreeUsed = 0;
        long percentLeftOnUsed = 0;
        for (int g : use) {
            if (free[g] == 1000) wholeFreeUsed++;
            percentLeftOnUsed += free[g] * 100L / 1000;
        }
        if (wholeFreeUsed > 0) return Math.max(100 / 2 - wholeFreeUsed, 100 / 3);
        return Math.max(100 - percentLeftOnUsed / 10, 100 / 2);
    }
}
