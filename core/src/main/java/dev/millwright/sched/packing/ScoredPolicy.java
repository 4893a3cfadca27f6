package dev.millwright.sched.packing;

import java.util.Random;

/**
 * A policy shaped like a Kubernetes scheduler profile with one score plugin, as the FGD simulator runs its
 * baselines: filter the nodes that fit, give each an integer score (0..100), optionally normalise the scores,
 * take the highest, then let the plugin choose the GPUs on that node.
 *
 * <p>Equal highest scores: with node ranks (the simulator's baselines), the node ranked first wins, as in the
 * simulator's kube-scheduler fork, which picks the smallest node name after renaming the nodes in a seeded random
 * order ({@link Workload#nodeRank}); without (stock kube-scheduler), one is drawn uniformly (selectHost's
 * reservoir sampling).
 */
abstract class ScoredPolicy implements PackingPolicy {
    final Cluster cluster;
    final Random random;
    /** Tie-break rank per node, lower wins; null to draw among ties at random. */
    private final int[] rank;
    private final int[] feasible;
    private final long[] scores;

    ScoredPolicy(Cluster cluster, int[] rank, Random random) {
        this.cluster = cluster;
        this.rank = rank;
        this.random = random;
        this.feasible = new int[cluster.size];
        this.scores = new long[cluster.size];
    }

    /** The plugin's score of a node that fits. */
    abstract long score(int node, Request r);

    /** The GPUs on the chosen node; best fit unless the plugin has its own choice. */
    int[] gpus(int node, Request r) {
        return Gpus.bestFit(cluster.gpuFree[node], r.num, r.milli);
    }

    /** Whether scores go through the simulator's min-max NormalizeScore (BestFit does, the others do not). */
    boolean normalizes() {
        return false;
    }

    @Override
    public final Placement place(Request r) {
        int count = 0;
        for (int n = 0; n < cluster.size; n++) {
            if (cluster.fits(n, r)) {
                feasible[count] = n;
                scores[count] = score(n, r);
                count++;
            }
        }
        if (count == 0) return null;
        if (normalizes()) normalize(scores, count);
        int selected = feasible[0];
        long max = scores[0];
        int ties = 1;
        for (int i = 1; i < count; i++) {
            if (scores[i] > max) {
                max = scores[i];
                selected = feasible[i];
                ties = 1;
            } else if (scores[i] == max) {
                if (rank != null ? rank[feasible[i]] < rank[selected] : random.nextInt(++ties) == 0) selected = feasible[i];
            }
        }
        return new Placement(selected, gpus(selected, r));
    }

    /** The simulator's NormalizeScore: map [lowest, highest] onto [0, 100] in integer arithmetic. */
    static void normalize(long[] scores, int count) {
        long highest = Long.MIN_VALUE;
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            highest = Math.max(highest, scores[i]);
            lowest = Math.min(lowest, scores[i]);
        }
        long range = highest - lowest;
        for (int i = 0; i < count; i++) scores[i] = range == 0 ? 0 : (scores[i] - lowest) * 100 / range;
    }
}
