package dev.millwright.control.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.control.workload.WorkloadController;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.infra.Health;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.rollout.MaintenanceWindow;
import dev.millwright.rollout.NodeProgress;
import dev.millwright.rollout.RolloutEngine;
import dev.millwright.rollout.RolloutKinds;
import dev.millwright.rollout.RolloutSettings;
import dev.millwright.rollout.UpgradePlanner;
import dev.millwright.rollout.WavePlan;
import dev.millwright.store.ListOptions;
import dev.millwright.workload.WorkloadKinds;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs Rollouts. A pass reads the rollout's progress from its status, lets the {@link RolloutRunner} find what a
 * crashed pass asked for and observe the nodes being worked on, asks the {@link RolloutEngine} what comes next,
 * writes that intent to the status, then carries out the actions and records their operation ids. Whatever
 * moment a crash hits, the next pass knows each node's true state: nothing is done twice or skipped.
 *
 * <p>While it runs, the environment's own controller leaves the environment's nodes to it. When every node is
 * done, the environment's template becomes the target.
 */
public final class RolloutController implements Controller {
    /** Phases after which the rollout never acts again. */
    public static final Set<String> FINISHED = Set.of("Completed", "CompletedWithFailures", "Aborted", "Refused");
    static final Duration ACTIVE_POLL = Duration.ofMillis(250);
    static final Duration IDLE_POLL = Duration.ofSeconds(10);
    /** How long a service's replica on a node being emptied waits for its replacement elsewhere before the drain. */
    static final Duration SERVICE_MOVE = Duration.ofMinutes(5);

    private final Infrastructure infra;
    private final RolloutRunner runner;

    public RolloutController(Infrastructure infra) {
        this.infra = infra;
        this.runner = new RolloutRunner(infra);
    }

    @Override
    public String name() {
        return "rollouts";
    }

    @Override
    public String kind() {
        return RolloutKinds.ROLLOUT;
    }

    /** Whether a rollout still governs its environment's nodes. */
    public static boolean active(Resource rollout) {
        return !FINISHED.contains(rollout.status().path("phase").asText(""));
    }

    /** The rollout that governs an environment's nodes now, if any. */
    public static Optional<Resource> activeFor(dev.millwright.store.ResourceStore store, String tenant, String environment) {
        return store.listAll(ListOptions.all(RolloutKinds.ROLLOUT)).items().stream()
                .filter(r -> r.tenant().equals(tenant) && r.spec().path("environment").asText().equals(environment) && active(r))
                .findFirst();
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) return Result.done();
        Resource rollout = found.get();
        JsonNode status = rollout.status();
        if (FINISHED.contains(status.path("phase").asText())) return Result.done();
        Instant now = infra.clock().instant();
        String envName = rollout.spec().path("environment").asText();
        Optional<Resource> env = ctx.get(new ResourceKey(CatalogKinds.ENVIRONMENT, rollout.tenant(), envName));
        if (env.isEmpty()) return blocked(ctx, key, "environment " + envName + " does not exist");

        Catalog catalog = PackCatalog.load(ctx.store());
        JsonNode fromRef = status.has("from") ? status.get("from") : env.get().spec().path("template");
        Optional<Resource> fromTemplate = ctx.get(CatalogKinds.templateOf(Json.object().set("template", fromRef)));
        Optional<Resource> toTemplate = ctx.get(CatalogKinds.templateOf(rollout.spec()));
        if (fromTemplate.isEmpty() || toTemplate.isEmpty()) return blocked(ctx, key, "a template version it needs is no longer published");
        Optional<List<Pack>> previous = TemplateCheck.packs(catalog, fromTemplate.get().spec());
        Optional<List<Pack>> target = TemplateCheck.packs(catalog, toTemplate.get().spec());
        if (previous.isEmpty() || target.isEmpty()) return blocked(ctx, key, "a template names a pack version the catalog no longer has");

        List<String> machines = machinesOf(ctx, env.get());
        Map<String, List<String>> errors = new TreeMap<>();
        RolloutSettings settings = RolloutSettings.of(rollout.spec(), machines.size(), errors);

