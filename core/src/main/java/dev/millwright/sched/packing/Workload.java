package dev.millwright.sched.packing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The arrival sequence of a packing experiment, built from a trace's pods the way the FGD simulator
 * (github.com/hkust-adsl/kubernetes-scheduler-simulator, run with {@code -tune R -tuneseed S --shuffle-pod=true})
 * builds it, with one {@link Random} seeded with S:
 *
 * <ol>
 *   <li>Sort the trace's pods by name and shuffle them (SortClusterPods).</li>
 *   <li>Tune to R x GPU capacity (TunePodsByNodeTotalResource). Below the target: draw a pod uniformly from the
 *       trace (sorted by name) and append a copy, until the drawn pod would take the total GPU request past the
 *       target; that pod is not added. Above it: remove a uniformly drawn pod of the sequence while the total is
 *       still past the target.</li>
 * </ol>
 *
 * <p>So the copies come after the shuffled originals; as they are independent random draws from the same pods,
 * the whole sequence is still in random order. Two deliberate differences from the simulator: the stop test adds
 * the drawn pod's whole request ({@code num_gpu * gpu_milli}; the simulator adds {@code gpu_milli} only, which lets
 * a multi-GPU copy overshoot the target by a few GPUs), and the random numbers come from Java's generator, so a
 * seed gives a different (equally random) sequence than the same seed in Go.
 */
final class Workload {
    /** The largest target load accepted; far above anything a packing curve is read at. */
    static final double MAX_TARGET_LOAD = 10.0;

    final List<Request> arrivals;
    final List<Request> tracePods;
    final int shapes;
    /** Each node's place in a seeded random order of the nodes, 0 first: how the simulator's scorers break ties. */
    final int[] nodeRank;

    private Workload(List<Request> arrivals, List<Request> tracePods, int shapes, int[] nodeRank) {
        this.arrivals = arrivals;
        this.tracePods = tracePods;
        this.shapes = shapes;
        this.nodeRank = nodeRank;
    }

    static Workload build(List<PackingPod> pods, Cluster cluster, double targetLoad, long seed) {
        if (pods.isEmpty()) throw new IllegalArgumentException("a packing replay needs at least one pod");
        if (!(targetLoad > 0 && targetLoad <= MAX_TARGET_LOAD)) {
            throw new IllegalArgumentException("target load must be above 0 and at most " + MAX_TARGET_LOAD + ", not " + targetLoad);
        }
        if (cluster.capacityMilli == 0) throw new IllegalArgumentException("the nodes have no GPUs, so there is nothing to pack");
        List<Request> trace = requests(pods, cluster);
        long total = trace.stream().mapToLong(r -> r.requestMilli).sum();
        if (total == 0) throw new IllegalArgumentException("none of the " + pods.size() + " pods asks for a GPU, so there is nothing to pack");
        int shapes = (int) trace.stream().mapToInt(r -> r.shape).distinct().count();

        Random random = new Random(seed);
        List<Request> byName = new ArrayList<>(trace);
        byName.sort(Comparator.comparing(r -> r.pod.name()));
        List<Request> arrivals = new ArrayList<>(byName);
        Collections.shuffle(arrivals, random);

        double target = targetLoad * cluster.capacityMilli;
        if (total < target) {
            while (true) {
                Request copy = byName.get(random.nextInt(byName.size()));
                if (total + copy.requestMilli > target) break;
                total += copy.requestMilli;
                arrivals.add(copy);
            }
        } else {
            while (total > target) {
                Request removed = arrivals.remove(random.nextInt(arrivals.size()));
                total -= removed.requestMilli;
            }
        }
        return new Workload(List.copyOf(arrivals), trace, shapes, nodeRanks(cluster, random));
    }

    /**
     * A seeded random rank per node. The simulator renames its nodes (sorted by name) with a random permutation
     * prefix ("0042-node-17") after tuning, and its kube-scheduler fork (mental2008/kubernetes v1.20.5-minor)
     * breaks equal scores by the smallest name "for reproducibility": ties go to the node ranked first in a
     * random order that stays fixed for the whole replay.
     */
    private static int[] nodeRanks(Cluster cluster, Random random) {
        Integer[] byName = new Integer[cluster.size];
        for (int i = 0; i < byName.length; i++) byName[i] = i;
        Arrays.sort(byName, Comparator.comparing(i -> cluster.nodes.get(i).name()));
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < byName.length; i++) perm.add(i);
        Collections.shuffle(perm, random);
        int[] rank = new int[cluster.size];
        for (int i = 0; i < byName.length; i++) rank[byName[i]] = perm.get(i);
        return rank;
    }

    /** One request per pod; pods asking for the same thing share a shape number. */
    private static List<Request> requests(List<PackingPod> pods, Cluster cluster) {
        Map<List<Object>, Integer> shapes = new HashMap<>();
        List<Request> out = new ArrayList<>(pods.size());
        for (PackingPod p : pods) {
            List<Object> key = List.of(p.cpuMilli(), p.memoryMib(), p.numGpu(), p.gpuMilli(), p.gpuModels().stream().sorted().toList());
            int shape = shapes.computeIfAbsent(key, k -> shapes.size());
            out.add(new Request(p, cluster.modelMask(p.gpuModels()), shape));
        }
        return out;
    }
}
