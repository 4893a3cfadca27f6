package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.infra.Infrastructure;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the platform's template on the nodes of a pool shared between tenants ({@code spec.shared}), as the
 * environment controller does on an environment's own pools, and reports each node's state on the pool's
 * status; the environments on the pool read it from there. Pools that are not shared are left alone.
 */
public final class SharedPoolController implements Controller {
    private final EnvironmentStack stack;

    public SharedPoolController(Infrastructure infra) {
        this.stack = new EnvironmentStack(infra);
    }

    @Override
    public String name() {
        return "shared-pools";
    }

    @Override
    public String kind() {
        return FleetKinds.NODE_POOL;
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty() || !found.get().spec().has("shared")) return Result.done();
        Resource pool = found.get();
        JsonNode t = pool.spec().path("shared").path("template");
        String template = t.path("name").asText() + "@" + t.path("version").asText();
        Optional<Resource> templateObject = ctx.get(CatalogKinds.templateOf(pool.spec().path("shared")));
        Optional<List<Pack>> desired = templateObject.flatMap(o -> TemplateCheck.packs(PackCatalog.load(ctx.store()), o.spec()));
        List<String> machines = new ArrayList<>();
        pool.spec().path("machines").forEach(m -> {
            if (ctx.get(ResourceKey.platform(FleetKinds.MACHINE, m.asText())).isPresent()) machines.add(m.asText());
        });
        if (desired.isEmpty()) {
            String phase = templateObject.isEmpty() ? "TemplateMissing" : "TemplateUnresolved";
            ctx.updateStatus(key, s -> s.put("phase", phase).put("template", template));
            return Result.requeueAfter(EnvironmentController.POLL);
        }
        StackRollout r = StackRollout.advance(stack, machines, template, desired.get(), pool.status(), ctx.clock().instant(), true);
        String phase = machines.isEmpty() ? "NoNodes" : r.applying() > 0 ? "Applying" : r.failed() > 0 ? "Degraded" : "Ready";
        long generation = pool.metadata().generation();
        ctx.updateStatus(key, s -> {
            s.put("observedGeneration", generation);
            s.put("phase", phase);
            s.put("template", template);
            s.put("nodesInSync", r.inSync());
            s.set("managedPacks", Json.MAPPER.valueToTree(r.managed()));
            s.set("nodeStacks", r.nodeStacks());
            return s;
        });
        if (!phase.equals(pool.status().path("phase").asText(""))) {
            ctx.event(key, phase.equals("Degraded") ? "Warning" : "Normal", "SharedPool" + phase,
                    template + ": " + r.inSync() + " of " + machines.size() + " nodes run it");
        }
        return Result.requeueAfter(r.applying() > 0 ? EnvironmentController.APPLYING_POLL : EnvironmentController.POLL);
    }
}