        if (!status.has("nodes")) {
            // the first pass fixes what the rollout is: its plan, its start version and its node order
            UpgradePlanner.Result plan = UpgradePlanner.plan(catalog, fromTemplate.get().spec(), toTemplate.get().spec(),
                    LocalDate.ofInstant(now, ZoneOffset.UTC));
            if (plan.refused() || !errors.isEmpty()) {
                Map<String, List<String>> why = plan.refused() ? plan.refusals() : errors;
                ctx.updateStatus(key, s -> s.put("phase", "Refused").put("message", why.toString()));
                ctx.event(key, "Warning", "RolloutRefused", why.toString());
                return Result.done();
            }
            boolean drains = plan.plan().steps().stream().anyMatch(st -> st.procedure().drains());
            Map<String, String> domains = new TreeMap<>();
            for (String m : machines) domains.put(m, domainOf(ctx, m));
            LinkedHashMap<String, NodeProgress> nodes = WavePlan.plan(domains, settings.canary(), settings.parallel(), now);
            ctx.updateStatus(key, s -> {
                s.set("from", fromRef.deepCopy());
                s.put("drains", drains);
                s.put("startedAt", now.toString());
                s.put("phase", "Canary");
                s.put("gatesPassed", -1);
                s.put("plan", plan.plan().describe(nodes.size(), settings.parallel()));
                s.set("via", Json.MAPPER.valueToTree(plan.plan().intermediateVersions()));
                s.set("nodes", toJson(nodes));
                return s;
            });
            ctx.event(key, "Normal", "RolloutStarted", fromRef.path("name").asText() + "@" + fromRef.path("version").asText() + " -> "
                    + rollout.spec().path("template").path("name").asText() + "@" + rollout.spec().path("template").path("version").asText()
                    + " on " + nodes.size() + " nodes, canary " + settings.canary() + ", " + settings.parallel() + " at a time");
            return Result.requeueAfter(Duration.ZERO);
        }

        LinkedHashMap<String, NodeProgress> nodes = new LinkedHashMap<>();
        status.path("nodes").fields().forEachRemaining(e -> nodes.put(e.getKey(), NodeProgress.fromJson(e.getValue())));
        nodes.putAll(runner.recover(nodes, settings));

        List<Resource> workloads = ctx.store().listAll(ListOptions.all(WorkloadKinds.WORKLOAD)).items().stream()
                .filter(w -> w.tenant().equals(rollout.tenant()) && w.spec().path("environment").asText().equals(envName)).toList();
        Map<String, RolloutEngine.NodeInfo> fleet = fleet(ctx, nodes, workloads);
        Set<String> managed = new TreeSet<>();
        previous.get().forEach(p -> managed.add(p.name()));
        target.get().forEach(p -> managed.add(p.name()));
        List<MaintenanceWindow> windows = MaintenanceWindow.parse(env.get().spec().path("maintenanceWindows"), "spec.maintenanceWindows",
                Instant.EPOCH, new TreeMap<>());
        RolloutEngine.Input in = new RolloutEngine.Input(settings, status.path("drains").asBoolean(true), target.get(), previous.get(), managed,
                nodes, fleet, runner.observe(nodes, m -> workOn(workloads, m)), now, MaintenanceWindow.anyOpen(windows, now),
                guaranteed(env.get()), services(workloads), status.path("gatesPassed").asInt(-1), status.hasNonNull("haltReason")
                ? status.get("haltReason").asText() : null, via(status.path("via")));
        RolloutEngine.Output out = RolloutEngine.pass(in);
        nodes.putAll(out.changed());

