package dev.millwright.control.sched;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.fleet.GpuModels;
import dev.millwright.resource.Resource;
import dev.millwright.sched.Scheduler;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nodes the scheduler may place on, read from the store: each environment's machines that are Ready,
 * have GPUs and run the environment's template (its node stack is InSync). A node's partition is its
 * environment, or the shared pool it belongs to, so a workload only lands on nodes its environment may use; its fabric group is the set of
 * InfiniBand leaf switches its rails are cabled to (else its rack), and its GPUs' NVLink domains come from
 * the inventory the machine controller observed. A node a Rollout is working on, or one an operator took out of
 * service (maintenance, retirement), is never schedulable.
 */
record FleetView(List<Scheduler.NodeSpec> nodes, Set<String> models, Map<String, Set<String>> machinesByPartition,
                 Map<String, JsonNode> quotas, Map<String, Integer> unschedulable, Map<String, String> partitions,
                 Map<String, String> nodePartitions) {
    /** An environment, as {@code tenant/name}. */
    static String environment(String tenant, String environment) {
        return tenant + "/" + environment;
    }

    /**
     * The nodes a workload of an environment may use: the environment's own pools, or, for environments on a
     * pool shared between tenants that run the pool's template, the pool ({@code pool/<name>}), whose nodes
     * all of them use.
     */
    String partition(String tenant, String environment) {
        String env = environment(tenant, environment);
        return partitions.getOrDefault(env, env);
    }

    static FleetView load(ResourceStore store) {
        Map<String, Resource> machines = new HashMap<>();
        store.listAll(ListOptions.all(FleetKinds.MACHINE)).items().forEach(m -> machines.put(m.name(), m));
        Map<String, Resource> poolsByName = new HashMap<>();
        store.listAll(ListOptions.all(FleetKinds.NODE_POOL)).items().forEach(p -> poolsByName.put(p.name(), p));
        List<Scheduler.NodeSpec> nodes = new ArrayList<>();
        Set<String> models = new TreeSet<>();
        Map<String, Set<String>> byPartition = new HashMap<>();
        Map<String, JsonNode> quotas = new HashMap<>();
        Map<String, Integer> unschedulable = new HashMap<>();
        Map<String, String> partitions = new HashMap<>();
        Set<String> added = new HashSet<>();
        // a node a rollout is working on takes no new work, whatever its environment last reported
        Set<String> upgrading = new HashSet<>();
        for (Resource r : store.listAll(ListOptions.all(dev.millwright.rollout.RolloutKinds.ROLLOUT)).items()) {
            r.status().path("nodes").fields().forEachRemaining(e -> {
                if (dev.millwright.rollout.NodePhase.of(e.getValue().path("phase").asText("Pending")).active()) upgrading.add(e.getKey());
            });
        }
        for (Resource env : store.listAll(ListOptions.all(CatalogKinds.ENVIRONMENT)).items()) {
            String envName = environment(env.tenant(), env.name());
            quotas.put(envName, env.spec().path("quota").path("gpus"));
            String partition = envName;
            JsonNode stacks = env.status().path("nodeStacks");
            List<String> pools = new ArrayList<>();
            env.spec().path("nodePools").forEach(p -> pools.add(p.asText()));
            String shared = env.spec().path("sharedNodePool").asText("");
            if (!shared.isEmpty()) {
                Resource pool = poolsByName.get(shared);
                JsonNode runs = pool == null ? null : pool.spec().path("shared").path("template");
                JsonNode binds = env.spec().path("template");
                // an environment whose template the shared pool does not run has no nodes there to use
                if (runs == null || !CatalogKinds.sameTemplate(runs, binds)) continue;
                partition = "pool/" + shared;
                stacks = pool.status().path("nodeStacks");
                pools.add(shared);
            }
            partitions.put(envName, partition);
            for (String poolName : pools) {
                Resource pool = poolsByName.get(poolName);
                if (pool == null) continue;
                for (JsonNode m : pool.spec().path("machines")) {
                    Resource machine = machines.get(m.asText());
                    if (machine == null) continue;
                    JsonNode gpus = machine.status().path("inventory").path("gpus");
                    if (gpus.isEmpty()) continue;
                    models.add(gpus.get(0).path("model").asText());
                    boolean ready = "Ready".equals(machine.status().path("phase").asText()) && inService(machine);
                    boolean inSync = "InSync".equals(stacks.path(machine.name()).path("state").asText()) && !upgrading.contains(machine.name());
                    if (!ready || !inSync) {
                        if (added.add(partition + "|" + machine.name() + "|out")) unschedulable.merge(partition, 1, Integer::sum);
                        continue;
                    }
                    // a shared pool's node is one node, however many environments use it
                    if (!added.add(machine.name())) continue;
                    nodes.add(node(machine, gpus, partition));
                    byPartition.computeIfAbsent(partition, k -> new HashSet<>()).add(machine.name());
                }
            }
        }
        Map<String, String> nodePartitions = new HashMap<>();
        nodes.forEach(n -> nodePartitions.put(n.name(), n.partition()));
        return new FleetView(nodes, models, byPartition, quotas, unschedulable, partitions, nodePartitions);
    }

    /**
     * Whether no operator took the machine out of service: nothing asked in its spec, and a machine a DockBatch
     * brought in is Joined (not Draining, in Maintenance or Retired). Read from the spec too, so that a node takes
     * no new work from the moment it is asked, before its cordon is observed.
     */
    static boolean inService(Resource machine) {
        if (machine.spec().path("maintenance").asBoolean(false) || machine.spec().path("retire").asBoolean(false)) return false;
        JsonNode lifecycle = machine.status().path("lifecycle");
        return !lifecycle.has("state") || "Joined".equals(lifecycle.path("state").asText()) && !lifecycle.hasNonNull("task");
    }

    private static Scheduler.NodeSpec node(Resource machine, JsonNode gpus, String partition) {
        List<String> domains = new ArrayList<>();
        gpus.forEach(g -> domains.add(g.hasNonNull("nvlinkDomain") ? g.get("nvlinkDomain").asText() : null));
        Set<String> leaves = new TreeSet<>();
        machine.status().path("inventory").path("nics").forEach(n -> {
            if ("infiniband".equals(n.path("kind").asText()) && n.hasNonNull("leaf")) leaves.add(n.get("leaf").asText());
        });
        String group = !leaves.isEmpty() ? String.join(",", leaves)
                : machine.spec().path("rack").asText("").isEmpty() ? machine.name() : "rack:" + machine.spec().path("rack").asText();
        Set<Integer> failed = new HashSet<>();
        machine.status().path("failedGpuIndexes").forEach(g -> failed.add(g.asInt()));
        JsonNode inventory = machine.status().path("inventory");
        return new Scheduler.NodeSpec(machine.name(), gpus.get(0).path("model").asText(), gpus.size(), partition, group, domains, failed)
                .withResources(clamp(inventory.path("cpu").path("cores").asLong() * 1000), clamp(inventory.path("memoryGiB").asLong() * 1024));
    }

    static int clamp(long v) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, v));
    }

    /** What a reason for waiting adds when some of the environment's GPU nodes cannot take work yet; empty when none. */
    String notYetSchedulable(String partition) {
        int n = unschedulable.getOrDefault(partition, 0);
        if (n == 0) return "";
        int all = n + machinesByPartition.getOrDefault(partition, Set.of()).size();
        return "; " + n + " of the " + all + " GPU nodes of " + partition + " are not Ready or do not run its template yet";
    }

    /** The partition of a schedulable node, or null when the machine is not one. */
    String partitionOfNode(String machine) {
        return nodePartitions.get(machine);
    }

    /**
     * Why a workload must wait for its environment's GPU quota, or null when the quota has room (or there is
     * none: then the environment's nodes are its bound).
     */
    String environmentQuota(String environment, String model, int used, int asked) {
        JsonNode quota = quotas.get(environment);
        if (quota == null || !quota.isObject()) return null;
        var it = quota.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!GpuModels.matches(e.getKey(), model)) continue;
            int limit = e.getValue().asInt();
            if (used + asked <= limit) return null;
            return "environment " + environment + ": " + GpuModels.shortName(model) + " quota " + used + "/" + limit + " in use, "
                    + asked + " more asked";
        }
        return null;
    }
}
