package dev.millwright.control.fleet;

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

/** Sums up each site's machines and GPUs, by model and health, from the machines' statuses. */
public final class SiteController implements Controller {
    @Override
    public String name() {
        return "sites";
    }

    @Override
    public String kind() {
        return FleetKinds.SITE;
    }

    /** The site each machine was last seen at, so that a machine that moves updates the site it left too. */
    private final Map<String, String> lastSite = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        return Map.of(FleetKinds.MACHINE, c -> {
            String site = c.type() == Change.Type.DELETED ? "" : c.object().path("spec").path("site").asText("");
            String before = site.isEmpty() ? lastSite.remove(c.key().name()) : lastSite.put(c.key().name(), site);
            java.util.Set<ResourceKey> sites = new java.util.LinkedHashSet<>();
            if (!site.isEmpty()) sites.add(ResourceKey.platform(FleetKinds.SITE, site));
            if (before != null) sites.add(ResourceKey.platform(FleetKinds.SITE, before));
            if (site.isEmpty() && c.type() == Change.Type.DELETED) {
                String was = c.object().path("spec").path("site").asText("");
                if (!was.isEmpty()) sites.add(ResourceKey.platform(FleetKinds.SITE, was));
            }
            return List.copyOf(sites);
        });
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) return Result.done();
        Resource site = found.get();
        List<Resource> machines = ctx.store().listAll(new ListOptions(FleetKinds.MACHINE, null, null,
                FieldSelector.parse("spec.site=" + site.name()), ListOptions.MAX_LIMIT, null)).items();
        GpuSummary gpus = new GpuSummary();
        int healthy = 0;
        int failedGpus = 0;
        for (Resource m : machines) {
            lastSite.put(m.name(), site.name());
            gpus.addMachine(m.status());
            if ("Healthy".equals(m.status().path("health").asText())) healthy++;
            failedGpus += m.status().path("failedGpus").asInt(0);
        }
        int machineCount = machines.size();
        int healthyCount = healthy;
        int failed = failedGpus;
        long generation = site.metadata().generation();
        ctx.updateStatus(key, s -> {
            s.put("observedGeneration", generation);
            s.put("machines", machineCount);
            s.put("healthyMachines", healthyCount);
            s.put("gpus", gpus.toString());
            s.put("gpuCount", gpus.total());
            s.put("failedGpus", failed);
            s.set("gpusByModel", Json.MAPPER.valueToTree(gpus.byModel()));
            return s;
        });
        return Result.requeueAfter(Duration.ofSeconds(30));
    }
}