        if (out.phase().startsWith("Completed")) {
            // the environment's template becomes the target before the rollout lets go of its nodes, so that its
            // controller never sees them run a version its template does not name (and sets about reverting them)
            ctx.store().update(env.get().key(), e -> {
                ObjectNode spec = e.spec().deepCopy();
                spec.set("template", rollout.spec().path("template").deepCopy());
                return e.withSpec(spec);
            }, ctx.writes(), "update");
        }
        // the intent first: a crash from here on finds each asked-for operation by its kind
        write(ctx, key, nodes, out, windows, now);
        if (!out.actions().isEmpty()) {
            nodes.putAll(runner.execute(out.actions(), nodes));
            write(ctx, key, nodes, out, windows, now);
        }
        String before = status.path("phase").asText();
        out.events().forEach(e -> ctx.event(key, e.startsWith("halted") || e.contains("failed") || e.contains("rolls back") ? "Warning" : "Normal",
                e.startsWith("halted") ? "RolloutHalted" : "RolloutNode", e));
        out.gates().forEach(g -> ctx.event(key, g.passed() ? "Normal" : "Warning", g.passed() ? "WavePassed" : "WaveFailed",
                "wave " + g.wave() + ": " + g.evidence()));
        if (!before.equals(out.phase())) {
            boolean bad = Set.of("Halted", "CompletedWithFailures", "Aborting").contains(out.phase());
            ctx.event(key, bad ? "Warning" : "Normal", "Rollout" + out.phase(), out.message());
        }
        if (out.finished()) return Result.done();
        return Result.requeueAfter(out.actions().isEmpty() && nodes.values().stream().noneMatch(p -> p.phase().active()) ? IDLE_POLL : ACTIVE_POLL);
    }

    private void write(ControllerContext ctx, ResourceKey key, Map<String, NodeProgress> nodes, RolloutEngine.Output out,
                       List<MaintenanceWindow> windows, Instant now) {
        Map<String, Integer> counts = new TreeMap<>();
        Map<Integer, int[]> waves = new TreeMap<>();
        nodes.values().forEach(p -> {
            counts.merge(p.phase().wire(), 1, Integer::sum);
            int[] w = waves.computeIfAbsent(p.wave(), k -> new int[3]);
            w[0]++;
            if (p.phase() == dev.millwright.rollout.NodePhase.UPGRADED) w[1]++;
            // what failed in the wave; nodes an abort sent back did not fail
            if (p.counted() && (p.phase() == dev.millwright.rollout.NodePhase.FAILED || p.phase() == dev.millwright.rollout.NodePhase.ROLLED_BACK)) w[2]++;
        });
        int upgraded = counts.getOrDefault("Upgraded", 0);
        ctx.updateStatus(key, s -> {
            s.put("phase", out.phase());
            s.put("message", out.message());
            s.put("progress", upgraded + "/" + nodes.size());
            s.put("gatesPassed", out.gatesPassed());
            if (out.haltReason() != null) s.put("haltReason", out.haltReason());
            s.set("counts", Json.MAPPER.valueToTree(counts));
            ArrayNode gates = s.has("gates") ? (ArrayNode) s.get("gates") : s.putArray("gates");
            for (RolloutEngine.Gate g : out.gates()) {
                if (gates.size() > g.wave()) continue;
                gates.addObject().put("wave", g.wave()).put("passed", g.passed()).put("evidence", g.evidence()).put("at", now.toString());
            }
            ArrayNode w = s.putArray("waves");
            waves.forEach((wave, c) -> w.addObject().put("wave", wave).put("nodes", c[0]).put("upgraded", c[1]).put("failed", c[2]));
            if (out.phase().equals("WaitingForWindow")) {
                MaintenanceWindow.nextOpening(windows, now).ifPresent(t -> s.put("nextWindow", t.toString()));
            } else {
                s.remove("nextWindow");
            }
            if (out.finished()) s.put("finishedAt", now.toString());
            s.set("nodes", toJson(nodes));
            return s;
        });
    }

    /** The intermediate versions fixed when the rollout started ({@code status.via}). */
    private static Map<String, List<String>> via(JsonNode via) {
        Map<String, List<String>> out = new TreeMap<>();
        via.fields().forEachRemaining(e -> {
            List<String> versions = new ArrayList<>();
            e.getValue().forEach(v -> versions.add(v.asText()));
            out.put(e.getKey(), versions);
        });
        return out;
    }

    private static ObjectNode toJson(Map<String, NodeProgress> nodes) {
        ObjectNode o = Json.object();
        nodes.forEach((m, p) -> o.set(m, p.toJson()));
        return o;
    }

    private static Result blocked(ControllerContext ctx, ResourceKey key, String why) {
        ctx.updateStatus(key, s -> s.put("message", "blocked: " + why));
        return Result.requeueAfter(IDLE_POLL);
    }

    /** The machines of the environment's own node pools, by name. */
    static List<String> machinesOf(ControllerContext ctx, Resource env) {
        Set<String> out = new TreeSet<>();
        env.spec().path("nodePools").forEach(p -> ctx.get(ResourceKey.platform(FleetKinds.NODE_POOL, p.asText()))
                .ifPresent(pool -> pool.spec().path("machines").forEach(m -> {
                    if (ctx.get(ResourceKey.platform(FleetKinds.MACHINE, m.asText())).isPresent()) out.add(m.asText());
                })));
        return new ArrayList<>(out);
    }

    /** A node's failure domain: its rack at its site, else the machine alone. */
    private static String domainOf(ControllerContext ctx, String machine) {
        return ctx.get(ResourceKey.platform(FleetKinds.MACHINE, machine))
                .map(m -> m.spec().path("rack").asText("").isEmpty() ? machine : m.spec().path("site").asText() + "/" + m.spec().path("rack").asText())
                .orElse(machine);
    }

    private Map<String, RolloutEngine.NodeInfo> fleet(ControllerContext ctx, Map<String, NodeProgress> nodes, List<Resource> workloads) {
        Map<String, Integer> busy = new HashMap<>();
        for (Resource w : workloads) {
            for (JsonNode p : w.status().path("placements")) busy.merge(p.path("machine").asText(), p.path("gpus").size(), Integer::sum);
        }
        Map<String, RolloutEngine.NodeInfo> out = new HashMap<>();
        for (String m : nodes.keySet()) {
            int gpus = ctx.get(ResourceKey.platform(FleetKinds.MACHINE, m)).map(r -> r.status().path("inventory").path("gpus").size()).orElse(0);
            Health h = infra.health(m);
            out.put(m, new RolloutEngine.NodeInfo(m, nodes.get(m).domain(), gpus, busy.getOrDefault(m, 0), h.healthy(),
                    h.message().isEmpty() ? (h.reachable() ? "healthy" : "unreachable") : h.message()));
        }
        return out;
    }

    /**
     * Workload replicas still placed on a machine, and how long the node waits for them before it is drained
     * anyway: a job's checkpoint grace, or for a service the time its replacement gets to start elsewhere.
     */
    public static RolloutRunner.Work workOn(List<Resource> workloads, String machine) {
        int replicas = 0;
        long grace = 0;
        for (Resource w : workloads) {
            boolean job = w.status().path("job").asBoolean();
            for (JsonNode p : w.status().path("placements")) {
                if (!p.path("machine").asText().equals(machine)) continue;
                replicas++;
                grace = Math.max(grace, job ? w.status().path("placed").path("graceSeconds").asLong(WorkloadController.DEFAULT_JOB_GRACE_SECONDS)
                        : SERVICE_MOVE.toSeconds());
            }
        }
        return new RolloutRunner.Work(replicas, Duration.ofSeconds(grace));
    }

    /** A production environment's guaranteed GPUs (its quota); other stages may go lower during an upgrade. */
    public static int guaranteed(Resource env) {
        if (!"prod".equals(env.spec().path("stage").asText())) return 0;
        int sum = 0;
        for (JsonNode v : env.spec().path("quota").path("gpus")) sum += v.asInt();
        return sum;
    }

    /** The worst error rate and p99 latency among the environment's running services now. */
    private RolloutEngine.ServiceHealth services(List<Resource> workloads) {
        double errors = 0;
        double latency = 0;
        String worst = null;
        for (Resource w : workloads) {
            if (w.status().path("job").asBoolean() || !"Running".equals(w.status().path("phase").asText())) continue;
            for (JsonNode p : w.status().path("placements")) {
                WorkloadObservation o = infra.workload(WorkloadController.replicaId(w.key(), p.path("replica").asInt()));
                if (o.state() != WorkloadObservation.State.RUNNING) continue;
                if (o.errorRate() > errors || o.latencyMs() > latency) worst = w.name() + " on " + p.path("machine").asText();
                errors = Math.max(errors, o.errorRate());
                latency = Math.max(latency, o.latencyMs());
            }
        }
        return new RolloutEngine.ServiceHealth(errors, latency, worst);
    }
}
