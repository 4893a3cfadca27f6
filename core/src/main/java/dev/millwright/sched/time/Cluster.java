package dev.millwright.sched.time;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The fleet as the replay sees it: nodes of {@code gpusPerNode} GPUs (the last one smaller when the fleet is not
 * a whole number of nodes), each with a count of free GPUs and the jobs it hosts.
 *
 * <p>Nodes are indexed by their number of free GPUs ({@code byFree[f]} is the set of nodes with exactly
 * {@code f} free), so every placement rule is a walk over at most {@code gpusPerNode + 1} levels, and never over
 * all nodes.
 *
 * <p>A job of up to {@code gpusPerNode} GPUs goes on one node. A larger one takes {@code gpus / gpusPerNode}
 * whole idle nodes and puts the remainder on one more node: the fewest nodes that can hold it.
 */
final class Cluster {
    final int gpusPerNode;
    final int totalGpus;
    final int[] capacity;
    final int[] free;
    int freeGpus;
    /** Jobs on each node; a multi-node job is listed on each of its nodes. */
    final List<List<ActiveJob>> residents;
    private final BitSet[] byFree;
    private final int[] countAt;
    /** For {@link NodeChoice#FGD}: the expected fragmentation of a node with {@code f} free GPUs. */
    private final double[] fragmentation;

    /**
     * @param sizeWeights relative frequency of job sizes 1..gpusPerNode in the workload (index = size); jobs
     *                    larger than a node count as {@code gpusPerNode}. Used by {@link NodeChoice#FGD} only.
     */
    Cluster(int gpus, int gpusPerNode, double[] sizeWeights) {
        if (gpus < 1) throw new IllegalArgumentException("gpus must be at least 1");
        if (gpusPerNode < 1) throw new IllegalArgumentException("gpusPerNode must be at least 1");
        this.gpusPerNode = gpusPerNode;
        this.totalGpus = gpus;
        int nodes = (gpus + gpusPerNode - 1) / gpusPerNode;
        capacity = new int[nodes];
        free = new int[nodes];
        byFree = new BitSet[gpusPerNode + 1];
        for (int f = 0; f <= gpusPerNode; f++) byFree[f] = new BitSet(nodes);
        countAt = new int[gpusPerNode + 1];
        residents = new ArrayList<>(nodes);
        for (int n = 0; n < nodes; n++) {
            capacity[n] = Math.min(gpusPerNode, gpus - n * gpusPerNode);
            free[n] = capacity[n];
            byFree[free[n]].set(n);
            countAt[free[n]]++;
            residents.add(new ArrayList<>(4));
        }
        freeGpus = gpus;
        fragmentation = new double[gpusPerNode + 1];
        if (sizeWeights != null) {
            double total = Arrays.stream(sizeWeights).sum();
            for (int f = 0; f <= gpusPerNode; f++) {
                double frag = 0;
                for (int d = 1; d < sizeWeights.length && d <= gpusPerNode; d++) if (f < d) frag += sizeWeights[d] * f;
                fragmentation[f] = total > 0 ? frag / total : 0;
            }
        }
    }

    int nodes() {
        return capacity.length;
    }

    /** Whether a job of {@code gpus} GPUs could be placed now. */
    boolean fits(int gpus) {
        if (gpus > freeGpus) return false;
        if (gpus <= gpusPerNode) {
            for (int f = gpus; f <= gpusPerNode; f++) if (countAt[f] > 0) return true;
            return false;
        }
        int whole = gpus / gpusPerNode;
        int rest = gpus % gpusPerNode;
        int idle = countAt[gpusPerNode];
        if (idle < whole) return false;
        if (rest == 0 || idle > whole) return true;
        for (int f = rest; f < gpusPerNode; f++) if (countAt[f] > 0) return true;
        return false;
    }

