package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import java.time.Duration;
import java.util.Optional;

/**
 * Reports what each environment runs on: its template version (and whether that version exists), its
 * nodes (the machines of its pools), how many are ready, and its GPUs against its quota. Applying the template
 * to the nodes is the Day-2 rollout's work; this controller only observes.
 */
public final class EnvironmentController implements Controller {
    /** Machine health changes without a write to the environment; it is looked at again this often. */
    static final Duration POLL = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "environments";
    }

    @Override
    public String kind() {
        return CatalogKinds.ENVIRONMENT;
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) return Result.done();
        Resource env = found.get();
        JsonNode t = env.spec().path("template");
        String template = t.path("name").asText() + "@" + t.path("version").asText();
        boolean templateExists = ctx.get(ResourceKey.platform(CatalogKinds.STACK_TEMPLATE,
                CatalogKinds.templateObjectName(t.path("name").asText(), t.path("version").asText()))).isPresent();
        GpuSummary gpus = new GpuSummary();
        int nodes = 0;
        int ready = 0;
        for (JsonNode poolName : env.spec().path("nodePools")) {
            Optional<Resource> pool = ctx.get(ResourceKey.platform(FleetKinds.NODE_POOL, poolName.asText()));
            if (pool.isEmpty()) continue;
            PoolNodes.Tally tally = PoolNodes.tally(ctx, pool.get().spec().path("machines"),
                    s -> "Ready".equals(s.path("phase").asText()), gpus);
            nodes += tally.present();
            ready += tally.ready();
        }
        String phase = !templateExists ? "TemplateMissing" : nodes == 0 ? "NoNodes" : ready == nodes ? "Ready" : "Degraded";
        int nodeCount = nodes;
        int readyCount = ready;
        long generation = env.metadata().generation();
        ctx.updateStatus(key, s -> {
            s.put("observedGeneration", generation);
            s.put("phase", phase);
            s.put("template", template);
            s.put("nodes", nodeCount);
            s.put("readyNodes", readyCount);
            s.put("gpus", gpus.toString());
            s.set("gpusByModel", Json.MAPPER.valueToTree(gpus.byModel()));
            return s;
        });
        String before = env.status().path("phase").asText("");
        if (!before.equals(phase)) {
            ctx.event(key, phase.equals("Ready") ? "Normal" : "Warning", "Environment" + phase,
                    template + " on " + readyCount + " of " + nodeCount + " ready nodes");
        }
        return Result.requeueAfter(POLL);
    }
}
