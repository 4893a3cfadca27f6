package dev.millwright.sched.packing;

/**
 * First fit, no scoring: the first node that fits in a fixed order, and on it the lowest-numbered GPUs that fit.
 *
 * <p>{@code fifo} walks the nodes in node-list order. {@code first-fit} walks them in the seeded random order the
 * FGD simulator's FirstFitScore baseline ends up using (every node scores 100 and its scheduler takes the
 * smallest of the randomly prefixed node names, see {@link Workload#nodeRank}). In a packing replay every pod is
 * tried once, in arrival order, and nothing ever leaves, so the queue disciplines that tell these policies apart
 * in a time replay (strict FIFO, FIFO with backfill) make no difference here; only the node order does.
 */
final class FirstFitPolicy implements PackingPolicy {
    private final Cluster cluster;
    /** Node indexes in the order they are tried. */
    private final int[] order;

    /** @param rank the place of each node in the walk, or null for node-list order */
    FirstFitPolicy(Cluster cluster, int[] rank) {
        this.cluster = cluster;
        this.order = new int[cluster.size];
        for (int n = 0; n < cluster.size; n++) order[rank == null ? n : rank[n]] = n;
    }

    @Override
    public Placement place(Request r) {
        for (int n : order) {
            if (cluster.fits(n, r)) return new Placement(n, Gpus.firstFit(cluster.gpuFree[n], r.num, r.milli));
        }
        return null;
    }
}
