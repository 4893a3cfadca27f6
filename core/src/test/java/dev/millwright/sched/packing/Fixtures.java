package dev.millwright.sched.packing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Tiny clusters and pods for policy tests, and a way to place pods one by one in a given order. */
final class Fixtures {
    private Fixtures() {
    }

    /** A node with plenty of CPU and memory. */
    static PackingNode node(String name, int gpus, String model) {
        return new PackingNode(name, 96_000, 393_216, gpus, model);
    }

    static PackingNode node(String name, long cpuMilli, long memoryMib, int gpus, String model) {
        return new PackingNode(name, cpuMilli, memoryMib, gpus, model);
    }

    /** A pod with a little CPU and memory and no model constraint. */
    static PackingPod pod(String name, int numGpu, int gpuMilli) {
        return new PackingPod(name, 1_000, 1_024, numGpu, gpuMilli, List.of());
    }

    static PackingPod pod(String name, long cpuMilli, long memoryMib, int numGpu, int gpuMilli, String... models) {
        return new PackingPod(name, cpuMilli, memoryMib, numGpu, gpuMilli, List.of(models));
    }

    /** What became of each pod, in the order given: null when it failed. */
    record Run(Cluster cluster, List<Placement> placements) {
        Placement of(int pod) {
            return placements.get(pod);
        }

        String nodeOf(int pod) {
            Placement p = placements.get(pod);
            return p == null ? null : cluster.nodes.get(p.node()).name();
        }

        List<Integer> gpusOf(int pod) {
            return Arrays.stream(placements.get(pod).gpus()).boxed().toList();
        }
    }

    /**
     * Places {@code pods} in exactly this order with a fresh {@code policy}; the pods are also the trace the
     * policy learns its target workload from. The seed only fixes the order among equal scores.
     */
    static Run place(String policy, List<PackingNode> nodes, List<PackingPod> pods, long seed) {
        Cluster cluster = new Cluster(nodes);
        Workload workload = Workload.build(pods, cluster, 1.0, seed);
        PackingPolicy p = PackingReplay.create(policy, cluster, workload, new Random(seed));
        List<Placement> out = new ArrayList<>();
        for (Request r : workload.tracePods) {
            Placement placement = p.place(r);
            if (placement != null) cluster.place(r, placement);
            out.add(placement);
        }
        return new Run(cluster, out);
    }

    static Run place(String policy, List<PackingNode> nodes, List<PackingPod> pods) {
        return place(policy, nodes, pods, 1);
    }
}
