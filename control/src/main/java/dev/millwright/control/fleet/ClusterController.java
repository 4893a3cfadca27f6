package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.FieldSelector;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.watch.Change;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reports each cluster's nodes (the machines of its node pools), how many are ready, its GPUs, and a phase:
 * Ready when every node is, Degraded when some are not, Empty without nodes, and how many nodes drifted from
 * their template. Also writes each pool's status, and on each machine what it runs that its template does not say.
 */
public final class ClusterController implements Controller {
    /** Machine health changes without a write to the cluster; it is looked at again this often. */
    static final Duration POLL = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "clusters";
    }

    @Override
    public String kind() {
        return FleetKinds.CLUSTER;
    }

    /** Which cluster each pool and each pooled machine was last seen in, learned from pools and reconciles. */
    private final Map<String, String> poolCluster = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> machineCluster = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        return Map.of(
                FleetKinds.NODE_POOL, c -> {
                    String cluster = c.type() == Change.Type.DELETED ? "" : c.object().path("spec").path("cluster").asText("");
                    String was = c.object().path("spec").path("cluster").asText("");
                    String before = cluster.isEmpty() ? poolCluster.remove(c.key().name()) : poolCluster.put(c.key().name(), cluster);
                    java.util.Set<ResourceKey> out = new java.util.LinkedHashSet<>();
                    for (String name : new String[] {cluster, before, was}) {
                        if (name != null && !name.isEmpty()) out.add(ResourceKey.platform(FleetKinds.CLUSTER, name));
                    }
                    return List.copyOf(out);
                },
                // drift is found by the environment that owns the node's pool
                dev.millwright.catalog.CatalogKinds.ENVIRONMENT, c -> {
                    java.util.Set<ResourceKey> out = new java.util.LinkedHashSet<>();
                    if (c.object() == null) return List.of();
                    c.object().path("spec").path("nodePools").forEach(p -> {
                        String cluster = poolCluster.get(p.asText());
                        if (cluster != null) out.add(ResourceKey.platform(FleetKinds.CLUSTER, cluster));
                    });
                    return List.copyOf(out);
                },
                // a node's health changes its cluster's phase
                FleetKinds.MACHINE, c -> {
                    String cluster = machineCluster.get(c.key().name());
                    return cluster == null ? List.of() : List.of(ResourceKey.platform(FleetKinds.CLUSTER, cluster));
                });
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) return Result.done();
        Resource cluster = found.get();
        List<Resource> pools = ctx.store().listAll(new ListOptions(FleetKinds.NODE_POOL, null, null,
                FieldSelector.parse("spec.cluster=" + cluster.name()), ListOptions.MAX_LIMIT, null)).items();
        GpuSummary gpus = new GpuSummary();
        int nodes = 0;
        int ready = 0;
        Map<String, JsonNode> stacks = nodeStacks(ctx, pools);
        int drifted = 0;
        for (Resource pool : pools) {
            JsonNode machines = pool.spec().path("machines");
            drifted += reportDrift(ctx, machines, stacks);
            poolCluster.put(pool.name(), cluster.name());
            machines.forEach(name -> machineCluster.put(name.asText(), cluster.name()));
            int poolReady = PoolNodes.tally(ctx, machines, s -> "Ready".equals(s.path("phase").asText())
                    && "Healthy".equals(s.path("health").asText()), gpus).ready();
            nodes += machines.size();
            ready += poolReady;
            int r = poolReady;
            int total = machines.size();
            long poolGeneration = pool.metadata().generation();
            ctx.updateStatus(pool.key(), s -> s.put("observedGeneration", poolGeneration).put("readyMachines", r)
                    .put("machines", total));
        }
        int nodeCount = nodes;
        int readyCount = ready;
        int driftedCount = drifted;
        String phase = nodes == 0 ? "Empty" : ready == nodes ? "Ready" : "Degraded";
        long generation = cluster.metadata().generation();
        ctx.updateStatus(key, s -> {
            s.put("observedGeneration", generation);
            s.put("phase", phase);
            s.put("nodes", nodeCount);
            s.put("readyNodes", readyCount);
            s.put("gpus", gpus.toString());
            s.put("gpuCount", gpus.total());
            s.set("gpusByModel", Json.MAPPER.valueToTree(gpus.byModel()));
            s.put("driftedNodes", driftedCount);
            return s;
        });
        String before = cluster.status().path("phase").asText("");
        if (!before.isEmpty() && !before.equals(phase)) {
            ctx.event(key, phase.equals("Degraded") ? "Warning" : "Normal", "Cluster" + phase,
                    readyCount + " of " + nodeCount + " nodes ready");
        }
        return Result.requeueAfter(POLL);
    }

    /**
     * What the owners of the cluster's nodes found each node runs against its template: the environment that owns
     * the node's pool, or the shared pool itself. Drift is theirs to find; the cluster and the node show it.
     */
    private static Map<String, JsonNode> nodeStacks(ControllerContext ctx, List<Resource> pools) {
        Map<String, JsonNode> out = new java.util.HashMap<>();
        for (Resource pool : pools) pool.status().path("nodeStacks").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        for (Resource env : ctx.store().listAll(ListOptions.all(dev.millwright.catalog.CatalogKinds.ENVIRONMENT)).items()) {
            if (env.spec().hasNonNull("sharedNodePool")) continue; // it only repeats what its shared pool found
            env.status().path("nodeStacks").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Writes each node's drift (what it runs that its template does not say) on the machine; returns how many drifted. */
    private static int reportDrift(ControllerContext ctx, JsonNode machines, Map<String, JsonNode> stacks) {
        int drifted = 0;
        for (JsonNode m : machines) {
            JsonNode drift = stacks.getOrDefault(m.asText(), Json.object()).path("drift");
            boolean has = drift.isArray() && !drift.isEmpty();
            if (has) drifted++;
            ResourceKey key = ResourceKey.platform(FleetKinds.MACHINE, m.asText());
            Optional<Resource> machine = ctx.get(key);
            if (machine.isEmpty() || Json.equivalent(machine.get().status().path("drift"), has ? drift : com.fasterxml.jackson.databind.node.MissingNode.getInstance())) {
                continue;
            }
            ctx.updateStatus(key, s -> {
                if (has) s.set("drift", drift.deepCopy());
                else s.remove("drift");
                return s;
            });
        }
        return drifted;
    }
}
