package dev.millwright.control.workload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import dev.millwright.workload.WorkloadCheck;
import dev.millwright.workload.WorkloadKinds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One environment as the workloads in it see it, read from the store: its stack, its nodes and their GPUs,
 * and its workloads. Admission and the workload controller both build their decisions on it.
 *
 * @param nodes the machines of its pools (its own, or the shared one it runs on), by name, with their observed status
 * @param workloads the tenant's workloads in this environment
 */
public record EnvironmentSnapshot(Resource environment, WorkloadCheck.Environment view, Map<String, JsonNode> nodes,
                                  List<Resource> workloads) {
    /** Phases after which a workload holds nothing. */
    static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

    public static Optional<EnvironmentSnapshot> load(ResourceStore store, String tenant, String name) {
        Optional<Resource> found = store.get(new ResourceKey(CatalogKinds.ENVIRONMENT, tenant, name));
        if (found.isEmpty()) return Optional.empty();
        Resource env = found.get();
        JsonNode t = env.spec().path("template");
        String template = t.path("name").asText() + "@" + t.path("version").asText();
        List<Pack> stack = store.get(CatalogKinds.templateOf(env.spec()))
                .flatMap(o -> TemplateCheck.packs(PackCatalog.load(store), o.spec())).orElse(List.of());
        Map<String, JsonNode> nodes = new TreeMap<>();
        Map<String, Integer> gpus = new TreeMap<>();
        List<String> pools = new java.util.ArrayList<>();
        env.spec().path("nodePools").forEach(p -> pools.add(p.asText()));
        if (env.spec().hasNonNull("sharedNodePool")) pools.add(env.spec().path("sharedNodePool").asText());
        for (String pool : pools) {
            Optional<Resource> p = store.get(ResourceKey.platform(FleetKinds.NODE_POOL, pool));
            if (p.isEmpty()) continue;
            for (JsonNode m : p.get().spec().path("machines")) {
                store.get(ResourceKey.platform(FleetKinds.MACHINE, m.asText())).ifPresent(machine -> {
                    nodes.put(machine.name(), machine.status());
                    machine.status().path("inventory").path("gpus").forEach(g -> gpus.merge(g.path("model").asText(), 1, Integer::sum));
                });
            }
        }
        List<Resource> workloads = store.listAll(new ListOptions(WorkloadKinds.WORKLOAD, Set.of(tenant), null,
                dev.millwright.resource.FieldSelector.parse("spec.environment=" + name), ListOptions.MAX_LIMIT, null)).items();
        return Optional.of(new EnvironmentSnapshot(env, new WorkloadCheck.Environment(name, env.spec(), template, stack, gpus), nodes, workloads));
    }

    /** GPUs by model that live workloads other than {@code except} hold (those placed and not finished). */
    public Map<String, Integer> inUse(String except) {
        Map<String, Integer> out = new TreeMap<>();
        for (Resource w : workloads) {
            if (w.name().equals(except) || FINISHED.contains(w.status().path("phase").asText())) continue;
            if (w.status().path("placements").isEmpty() || !w.status().has("gpuModel")) continue;
            out.merge(w.status().path("gpuModel").asText(), w.status().path("totalGpus").asInt(), Integer::sum);
        }
        return out;
    }
}
