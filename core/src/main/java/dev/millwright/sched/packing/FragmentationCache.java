package dev.millwright.sched.packing;

import java.util.function.DoubleUnaryOperator;

/**
 * Per node and pod shape: the best way to place the pod on the node by fragmentation, cached under the node's
 * version. Shared by {@code fgd} and {@code millwright}, one cache per policy (the rating is part of the answer).
 *
 * <p>The ways tried: for a share of one GPU, each GPU with room (one per distinct amount left, since GPUs with
 * the same amount left give the same result; the lowest numbered stands for them); for anything else, the
 * best-fit GPUs. Each way is rated by {@code rate(before - after)}, before and after being the node's
 * fragmentation ({@link TargetWorkload#fragmentation}). The best rating wins; among equal ratings the first GPU
 * (the simulator's rule), or, with {@code exactGpuChoice}, the one with the smaller exact fragmentation after,
 * then the one left fuller.
 *
 * <p>Why a cache: a fragmentation costs O(typical pods x GPUs of the node), and a replay asks for it for every
 * node that fits every pod. A node changes only when a pod lands on it, so most answers stay valid; the entry of
 * (shape, node) is recomputed only when the node's version moved since. Memory is bounded by
 * {@link #SLOTS_PER_NODE} entries per node: a trace with more distinct shapes than that only recomputes more.
 */
final class FragmentationCache {
    /** Cached shapes per node; shapes beyond share slots (direct-mapped by shape number), bounding memory. */
    static final int SLOTS_PER_NODE = 128;

    /** The cached answer for one (shape, node). */
    static final class Entry {
        /** The node's version plus one when computed; 0 for never. */
        int stamp;
        int shape;
        double score;
        /** The node's fragmentation after the chosen placement. */
        double after;
        int[] gpus;
    }

    private final Cluster cluster;
    private final TargetWorkload target;
    private final DoubleUnaryOperator rate;
    private final boolean exactGpuChoice;
    private final Entry[] entries;
    private final int slots;
    private final double[] now;
    private final int[] nowStamp;
    /** A scratch copy of a node's GPUs per GPU count, so trying a placement allocates nothing. */
    private final int[][] scratch;

    /**
     * @param rate turns a fragmentation decrease (before minus after, GPU thousandths) into a score; higher wins
     */
    FragmentationCache(Cluster cluster, TargetWorkload target, int shapes, DoubleUnaryOperator rate, boolean exactGpuChoice) {
        this.cluster = cluster;
        this.target = target;
        this.rate = rate;
        this.exactGpuChoice = exactGpuChoice;
        this.slots = Math.max(1, Math.min(shapes, SLOTS_PER_NODE));
        this.entries = new Entry[slots * cluster.size];
        this.now = new double[cluster.size];
        this.nowStamp = new int[cluster.size];
        this.scratch = new int[cluster.maxGpusPerNode + 1][];
        for (int i = 0; i < scratch.length; i++) scratch[i] = new int[i];
    }

    /** The node's fragmentation as it stands. */
    double now(int node) {
        int stamp = cluster.version[node] + 1;
        if (nowStamp[node] != stamp) {
            now[node] = target.fragmentation(cluster.model[node], cluster.cpuFree[node], cluster.memFree[node], cluster.gpuFree[node]);
            nowStamp[node] = stamp;
        }
        return now[node];
    }

    /** The best way to place {@code r} on {@code node}, which must fit it. The entry is live: read, do not keep. */
    Entry lookup(int node, Request r) {
        int k = node * slots + r.shape % slots;
        Entry e = entries[k];
        if (e == null) entries[k] = e = new Entry();
        int stamp = cluster.version[node] + 1;
        if (e.stamp == stamp && e.shape == r.shape) return e;
        e.stamp = stamp;
        e.shape = r.shape;
        double before = now(node);
        int[] free = cluster.gpuFree[node];
        long cpu = cluster.cpuFree[node] - r.scoredCpu();
        long mem = cluster.memFree[node] - r.mem;
        int model = cluster.model[node];
        if (r.num == 1 && r.milli < 1000) {
            e.gpus = null;
            for (int g = 0; g < free.length; g++) {
                if (free[g] < r.milli || seenEarlier(free, g)) continue;
                int[] s = copy(free);
                s[g] -= r.milli;
                double after = target.fragmentation(model, cpu, mem, s);
                double score = rate.applyAsDouble(before - after);
                if (e.gpus == null || score > e.score || exactGpuChoice && score == e.score && better(after, free[g], e.after, free[e.gpus[0]])) {
                    e.score = score;
                    e.after = after;
                    e.gpus = new int[] {g};
                }
            }
        } else {
            int[] g = Gpus.bestFit(free, r.num, r.milli);
            int[] s = copy(free);
            for (int i : g) s[i] -= r.milli;
            double after = target.fragmentation(model, cpu, mem, s);
            e.score = rate.applyAsDouble(before - after);
            e.after = after;
            e.gpus = g;
        }
        return e;
    }

    /** Less fragmentation after, or as much (to a rounding) and a fuller GPU. */
    private static boolean better(double after, int free, double bestAfter, int bestFree) {
        if (after < bestAfter - 1e-9) return true;
        return after <= bestAfter + 1e-9 && free < bestFree;
    }

    private static boolean seenEarlier(int[] free, int g) {
        for (int i = 0; i < g; i++) if (free[i] == free[g]) return true;
        return false;
    }

    private int[] copy(int[] free) {
        int[] s = scratch[free.length];
        System.arraycopy(free, 0, s, 0, free.length);
        return s;
    }
}
