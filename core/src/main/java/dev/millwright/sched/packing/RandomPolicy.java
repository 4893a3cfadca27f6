package dev.millwright.sched.packing;

import java.util.Random;

/**
 * {@code random}: a node drawn uniformly among those that fit (the simulator's RandomScore plugin), GPUs by best
 * fit (the simulator's default GPU selection).
 */
final class RandomPolicy extends ScoredPolicy {
    RandomPolicy(Cluster cluster, Random random) {
        super(cluster, null, random);
    }

    @Override
    long score(int node, Request r) {
        return 0;
    }
}
