package dev.millwright.sched.packing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable state of a packing replay: per node, CPU and memory left and thousandths left on each GPU.
 *
 * <p>Invariants: every amount left is between 0 and its capacity; {@code idle[n]} is the sum of
 * {@code gpuFree[n]}; {@code allocatedMilli} is the sum over nodes of GPU capacity minus GPU left; and
 * {@code version[n]} changes whenever node n changes, so a policy may cache anything it derives from one node
 * under that version. Arrays rather than node objects: a replay scans every node for every pod, and
 * this keeps the scan on a few cache lines.
 */
final class Cluster {
    final int size;
    final List<PackingNode> nodes;
    /** The distinct GPU models of the nodes, in first-seen order. */
    final List<String> models;
    /** Model index of each node, -1 when it has no GPUs or its model is unknown. */
    final int[] model;
    final int[] gpus;
    final long[] cpuFree;
    final long[] memFree;
    final int[][] gpuFree;
    final int[] idle;
    final int[] version;
    final long capacityMilli;
    final int maxGpusPerNode;
    long allocatedMilli;

    Cluster(List<PackingNode> nodes) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("a packing replay needs at least one node");
        this.size = nodes.size();
        this.nodes = List.copyOf(nodes);
        Map<String, Integer> index = new HashMap<>();
        List<String> models = new ArrayList<>();
        model = new int[size];
        gpus = new int[size];
        cpuFree = new long[size];
        memFree = new long[size];
        gpuFree = new int[size][];
        idle = new int[size];
        version = new int[size];
        long capacity = 0;
        int max = 0;
        for (int n = 0; n < size; n++) {
            PackingNode node = nodes.get(n);
            if (node.gpus() > 0 && !node.model().isEmpty()) {
                model[n] = index.computeIfAbsent(node.model(), m -> {
                    models.add(m);
                    return models.size() - 1;
                });
            } else {
                model[n] = -1;
            }
            gpus[n] = node.gpus();
            cpuFree[n] = node.cpuMilli();
            memFree[n] = node.memoryMib();
            gpuFree[n] = new int[node.gpus()];
            Arrays.fill(gpuFree[n], 1000);
            idle[n] = 1000 * node.gpus();
            capacity += idle[n];
            max = Math.max(max, node.gpus());
        }
        this.models = List.copyOf(models);
        this.capacityMilli = capacity;
        this.maxGpusPerNode = max;
    }

    /** The mask of accepted model indexes for a list of model names, or null when the list is empty (any model). */
    boolean[] modelMask(List<String> accepted) {
        if (accepted.isEmpty()) return null;
        boolean[] mask = new boolean[models.size()];
        for (int i = 0; i < models.size(); i++) mask[i] = accepted.contains(models.get(i));
        return mask;
    }

    /** Whether node n can take the request now: CPU, memory, GPU model and enough GPUs with enough left each. */
    boolean fits(int n, Request r) {
        if (cpuFree[n] < r.cpu || memFree[n] < r.mem) return false;
        if (r.num == 0) return true;
        if (r.num > gpus[n] || idle[n] < r.requestMilli || !r.allows(model[n])) return false;
        int count = 0;
        for (int free : gpuFree[n]) {
            if (free >= r.milli && ++count >= r.num) return true;
        }
        return false;
    }

    /**
     * Applies a placement.
     *
     * @throws IllegalStateException when the placement does not fit: a policy bug, never a property of the input
     */
    void place(Request r, Placement p) {
        int n = p.node();
        int[] g = p.gpus();
        if (n < 0 || n >= size || !fits(n, r) || g.length != r.num) {
            throw new IllegalStateException("policy placed pod " + r.pod.name() + " where it does not fit: node " + n + " GPUs " + Arrays.toString(g));
        }
        for (int i = 0; i < g.length; i++) {
            if (g[i] < 0 || g[i] >= gpus[n] || gpuFree[n][g[i]] < r.milli) {
                throw new IllegalStateException("policy gave pod " + r.pod.name() + " GPU " + g[i] + " of node " + nodes.get(n).name() + " without room");
            }
            for (int j = 0; j < i; j++) {
                if (g[j] == g[i]) throw new IllegalStateException("policy gave pod " + r.pod.name() + " GPU " + g[i] + " twice");
            }
        }
        cpuFree[n] -= r.cpu;
        memFree[n] -= r.mem;
        for (int gpu : g) gpuFree[n][gpu] -= r.milli;
        idle[n] -= (int) r.requestMilli;
        allocatedMilli += r.requestMilli;
        version[n]++;
    }

    /** GPUs with all of their capacity left on node n. */
    int wholeFreeGpus(int n) {
        int count = 0;
        for (int free : gpuFree[n]) if (free == 1000) count++;
        return count;
    }
}