    /** Whether a job of {@code gpus} GPUs could be placed on this fleet when it is empty. */
    boolean couldEverFit(int gpus) {
        // only the last node can be smaller than gpusPerNode
        int last = capacity[capacity.length - 1];
        int full = last == gpusPerNode ? capacity.length : capacity.length - 1;
        int largestPartial = last == gpusPerNode ? 0 : last;
        if (gpus <= gpusPerNode) return full > 0 || largestPartial >= gpus;
        int whole = gpus / gpusPerNode;
        int rest = gpus % gpusPerNode;
        if (full < whole) return false;
        return rest == 0 || full > whole || largestPartial >= rest;
    }

    /** Places {@code j} by {@code rule} and records it on its nodes; false, with nothing changed, if it does not fit. */
    boolean place(ActiveJob j, NodeChoice rule) {
        if (!fits(j.gpus)) return false;
        if (j.gpus <= gpusPerNode) {
            int n = pick(j.gpus, rule, null);
            if (n < 0) return false;
            assign(j, new int[] {n}, new int[] {j.gpus});
            return true;
        }
        int whole = j.gpus / gpusPerNode;
        int rest = j.gpus % gpusPerNode;
        int[] nodes = new int[whole + (rest > 0 ? 1 : 0)];
        int[] counts = new int[nodes.length];
        BitSet taken = new BitSet();
        int n = -1;
        for (int i = 0; i < whole; i++) {
            n = byFree[gpusPerNode].nextSetBit(n + 1);
            nodes[i] = n;
            counts[i] = gpusPerNode;
            taken.set(n);
        }
        if (rest > 0) {
            int r = pick(rest, rule, taken);
            if (r < 0) return false;
            nodes[whole] = r;
            counts[whole] = rest;
        }
        assign(j, nodes, counts);
        return true;
    }

    /**
     * Places {@code j} best-fit within the nodes {@code [lo, hi)} if it fits there (whole idle nodes for a larger
     * job come from that range first), else best-fit anywhere; false, with nothing changed, if it does not fit.
     */
    boolean placePreferring(ActiveJob j, int lo, int hi) {
        if (!fits(j.gpus)) return false;
        if (j.gpus <= gpusPerNode) {
            for (int f = j.gpus; f <= gpusPerNode; f++) {
                if (countAt[f] == 0) continue;
                int n = nextIn(byFree[f], lo, hi, lo);
                if (n >= 0) {
                    assign(j, new int[] {n}, new int[] {j.gpus});
                    return true;
                }
            }
            return place(j, NodeChoice.BEST_FIT);
        }
        int whole = j.gpus / gpusPerNode;
        int rest = j.gpus % gpusPerNode;
        int[] nodes = new int[whole + (rest > 0 ? 1 : 0)];
        int[] counts = new int[nodes.length];
        BitSet taken = new BitSet();
        int i = 0;
        BitSet idle = byFree[gpusPerNode];
        for (int n = nextIn(idle, lo, hi, lo); n >= 0 && i < whole; n = nextIn(idle, lo, hi, n + 1)) {
            nodes[i] = n;
            counts[i++] = gpusPerNode;
            taken.set(n);
        }
        for (int n = idle.nextSetBit(0); n >= 0 && i < whole; n = idle.nextSetBit(n + 1)) {
            if (taken.get(n)) continue;
            nodes[i] = n;
            counts[i++] = gpusPerNode;
            taken.set(n);
        }
        if (i < whole) return false;
        if (rest > 0) {
            int r = -1;
            for (int f = rest; f <= gpusPerNode && r < 0; f++) {
                for (int n = nextIn(byFree[f], lo, hi, lo); n >= 0; n = nextIn(byFree[f], lo, hi, n + 1)) {
                    if (!taken.get(n)) {
                        r = n;
                        break;
                    }
                }
            }
            if (r < 0) r = pick(rest, NodeChoice.BEST_FIT, taken);
            if (r < 0) return false;
            nodes[whole] = r;
            counts[whole] = rest;
        }
        assign(j, nodes, counts);
        return true;
    }

