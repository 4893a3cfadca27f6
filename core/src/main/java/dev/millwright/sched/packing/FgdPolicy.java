package dev.millwright.sched.packing;

/**
 * {@code fgd}: Fragmentation Gradient Descent (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
 * Workloads with Fragmentation Gradient Descent", USENIX ATC'23), as the paper's simulator implements it
 * (FGDScore plugin with its own GPU selection).
 *
 * <p>For each node that fits, the fragmentation against the target workload ({@link TargetWorkload}) now and
 * after placing the pod; the score is {@code int(100 * sigmoid((before - after) / 1000))}, so the node whose
 * fragmentation grows least (or shrinks most) wins, equal integer scores going to the node first in the
 * simulator's fixed random node order. A pod with a share of one GPU tries each GPU with room and keeps the one
 * that scores best (the lowest numbered among equals); other pods take whole GPUs by best fit. The integer score
 * is the simulator's and is kept on purpose: it makes changes smaller than about 20 thousandths of a GPU look
 * alike, which is part of how the baseline behaves.
 *
 * <p>Cost: a fragmentation is O(typical pods x GPUs per node). Results are cached per (pod shape, node) under the
 * node's version, so a pod only recomputes the nodes that changed since its shape was last placed.
 */
final class FgdPolicy extends ScoredPolicy {
    private final FragmentationCache frag;

    FgdPolicy(Cluster cluster, int[] rank, TargetWorkload target, int shapes) {
        super(cluster, rank, null);
        this.frag = new FragmentationCache(cluster, target, shapes, FgdPolicy::quantized, false);
    }

    @Override
    long score(int node, Request r) {
        return (long) frag.lookup(node, r).score;
    }

    @Override
    int[] gpus(int node, Request r) {
        return frag.lookup(node, r).gpus.clone();
    }

    /**
     * The simulator's score of a fragmentation decrease: {@code int(sigmoid(delta / 1000) * 100)}. Any increase,
     * however small, scores below no change (49 vs 50); larger changes fall into ever coarser steps.
     */
    static double quantized(double decrease) {
        return (long) (100 / (1 + Math.exp(-decrease / 1000)));
    }
}
