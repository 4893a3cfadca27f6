package dev.millwright.sched;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Places all replicas of a workload or none (a gang): each replica on the node of the right GPU model with
 * the fewest free GPUs that still fit it (best fit, so whole nodes stay free for large jobs), lowest GPU
 * indexes first. Pure: nodes and the request in, placements or the reason for waiting out.
 */
public final class GangPlacement {
    private GangPlacement() {
    }

    /**
     * A schedulable node.
     *
     * @param gpuModel the model its GPUs report
     * @param unusable GPU indexes that failed or are held by other workloads
     */
    public record Node(String name, String gpuModel, int gpus, Set<Integer> unusable) {
        int free() {
            return gpus - (int) unusable.stream().filter(i -> i >= 0 && i < gpus).count();
        }
    }

    /** @param gpuModel the model every replica needs */
    public record Request(int replicas, int gpusPerReplica, String gpuModel) {
    }

    /** One replica's place: the machine and the GPU indexes it holds there. */
    public record Placement(int replica, String machine, List<Integer> gpus) {
    }

    /** Either every replica's placement, or an empty list and why it waits. */
    public record Decision(List<Placement> placements, String reason) {
        public boolean placed() {
            return !placements.isEmpty();
        }
    }

    public static Decision place(List<Node> nodes, Request r) {
        Map<String, List<Integer>> free = new TreeMap<>();
        int capable = 0;
        for (Node n : nodes) {
            if (!n.gpuModel().equals(r.gpuModel())) continue;
            capable++;
            List<Integer> f = new ArrayList<>();
            for (int i = 0; i < n.gpus(); i++) if (!n.unusable().contains(i)) f.add(i);
            free.put(n.name(), f);
        }
        int freeGpus = free.values().stream().mapToInt(List::size).sum();
        List<Placement> out = new ArrayList<>();
        for (int replica = 0; replica < r.replicas(); replica++) {
            String best = free.entrySet().stream()
                    .filter(e -> e.getValue().size() >= r.gpusPerReplica())
                    .min(Comparator.<Map.Entry<String, List<Integer>>>comparingInt(e -> e.getValue().size()).thenComparing(Map.Entry::getKey))
                    .map(Map.Entry::getKey).orElse(null);
            if (best == null) return new Decision(List.of(), why(r, replica, capable, freeGpus));
            List<Integer> taken = new ArrayList<>(free.get(best).subList(0, r.gpusPerReplica()));
            free.get(best).subList(0, r.gpusPerReplica()).clear();
            out.add(new Placement(replica, best, taken));
        }
        return new Decision(out, "");
    }

    private static String why(Request r, int fitting, int capable, int freeGpus) {
        String model = dev.millwright.fleet.GpuModels.shortName(r.gpuModel());
        if (capable == 0) return "no ready node has " + model + " GPUs";
        return "waiting for " + r.replicas() + " replicas of " + r.gpusPerReplica() + " " + model + " GPUs, all or none: "
                + fitting + " fit now; " + freeGpus + " " + model + " GPUs free on " + capable + " ready nodes";
    }
}
