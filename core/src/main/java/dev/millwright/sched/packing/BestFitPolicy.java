package dev.millwright.sched.packing;

/**
 * {@code best-fit}: the FGD simulator's BestFitScore. Score {@code (1 - s) * 100} with
 * {@code s = 0.5 (cpuLeft - cpuReq) / 128000 + 0.5 (gpuLeft - gpuReq) / 8000} (left over after the pod, in
 * thousandths, normalised by the largest node spec the simulator assumes), truncated to an integer, then
 * min-max normalised; GPUs by best fit.
 */
final class BestFitPolicy extends ScoredPolicy {
    /** The simulator's MaxSpecCpu: CPU thousandths of its largest node. */
    static final double MAX_SPEC_CPU = 128_000;
    /** The simulator's MaxSpecGpu: GPU thousandths of its largest node. */
    static final double MAX_SPEC_GPU = 8_000;

    BestFitPolicy(Cluster cluster, int[] rank) {
        super(cluster, rank, null);
    }

    @Override
    long score(int node, Request r) {
        double s = (cluster.cpuFree[node] - r.scoredCpu()) / MAX_SPEC_CPU * 0.5 + (cluster.idle[node] - r.requestMilli) / MAX_SPEC_GPU * 0.5;
        return (long) ((1 - s) * 100);
    }

    @Override
    boolean normalizes() {
        return true;
    }
}
