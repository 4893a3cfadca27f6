package dev.millwright.sched.packing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typical pods of a trace with their frequencies (the FGD paper's "target workload"), and the
 * fragmentation of a node measured against them.
 *
 * <p>Typical pods, as the FGD simulator computes them (utils.GetTypicalPods with the paper's settings: CPU-only
 * pods included, popularity threshold 95%, step 1, no GPU weighting): group the trace's pods by (CPU request,
 * thousandths per GPU, GPU count, accepted models), sort the groups by count, most frequent first (equal counts
 * in decreasing key order), and keep the leading groups until they cover 95% of the pods; their frequencies are
 * renormalised to sum to 1.
 *
 * <p>Fragmentation of a node (utils.NodeGpuShareFragAmountScore), in GPU thousandths: the expected amount of its
 * unallocated GPU capacity that the next pod, drawn from the typical pods, could not use. For each typical pod
 * with frequency f: if it asks for no GPU, or may not use this node's model, or the node lacks the CPU for it,
 * or fewer of the node's GPUs have its share left than it needs, all the node's unallocated GPU capacity counts,
 * times f; otherwise only the GPUs with less left than its share count.
 *
 * <p>Memory: the simulator ignores it. With {@code withMemory}, each group also carries the smallest memory
 * request among its pods, and a node with less memory left than that counts like one short of CPU. The groups
 * stay the same, so the two measures differ only where memory really runs short.
 */
final class TargetWorkload {
    /** Fraction of the trace's pods the typical pods must cover (the simulator's podPopularityThreshold). */
    static final double POPULARITY = 0.95;

    final int size;
    final long[] cpu;
    final long[] mem;
    final int[] num;
    final int[] milli;
    final boolean[][] allowed;
    final double[] freq;
    /** Total frequency of typical pods that ask for no GPU: for them all unallocated GPU capacity is fragment. */
    final double cpuOnlyFreq;

    private TargetWorkload(List<long[]> rows, List<boolean[]> masks, List<Double> freqs) {
        size = rows.size();
        cpu = new long[size];
        mem = new long[size];
        num = new int[size];
        milli = new int[size];
        allowed = new boolean[size][];
        freq = new double[size];
        double cpuOnly = 0;
        for (int i = 0; i < size; i++) {
            long[] r = rows.get(i);
            cpu[i] = r[0];
            mem[i] = r[1];
            num[i] = (int) r[2];
            milli[i] = (int) r[3];
            allowed[i] = masks.get(i);
            freq[i] = freqs.get(i);
            if (milli[i] == 0) cpuOnly += freq[i];
        }
        cpuOnlyFreq = cpuOnly;
    }

    /**
     * The typical pods of {@code trace}.
     *
     * @param withMemory also measure memory in {@link #fragmentation} (see the class comment); the simulator, and
     *                   so the {@code fgd} baseline, does not
     */
    static TargetWorkload of(List<Request> trace, Cluster cluster, boolean withMemory) {
        record Key(long cpu, int milli, int num, String models) {
        }
        Map<Key, Integer> counts = new LinkedHashMap<>();
        Map<Key, Long> smallestMemory = new HashMap<>();
        for (Request r : trace) {
            String models = r.num == 0 ? "" : String.join("|", r.pod.gpuModels());
            Key key = new Key(r.scoredCpu(), r.milli, r.num, models);
            counts.merge(key, 1, Integer::sum);
            smallestMemory.merge(key, r.mem, Math::min);
        }
        List<Map.Entry<Key, Integer>> sorted = new ArrayList<>(counts.entrySet());
        Comparator<Map.Entry<Key, Integer>> order = Comparator.<Map.Entry<Key, Integer>>comparingInt(Map.Entry::getValue)
                .thenComparingLong(e -> e.getKey().cpu())
                .thenComparingInt(e -> e.getKey().milli())
                .thenComparingInt(e -> e.getKey().num())
                .thenComparing(e -> e.getKey().models());
        sorted.sort(order.reversed());
        double expected = POPULARITY * trace.size();
        double covered = 0;
        int kept = 0;
        while (covered < expected && kept < sorted.size()) covered += sorted.get(kept++).getValue();
        List<long[]> rows = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        List<Double> freqs = new ArrayList<>();
        for (int i = 0; i < kept; i++) {
            Key k = sorted.get(i).getKey();
            rows.add(new long[] {k.cpu(), withMemory ? smallestMemory.get(k) : 0, k.num(), k.milli()});
            masks.add(k.models().isEmpty() ? null : cluster.modelMask(List.of(k.models().split("\\|"))));
            freqs.add(sorted.get(i).getValue() / covered);
        }
        return new TargetWorkload(rows, masks, freqs);
    }

    /**
     * Expected unusable GPU thousandths of a node in the given state (see the class comment).
     *
     * @param model the node's model index, -1 for none
     * @param free  thousandths left on each of its GPUs
     */
    double fragmentation(int model, long cpuFree, long memFree, int[] free) {
        int idle = 0;
        for (int f : free) idle += f;
        if (idle == 0) return 0;
        double frag = cpuOnlyFreq * idle;
        for (int t = 0; t < size; t++) {
            if (milli[t] == 0) continue;
            boolean[] mask = allowed[t];
            if (mask != null && (model < 0 || !mask[model]) || cpuFree < cpu[t] || memFree < mem[t]) {
                frag += freq[t] * idle;
                continue;
            }
            int fitting = 0;
            int below = 0;
            for (int f : free) {
                if (f >= milli[t]) fitting++;
                else below += f;
            }
            frag += freq[t] * (fitting >= num[t] ? below : idle);
        }
        return frag;
    }
}
