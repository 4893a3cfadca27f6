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
import java.util.ArrayList;
import dev.millwright.rollout.RolloutKinds;
import dev.millwright.store.ListOptions;
import dev.millwright.watch.Change;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs each environment's template on its nodes and reports it: the template version, the nodes of its
 * pools and how many are ready and run the template's packs, its GPUs against its quota. Nodes are brought to
 * the template by {@link StackRollout}, at most a quarter of them changing at once. An environment on a node
 * pool shared between tenants changes nothing: the pool's own controller runs the platform's template there,
 * and the environment reports what its nodes run.
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
        List<String> pools = new ArrayList<>();
        env.spec().path("nodePools").forEach(p -> pools.add(p.asText()));
        String sharedName = env.spec().path("sharedNodePool").asText("");
        Optional<Resource> shared = sharedName.isEmpty() ? Optional.empty() : ctx.get(ResourceKey.platform(FleetKinds.NODE_POOL, sharedName));
        if (!sharedName.isEmpty()) pools.add(sharedName);
        for (String poolName : pools) {
            Optional<Resource> pool = ctx.get(ResourceKey.platform(FleetKinds.NODE_POOL, poolName));
            if (pool.isEmpty()) continue;
            PoolNodes.Tally tally = PoolNodes.tally(ctx, pool.get().spec().path("machines"),
                    s -> "Ready".equals(s.path("phase").asText()), gpus);
            ready += tally.ready();
            pool.get().spec().path("machines").forEach(m -> {
                if (ctx.get(ResourceKey.platform(FleetKinds.MACHINE, m.asText())).isPresent()) machines.add(m.asText());
            });
        }

        StackRollout rollout = null;
        Optional<Resource> governing = dev.millwright.control.rollout.RolloutController.activeFor(ctx.store(), env.tenant(), env.name());
        if (governing.isPresent() && governing.get().status().has("nodes")) {
            // a Rollout changes these nodes now, with its canary, waves and gates; this controller only reports
            JsonNode to = governing.get().spec().path("template");
            rollout = StackRollout.governed(machines, governing.get().status(), template,
                    to.path("name").asText() + "@" + to.path("version").asText(), governing.get().name());
        } else if (shared.isPresent()) {
            // the platform runs a shared pool's stack; an environment on it only reports what its nodes run
            JsonNode runs = shared.get().spec().path("shared").path("template");
            boolean same = CatalogKinds.sameTemplate(runs, t);
            rollout = StackRollout.observe(machines, shared.get().status(), same, "shared node pool " + sharedName + " runs "
                    + runs.path("name").asText() + "@" + runs.path("version").asText() + ", not " + template);
        } else if (desired.isPresent()) {
            rollout = StackRollout.advance(stack, machines, template, desired.get(), env.status(), ctx.clock().instant(),
                    !"flag".equals(env.spec().path("driftPolicy").asText("reconcile")), heldBy(ctx, env, template));
        }
        ObjectNode nodeStacks = rollout == null ? Json.object() : rollout.nodeStacks();
        int inSync = rollout == null ? 0 : rollout.inSync();
        int applying = rollout == null ? 0 : rollout.applying();
        int failed = rollout == null ? 0 : rollout.failed();
        int drifted = rollout == null ? 0 : rollout.drifted();
        Set<String> managed = rollout == null ? new TreeSet<>() : rollout.managed();

        String phase = templateObject.isEmpty() ? "TemplateMissing"
                : desired.isEmpty() ? "TemplateUnresolved"
                : machines.isEmpty() ? "NoNodes"
                : governing.isPresent() ? "Upgrading"
                : applying > 0 ? "Applying"
                : drifted > 0 ? "Drifted"
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
            s.put("driftedNodes", drifted);
            return s;
        });
        JsonNode stacksBefore = env.status().path("nodeStacks");
        nodeStacks.fields().forEachRemaining(e -> {
            boolean drift = e.getValue().has("drift") && !e.getValue().path("drift").isEmpty();
            if (drift && !Json.equivalent(e.getValue().path("drift"), stacksBefore.path(e.getKey()).path("drift"))) {
                ctx.event(key, "Warning", "DriftDetected", e.getKey() + " no longer runs " + template + ": "
                        + String.join("; ", Json.MAPPER.convertValue(e.getValue().path("drift"), String[].class))
                        + ("Drifted".equals(e.getValue().path("state").asText()) ? " (flagged, left as it is)" : " (being put right)"));
            }
        });
        String before = env.status().path("phase").asText("");
        if (!before.equals(phase)) {
            ctx.event(key, phase.equals("Ready") || phase.equals("Applying") || phase.equals("Upgrading") ? "Normal" : "Warning", "Environment" + phase,
                    template + ": " + syncCount + " of " + nodeCount + " nodes run it, " + readyCount + " ready");
        }
        return Result.requeueAfter(applying > 0 ? APPLYING_POLL : POLL);
    }

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        return Map.of(RolloutKinds.ROLLOUT, c -> {
            String environment = c.object() == null ? "" : c.object().path("spec").path("environment").asText("");
            return environment.isEmpty() ? List.of() : List.of(new ResourceKey(CatalogKinds.ENVIRONMENT, c.key().tenant(), environment));
        });
    }

    /**
     * Nodes the last finished rollout to this template failed or rolled back: they are not brought to it behind
     * its back (a bad version would be installed again without a canary); a person looks, or a new rollout runs.
     */
    private static Map<String, String> heldBy(ControllerContext ctx, Resource env, String template) {
        Map<String, String> held = new java.util.HashMap<>();
        Resource latest = null;
        for (Resource r : ctx.store().listAll(ListOptions.all(RolloutKinds.ROLLOUT)).items()) {
            if (!r.tenant().equals(env.tenant()) || !r.spec().path("environment").asText().equals(env.name())) continue;
            JsonNode to = r.spec().path("template");
            if (!template.equals(to.path("name").asText() + "@" + to.path("version").asText())) continue;
            if (latest == null || r.metadata().creationTimestamp().isAfter(latest.metadata().creationTimestamp())) latest = r;
        }
        if (latest == null) return held;
        String name = latest.name();
        latest.status().path("nodes").fields().forEachRemaining(e -> {
            String phase = e.getValue().path("phase").asText();
            if (phase.equals("Failed") || phase.equals("RolledBack")) {
                held.put(e.getKey(), "held: rollout " + name + " left it " + phase + ": " + e.getValue().path("evidence").asText());
            }
        });
        return held;
    }
}
