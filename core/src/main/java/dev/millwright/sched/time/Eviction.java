package dev.millwright.sched.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Plans where a job can start if some running jobs are preempted: the node (or, for a gang larger than a node,
 * the whole nodes plus one) where the fewest GPUs must be taken back, victims taken in the given order. Plans
 * only; the policy preempts and starts. A plan exists only if it really makes room, so no job is stopped in vain.
 */
final class Eviction {
    /** Where the job goes and whom to stop first. */
    record Plan(int[] nodes, int[] counts, List<ActiveJob> victims) {
    }

    private Eviction() {
    }

    /**
     * A plan to place {@code gpus} GPUs by stopping only jobs that {@code victim} allows, cheapest first (fewest
     * GPUs stopped, whole victims counted), victims on a node in {@code order}; null if none exists.
     */
    static Plan plan(Cluster c, int gpus, Predicate<ActiveJob> victim, Comparator<ActiveJob> order) {
        int gpn = c.gpusPerNode;
        int whole = gpus > gpn ? gpus / gpn : 0;
        int rest = gpus > gpn ? gpus % gpn : gpus;
        int[] nodes = new int[whole + (rest > 0 ? 1 : 0)];
        int[] counts = new int[nodes.length];
        List<ActiveJob> victims = new ArrayList<>();
        if (whole > 0) {
            List<long[]> clearable = new ArrayList<>();
            for (int n = 0; n < c.nodes(); n++) {
                if (c.capacity[n] != gpn) continue;
                long cost = 0;
                boolean ok = true;
                for (ActiveJob r : c.residents.get(n)) {
                    if (!victim.test(r)) {
                        ok = false;
                        break;
                    }
                    cost += r.gpus;
                }
                if (ok) clearable.add(new long[] {cost, n});
            }
            if (clearable.size() < whole) return null;
            clearable.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
            for (int i = 0; i < whole; i++) {
                nodes[i] = (int) clearable.get(i)[1];
                counts[i] = gpn;
                for (ActiveJob r : c.residents.get(nodes[i])) if (!victims.contains(r)) victims.add(r);
            }
        }
        if (rest > 0) {
            int bestNode = -1;
            List<ActiveJob> bestVictims = null;
            long bestCost = Long.MAX_VALUE;
            for (int n = 0; n < c.nodes(); n++) {
                if (c.capacity[n] < rest || contains(nodes, whole, n)) continue;
                int free = c.free[n];
                for (ActiveJob r : victims) free += shareOn(r, n);
                int reachable = free;
                for (ActiveJob r : c.residents.get(n)) if (victim.test(r) && !victims.contains(r)) reachable += shareOn(r, n);
                if (reachable < rest) continue;
                List<ActiveJob> chosen = new ArrayList<>();
                if (free < rest) {
                    List<ActiveJob> candidates = new ArrayList<>();
                    for (ActiveJob r : c.residents.get(n)) if (victim.test(r) && !victims.contains(r)) candidates.add(r);
                    candidates.sort(order);
                    for (ActiveJob r : candidates) {
                        if (free >= rest) break;
                        chosen.add(r);
                        free += shareOn(r, n);
                    }
                }
                long cost = 0;
                for (ActiveJob r : chosen) cost += r.gpus;
                if (cost < bestCost) {
                    bestCost = cost;
                    bestNode = n;
                    bestVictims = chosen;
                }
            }
            if (bestNode < 0) return null;
            nodes[whole] = bestNode;
            counts[whole] = rest;
            victims.addAll(bestVictims);
        }
        return new Plan(nodes, counts, victims);
    }

    /** GPUs job {@code r} holds on {@code node}. */
    static int shareOn(ActiveJob r, int node) {
        for (int i = 0; i < r.nodes.length; i++) if (r.nodes[i] == node) return r.perNode[i];
        return 0;
    }

    static boolean contains(int[] a, int upTo, int v) {
        for (int i = 0; i < upTo; i++) if (a[i] == v) return true;
        return false;
    }
}
