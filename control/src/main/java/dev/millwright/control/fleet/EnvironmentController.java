package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs each environment's template on its nodes and reports it: the template version, the nodes of its
 * pools and how many are ready and run the template's packs, its GPUs against its quota. Nodes are brought to
 * the template by {@link EnvironmentStack}, at most a quarter of them changing at once.
 */
public final class EnvironmentController implements Controller {
    /** Machine health changes without a write to the environment; it is looked at again this often. */
    static final Duration POLL = Duration.ofSeconds(15);
    /** While nodes change, their operations are looked at this often. */
    static final Duration APPLYING_POLL = Duration.ofSeconds(1);

    private final EnvironmentStack stack;

    public EnvironmentController(Infrastructure infra) {
        this.stack = new EnvironmentStack(infra);
    }

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
        Optional<Resource> templateObject = ctx.get(CatalogKinds.templateOf(env.spec()));
        Optional<List<Pack>> desired = templateObject.flatMap(o -> TemplateCheck.packs(PackCatalog.load(ctx.store()), o.spec()));

        GpuSummary gpus = new GpuSummary();
        List<String> machines = new ArrayList<>();
        int ready = 0;
        for (JsonNode poolName : env.spec().path("nodePools")) {
            Optional<Resource> pool = ctx.get(ResourceKey.platform(FleetKinds.NODE_POOL, poolName.asText()));
            if (pool.isEmpty()) continue;
            PoolNodes.Tally tally = PoolNodes.tally(ctx, pool.get().spec().path("machines"),
                    s -> "Ready".equals(s.path("phase").asText()), gpus);
            ready += tally.ready();
            pool.get().spec().path("machines").forEach(m -> {
                if (ctx.get(ResourceKey.platform(FleetKinds.MACHINE, m.asText())).isPresent()) machines.add(m.asText());
            });
        }

        // the packs earlier templates put on these nodes, so that those this one drops are removed
        Set<String> managed = new TreeSet<>();
        env.status().path("managedPacks").forEach(p -> managed.add(p.asText()));
        desired.ifPresent(ps -> ps.forEach(p -> managed.add(p.name())));

        ObjectNode nodeStacks = Json.object();
        int inSync = 0;
        int applying = 0;
        int failed = 0;
        if (desired.isPresent()) {
            Instant now = ctx.clock().instant();
            JsonNode before = env.status().path("nodeStacks");
            int busy = 0;
            for (String m : machines) if ("Applying".equals(before.path(m).path("state").asText())) busy++;
            int maxBusy = Math.max(1, machines.size() / 4);
            for (String m : machines) {
                boolean wasBusy = "Applying".equals(before.path(m).path("state").asText());
                ObjectNode entry = stack.advance(m, desired.get(), managed, before.path(m), now, wasBusy || busy < maxBusy);
                if (!wasBusy && "Applying".equals(entry.path("state").asText())) busy++;
                if (wasBusy && !"Applying".equals(entry.path("state").asText())) busy--;
                nodeStacks.set(m, entry);
                switch (entry.path("state").asText()) {
                    case "InSync" -> inSync++;
                    case "Applying", "Waiting" -> applying++;
                    default -> failed++;
                }
            }
        }
        if (desired.isPresent() && inSync == machines.size()) {
            managed.clear();
            desired.get().forEach(p -> managed.add(p.name()));
        }

        String phase = templateObject.isEmpty() ? "TemplateMissing"
                : desired.isEmpty() ? "TemplateUnresolved"
                : machines.isEmpty() ? "NoNodes"
                : applying > 0 ? "Applying"
                : failed > 0 || ready < machines.size() ? "Degraded" : "Ready";
        int nodeCount = machines.size();
        int readyCount = ready;
        int syncCount = inSync;
        long generation = env.metadata().generation();
        ctx.updateStatus(key, s -> {
            s.put("observedGeneration", generation);
            s.put("phase", phase);
            s.put("template", template);
            s.put("nodes", nodeCount);
            s.put("readyNodes", readyCount);
            s.put("nodesInSync", syncCount);
            s.put("gpus", gpus.toString());
            s.set("gpusByModel", Json.MAPPER.valueToTree(gpus.byModel()));
            s.set("managedPacks", Json.MAPPER.valueToTree(managed));
            s.set("nodeStacks", nodeStacks);
            return s;
        });
        String before = env.status().path("phase").asText("");
        if (!before.equals(phase)) {
            ctx.event(key, phase.equals("Ready") || phase.equals("Applying") ? "Normal" : "Warning", "Environment" + phase,
                    template + ": " + syncCount + " of " + nodeCount + " nodes run it, " + readyCount + " ready");
        }
        return Result.requeueAfter(applying > 0 ? APPLYING_POLL : POLL);
    }
}