    private static int nextIn(BitSet set, int lo, int hi, int from) {
        int n = set.nextSetBit(Math.max(lo, from));
        return n >= 0 && n < hi ? n : -1;
    }

    /** Places {@code j} on exactly these nodes, which must have the room. */
    void placeOn(ActiveJob j, int[] nodes, int[] counts) {
        for (int i = 0; i < nodes.length; i++) {
            if (free[nodes[i]] < counts[i]) throw new IllegalStateException("node " + nodes[i] + " has "
                    + free[nodes[i]] + " free GPUs, not " + counts[i] + " for " + j);
        }
        assign(j, nodes.clone(), counts.clone());
    }

    private void assign(ActiveJob j, int[] nodes, int[] counts) {
        for (int i = 0; i < nodes.length; i++) {
            setFree(nodes[i], free[nodes[i]] - counts[i]);
            residents.get(nodes[i]).add(j);
        }
        freeGpus -= j.gpus;
        j.nodes = nodes;
        j.perNode = counts;
    }

    /** Gives back the GPUs {@code j} holds. */
    void release(ActiveJob j) {
        for (int i = 0; i < j.nodes.length; i++) {
            setFree(j.nodes[i], free[j.nodes[i]] + j.perNode[i]);
            residents.get(j.nodes[i]).remove(j);
        }
        freeGpus += j.gpus;
        j.nodes = new int[0];
        j.perNode = new int[0];
    }

    private void setFree(int node, int f) {
        if (f < 0 || f > capacity[node]) throw new IllegalStateException("node " + node + " would have " + f + " free GPUs");
        byFree[free[node]].clear(node);
        countAt[free[node]]--;
        free[node] = f;
        byFree[f].set(node);
        countAt[f]++;
    }

    /** The node a job of {@code g <= gpusPerNode} GPUs goes to by {@code rule}, not one of {@code taken}; -1 if none. */
    private int pick(int g, NodeChoice rule, BitSet taken) {
        switch (rule) {
            case FIRST_FIT -> {
                int best = -1;
                for (int f = g; f <= gpusPerNode; f++) {
                    int n = first(f, taken);
                    if (n >= 0 && (best < 0 || n < best)) best = n;
                }
                return best;
            }
            case BEST_FIT, DOT_PROD -> {
                for (int f = g; f <= gpusPerNode; f++) {
                    int n = first(f, taken);
                    if (n >= 0) return n;
                }
                return -1;
            }
            case WORST_FIT -> {
                for (int f = gpusPerNode; f >= g; f--) {
                    int n = first(f, taken);
                    if (n >= 0) return n;
                }
                return -1;
            }
            case GPU_PACKING -> {
                int best = -1;
                for (int f = g; f < gpusPerNode; f++) {
                    int n = first(f, taken);
                    if (n >= 0 && (best < 0 || n < best)) best = n;
                }
                return best >= 0 ? best : first(gpusPerNode, taken);
            }
            case FGD -> {
                int best = -1;
                double bestDelta = Double.POSITIVE_INFINITY;
                for (int f = g; f <= gpusPerNode; f++) {
                    int n = first(f, taken);
                    if (n < 0) continue;
                    double delta = fragmentation[f - g] - fragmentation[f];
                    // strictly better only: among equal growth the fuller node (smaller f) wins
                    if (delta < bestDelta - 1e-12) {
                        bestDelta = delta;
                        best = n;
                    }
                }
                return best;
            }
            default -> throw new IllegalStateException("unexpected node choice " + rule);
        }
    }

    private int first(int f, BitSet taken) {
        if (countAt[f] == 0) return -1;
        int n = byFree[f].nextSetBit(0);
        while (n >= 0 && taken != null && taken.get(n)) n = byFree[f].nextSetBit(n + 1);
        return n;
    }
}
