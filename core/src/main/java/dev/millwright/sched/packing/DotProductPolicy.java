package dev.millwright.sched.packing;

/**
 * {@code dot-prod}: the FGD simulator's DotProductScore (Tetris' alignment heuristic, ATC'23 baseline) with its
 * settings in the paper's runs: GPU dimension "share", normalisation "max".
 *
 * <p>Each way the pod could sit on the node is a pair of vectors (CPU, GPU): the node side is its CPU left and
 * either one partly used GPU's thousandths left (for a pod asking for less than one GPU in all) or all its whole
 * free GPUs together; the pod side is its CPU and GPU request. Both are divided by (128000, 8000), the dot
 * product is halved, and the score is {@code 1 - dot}, best over the ways, times 100, truncated. The largest dot
 * product scores lowest, so this fills the fullest place first. The GPU choice is the winning way's: that
 * partly used GPU, or the lowest-numbered free GPUs.
 *
 * <p>A pod with several fractional GPUs (which the simulator never sees) is given the best-fit GPUs, with all the
 * node's free thousandths as its GPU side.
 */
final class DotProductPolicy extends ScoredPolicy {
    /** The partly used GPU of the last {@link #best} asked to record, or -1 for whole free GPUs. */
    private int chosenGpu = -1;

    DotProductPolicy(Cluster cluster, int[] rank) {
        super(cluster, rank, null);
    }

    @Override
    long score(int node, Request r) {
        return (long) (100 * best(node, r, false));
    }

    @Override
    int[] gpus(int node, Request r) {
        if (r.num == 0) return new int[0];
        best(node, r, true);
        if (chosenGpu >= 0) return new int[] {chosenGpu};
        int[] free = cluster.gpuFree[node];
        if (r.milli == 1000 || r.num == 1) {
            int[] whole = Gpus.firstFit(free, r.num, 1000);
            if (whole != null) return whole;
        }
        return Gpus.bestFit(free, r.num, r.milli);
    }

    /** The best {@code 1 - dot} over the ways to place; records a partly used GPU choice when asked. */
    private double best(int node, Request r, boolean record) {
        double cpuTerm = cluster.cpuFree[node] / BestFitPolicy.MAX_SPEC_CPU * (r.scoredCpu() / BestFitPolicy.MAX_SPEC_CPU);
        double podGpu = r.requestMilli / BestFitPolicy.MAX_SPEC_GPU;
        int[] free = cluster.gpuFree[node];
        double best = -1;
        int bestGpu = -1;
        if (r.num <= 1 && r.requestMilli < 1000) {
            for (int g = 0; g < free.length; g++) {
                if (free[g] >= 1000 || free[g] < r.requestMilli) continue;
                double score = 1 - (cpuTerm + free[g] / BestFitPolicy.MAX_SPEC_GPU * podGpu) / 2;
                if (score > best) {
                    best = score;
                    bestGpu = g;
                }
            }
        }
        int wholeFree = cluster.wholeFreeGpus(node);
        if (r.num <= 1 || r.milli == 1000) {
            if (r.requestMilli <= 1000L * wholeFree) {
                double score = 1 - (cpuTerm + 1000.0 * wholeFree / BestFitPolicy.MAX_SPEC_GPU * podGpu) / 2;
                if (score > best) {
                    best = score;
                    bestGpu = -1;
                }
            }
        } else {
            double score = 1 - (cpuTerm + cluster.idle[node] / BestFitPolicy.MAX_SPEC_GPU * podGpu) / 2;
            if (score > best) {
                best = score;
                bestGpu = -1;
            }
        }
        if (record) chosenGpu = bestGpu;
        return Math.max(best, 0);
    }
}
