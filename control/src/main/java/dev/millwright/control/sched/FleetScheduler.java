package dev.millwright.control.sched;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.control.policy.PlacementPolicies;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.fleet.GpuModels;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.sched.Placement;
import dev.millwright.sched.PriorityClass;
import dev.millwright.sched.SchedKinds;
import dev.millwright.sched.Scheduler;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import dev.millwright.workload.WorkloadKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The live GPU scheduler: one pass decides over the whole fleet. It reads the store (queues, the nodes each
 * environment may use, the workloads that run and those that wait), feeds the pure {@link Scheduler} engine,
 * and writes its decisions back: placements on the workloads it binds (the workload controller starts them),
 * a preemption on the workloads it reclaims GPUs from, and on every workload left waiting the engine's reason.
 * Every change to a workload, queue, machine, pool or environment schedules one pass; changes coalesce.
 *
 * <p>A preempted workload keeps its GPUs through its checkpoint grace period: a bind that would land on them
 * waits until it has stopped, so no GPU is ever given twice. Each write is conditional on the workload still
 * being in the state the pass read, so a pass that raced a change decides again rather than undo it.
 */
public final class FleetScheduler implements Controller {
    static final ResourceKey PASS = ResourceKey.platform(WorkloadKinds.WORKLOAD, "*scheduler*");
    static final Duration RESYNC = Duration.ofSeconds(5);
    private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");
    /** The suffix of the engine request for the replicas a running service lost. */
    private static final String MORE = "#more";

    private final Duration starvationAfter;

    public FleetScheduler() {
        this(Duration.ofMinutes(10));
    }

    public FleetScheduler(Duration starvationAfter) {
        this.starvationAfter = starvationAfter;
    }

    @Override
    public String name() {
        return "scheduler";
    }

    @Override
    public String kind() {
        return WorkloadKinds.WORKLOAD;
    }

    @Override
    public ResourceKey singleton() {
        return PASS;
    }

    @Override
    public Map<String, Function<dev.millwright.watch.Change, List<ResourceKey>>> watches() {
        Function<dev.millwright.watch.Change, List<ResourceKey>> pass = c -> List.of(PASS);
        return Map.of(SchedKinds.QUEUE, pass, FleetKinds.MACHINE, pass, FleetKinds.NODE_POOL, pass, CatalogKinds.ENVIRONMENT, pass,
                dev.millwright.rollout.RolloutKinds.ROLLOUT, pass);
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        ResourceStore store = ctx.store();
        FleetView fleet = FleetView.load(store);
        List<Resource> workloads = store.listAll(ListOptions.all(WorkloadKinds.WORKLOAD)).items();
        List<Resource> queueObjects = store.listAll(ListOptions.all(SchedKinds.QUEUE)).items();
        QueueBook queues = new QueueBook(queueObjects);
        Scheduler engine = new Scheduler(starvationAfter);
        fleet.nodes().forEach(engine::addNode);
        Set<String> tenants = new TreeSet<>();
        workloads.forEach(w -> tenants.add(w.tenant()));
        queues.register(engine, fleet.models(), tenants);
        Set<String> known = new TreeSet<>(tenants);
        queueObjects.forEach(q -> known.add(q.tenant()));
        OtherTenants others = new OtherTenants(known);

        Map<String, Resource> byId = new HashMap<>();
        Map<String, String> queueOf = new HashMap<>();
        // GPUs that preempted workloads still hold through their grace period, as "machine/gpu"
        Set<String> terminating = new HashSet<>();
        Set<String> restored = new HashSet<>();
        Map<String, Map<String, Integer>> envUse = new HashMap<>();
        List<Resource> waiting = new ArrayList<>();
        for (Resource w : workloads) {
            String id = w.tenant() + "/" + w.name();
            byId.put(id, w);
            queueOf.put(id, queues.queueOf(w));
            if (restore(engine, fleet, w, id, queueOf.get(id), terminating, envUse)) restored.add(id);
            if (wantsPlacement(w)) waiting.add(w);
        }
        checkpointForRollouts(ctx, store, workloads, others);
        Map<String, String> reasons = new HashMap<>();
        Map<String, String> policyNotes = new HashMap<>();
        PlacementPolicies placement = PlacementPolicies.load(store);
        Map<String, String> modelOf = new HashMap<>();
        fleet.nodes().forEach(n -> modelOf.put(n.name(), n.gpuModel()));
        for (Resource w : waiting) {
            String id = w.tenant() + "/" + w.name();
            JsonNode req = w.status().path("request");
            String environment = FleetView.environment(w.tenant(), w.spec().path("environment").asText());
            String overQuota = fleet.environmentQuota(environment, req.path("gpuModel").asText(),
                    envUse.getOrDefault(environment, Map.of()).getOrDefault(req.path("gpuModel").asText(), 0), asked(req));
            if (overQuota != null) {
                reasons.put(id, overQuota);
                continue;
            }
            String partition = fleet.partition(w.tenant(), w.spec().path("environment").asText());
            // the nodes with its GPU model: those the engine would choose among
            String model = w.status().path("gpuModel").asText(req.path("gpuModel").asText());
            Set<String> nodes = new HashSet<>();
            for (String n : fleet.machinesByPartition().getOrDefault(partition, Set.of())) if (model.equals(modelOf.get(n))) nodes.add(n);
            PlacementPolicies.Refusals refused = placement.judge(w, nodes);
            if (!refused.nodes().isEmpty() && refused.nodes().size() == nodes.size()) {
                reasons.put(id, "its placement policies refuse every " + model + " node of its environment (" + nodes.size() + "): " + refused.reason());
                continue;
            }
            if (!refused.nodes().isEmpty()) {
                policyNotes.put(id, "; its placement policies refuse " + refused.nodes().size() + " of its " + nodes.size() + " " + model + " nodes ("
                        + refused.reason() + ")");
            }
            String engineId = w.status().path("placements").isEmpty() ? id : id + MORE;
            engine.submit(request(engineId, queueOf.get(id), w, req, req.path("replicaIndexes").size(), partition).excluding(refused.nodes()));
        }

        List<Scheduler.Decision> decisions = engine.cycle(ctx.clock().millis());
        // a workload bound and then preempted within this cycle never starts: its bind is dropped, which only frees GPUs
        Set<String> preempted = new HashSet<>();
        Map<String, List<String>> preemptedFor = new HashMap<>();
        for (Scheduler.Decision d : decisions) {
            if (!(d instanceof Scheduler.Preempt p)) continue;
            preempted.add(p.id());
            Resource victim = byId.get(p.id());
            if (victim == null || !restored.contains(p.id())) continue;
            preempt(ctx, victim, p, others);
            victim.status().path("placements").forEach(pl -> pl.path("gpus").forEach(g -> terminating.add(pl.path("machine").asText() + "/" + g.asInt())));
            preemptedFor.computeIfAbsent(p.forId(), k -> new ArrayList<>()).add(p.id());
        }
        for (Scheduler.Decision d : decisions) {
            String id = d.id().endsWith(MORE) ? d.id().substring(0, d.id().length() - MORE.length()) : d.id();
            Resource w = byId.get(id);
            if (w == null) continue;
            if (d instanceof Scheduler.Bind b) {
                if (preempted.contains(d.id())) continue;
                String reason = blockedBind(b, w, terminating, preemptedFor.getOrDefault(d.id(), List.of()), fleet, envUse);
                if (reason == null) bind(ctx, w, b, queueOf.get(id));
                else reasons.put(id, reason);
            } else if (d instanceof Scheduler.Wait wait) {
                String more = wait.reason().startsWith("waiting for")
                        ? fleet.notYetSchedulable(fleet.partition(w.tenant(), w.spec().path("environment").asText())) : "";
                reasons.putIfAbsent(id, wait.reason() + more + policyNotes.getOrDefault(id, ""));
            }
        }
        reasons.forEach((id, reason) -> explain(ctx, byId.get(id), queueOf.get(id), reason, others));
        QueueStatus.write(ctx, queues, engine, fleet.models(), waiting, queueOf);
        return Result.requeueAfter(RESYNC);
    }

    /**
     * Tells the engine what a workload holds: whatever holds placements holds its GPUs, whatever its phase says
     * (a Blocked one may still run). Placements on any node the engine knows count, in whatever partition the
     * node now is (a shared pool whose template moved on, say), so that no held GPU looks free.
     *
     * @return whether it was restored as running
     */
    private static boolean restore(Scheduler engine, FleetView fleet, Resource w, String id, String queue, Set<String> terminating,
                                   Map<String, Map<String, Integer>> envUse) {
        JsonNode s = w.status();
        String phase = s.path("phase").asText("");
        JsonNode placements = s.path("placements");
        if (FINISHED.contains(phase) || placements.isEmpty() || !s.has("gpuModel")) return false;
        envUse.computeIfAbsent(FleetView.environment(w.tenant(), w.spec().path("environment").asText()), k -> new HashMap<>())
                .merge(s.path("gpuModel").asText(), gpusHeld(s), Integer::sum);
        List<Placement> held = new ArrayList<>();
        String partition = null;
        for (JsonNode p : placements) {
            String machine = p.path("machine").asText();
            List<Integer> gpus = new ArrayList<>();
            p.path("gpus").forEach(g -> gpus.add(g.asInt()));
            if (phase.equals("Preempting")) gpus.forEach(g -> terminating.add(machine + "/" + g));
            String nodePartition = fleet.partitionOfNode(machine);
            if (nodePartition == null) continue;
            if (partition == null) partition = nodePartition;
            held.add(new Placement(held.size(), machine, gpus));
        }
        JsonNode placed = s.has("placed") ? s.get("placed") : s.path("request");
        if (held.isEmpty() || !placed.has("gpusPerReplica")) return false;
        engine.restore(request(id, queue, w, placed, held.size(), partition), held);
        if (s.path("job").asBoolean()) engine.progress(id, s.path("progress").asDouble(0));
        return true;
    }

    private static int asked(JsonNode req) {
        return req.path("replicaIndexes").size() * req.path("gpusPerReplica").asInt();
    }

    /**
     * Why a bind the engine decided must not be written yet, or null: it would land on GPUs a preempted workload
     * still holds, or take its environment past its quota together with the binds before it in this pass.
     */
    private static String blockedBind(Scheduler.Bind b, Resource w, Set<String> terminating, List<String> victims, FleetView fleet,
                                      Map<String, Map<String, Integer>> envUse) {
        List<String> blocked = b.placements().stream().flatMap(p -> p.gpus().stream().map(g -> p.machine() + "/" + g))
                .filter(terminating::contains).toList();
        if (!blocked.isEmpty()) {
            return "waiting for " + (victims.isEmpty() ? "preempted workloads" : String.join(", ", victims))
                    + " to checkpoint and stop (" + blocked.size() + " GPUs)";
        }
        JsonNode req = w.status().path("request");
        String environment = FleetView.environment(w.tenant(), w.spec().path("environment").asText());
        String model = req.path("gpuModel").asText();
        Map<String, Integer> use = envUse.computeIfAbsent(environment, k -> new HashMap<>());
        String overQuota = fleet.environmentQuota(environment, model, use.getOrDefault(model, 0), asked(req));
        if (overQuota != null) return overQuota;
        use.merge(model, asked(req), Integer::sum);
        return null;
    }

    /** A workload whose request for placement is current: resolved for its generation, not yet placed, not being preempted. */
    private static boolean wantsPlacement(Resource w) {
        JsonNode s = w.status();
        JsonNode req = s.path("request");
        if (!req.has("gpusPerReplica") || req.path("generation").asLong() != w.metadata().generation()) return false;
        String phase = s.path("phase").asText("");
        if (!phase.equals("Pending") && !phase.equals("Running") && !phase.equals("Starting")) return false;
        Set<Integer> placed = new HashSet<>();
        s.path("placements").forEach(p -> placed.add(p.path("replica").asInt()));
        for (JsonNode i : req.path("replicaIndexes")) if (placed.contains(i.asInt())) return false;
        return !req.path("replicaIndexes").isEmpty();
    }

    private static Scheduler.Request request(String id, String queue, Resource w, JsonNode req, int replicas, String partition) {
        long arrived = w.metadata().creationTimestamp() == null ? 0 : w.metadata().creationTimestamp().toEpochMilli();
        return new Scheduler.Request(id, queue, PriorityClass.of(req.path("priorityClass").asText(null)), replicas,
                req.path("gpusPerReplica").asInt(), w.status().path("gpuModel").asText(req.path("gpuModel").asText()), arrived)
                .inPartition(partition)
                .withGpuShare(req.path("gpuShare").asInt(1000))
                .withSpread(req.path("spread").asBoolean())
                .withCpuMillis(req.path("cpuMillis").asInt(0))
                .withMemoryMiB(req.path("memoryMiB").asInt(0));
    }

    private static int gpusHeld(JsonNode s) {
        int n = 0;
        for (JsonNode p : s.path("placements")) n += p.path("gpus").size();
        return n;
    }

    private static void bind(ControllerContext ctx, Resource w, Scheduler.Bind b, String queue) {
        JsonNode req = w.status().path("request");
        List<Integer> indexes = new ArrayList<>();
        req.path("replicaIndexes").forEach(i -> indexes.add(i.asInt()));
        boolean[] bound = {false};
        ctx.updateStatus(w.key(), s -> {
            // only what this pass read: a workload changed meanwhile is decided again by the next pass
            if (!Json.equivalent(s.path("request"), req)) return s;
            ArrayNode placements = s.withArray("placements");
            for (int i = 0; i < b.placements().size(); i++) {
                Placement p = b.placements().get(i);
                ObjectNode o = placements.addObject().put("replica", indexes.get(i)).put("machine", p.machine());
                ArrayNode gpus = o.putArray("gpus");
                p.gpus().forEach(gpus::add);
            }
            List<JsonNode> sorted = new ArrayList<>();
            placements.forEach(sorted::add);
            sorted.sort(java.util.Comparator.comparingInt(p -> p.path("replica").asInt()));
            placements.removeAll();
            sorted.forEach(placements::add);
            s.set("placed", req);
            s.remove("request");
            s.put("queue", queue);
            if (s.path("phase").asText().equals("Pending")) s.put("phase", "Starting");
            s.put("reason", "");
            bound[0] = true;
            return s;
        });
        if (bound[0]) {
            List<String> parts = new ArrayList<>();
            b.placements().forEach(p -> parts.add(p.machine() + p.gpus()));
            ctx.event(w.key(), "Normal", "Scheduled", "queue " + queue + ": " + String.join(", ", parts));
        }
    }

    private static void preempt(ControllerContext ctx, Resource victim, Scheduler.Preempt p, OtherTenants others) {
        String phase = victim.status().path("phase").asText();
        if (phase.equals("Preempting") || FINISHED.contains(phase)) return;
        int grace = victim.status().path("placed").path("graceSeconds").asInt(0);
        long now = ctx.clock().millis();
        // on a shared pool the preemptor, and the queue it needs the GPUs for, may be another tenant's
        String by = others.asSeenBy(victim.tenant(), p.forId());
        String why = others.asSeenBy(victim.tenant(), p.reason());
        boolean[] done = {false};
        ctx.updateStatus(victim.key(), s -> {
            String current = s.path("phase").asText();
            if (current.equals("Preempting") || FINISHED.contains(current) || s.path("placements").isEmpty()) return s;
            s.put("phase", "Preempting");
            s.put("reason", "preempted for " + by + ": " + why + (grace > 0 ? "; checkpointing for " + grace + " s" : ""));
            s.putObject("preemption").put("by", by).put("reason", why).put("at", now).put("graceSeconds", grace);
            done[0] = true;
            return s;
        });
        if (done[0]) ctx.event(victim.key(), "Warning", "Preempting", "for " + by + ": " + why
                + (grace > 0 ? String.format(Locale.ROOT, "; %d s to checkpoint", grace) : ""));
    }

    /**
     * Jobs on a node a rollout (or an operator's maintenance or retirement) is emptying checkpoint and stop within
     * their grace period, then queue again for other nodes (the node is out of the schedulable set while it is worked
     * on): the node is drained only after they had that time. Services' replicas are replaced elsewhere first.
     */
    private static void checkpointForRollouts(ControllerContext ctx, ResourceStore store, List<Resource> workloads, OtherTenants others) {
        Map<String, String> draining = new HashMap<>();
        Map<String, String> purpose = new HashMap<>();
        for (Resource r : store.listAll(ListOptions.all(dev.millwright.rollout.RolloutKinds.ROLLOUT)).items()) {
            r.status().path("nodes").fields().forEachRemaining(e -> {
                String phase = e.getValue().path("phase").asText();
                if (phase.equals("Cordoning") || phase.equals("WaitingForJobs") || phase.equals("Draining")) {
                    draining.put(e.getKey(), "rollout " + r.tenant() + "/" + r.name());
                    purpose.put(e.getKey(), "an upgrade");
                }
            });
        }
        for (Resource m : store.listAll(ListOptions.all(dev.millwright.fleet.FleetKinds.MACHINE)).items()) {
            if (!"Draining".equals(m.status().path("lifecycle").path("state").asText())) continue;
            boolean retire = m.spec().path("retire").asBoolean(false);
            draining.putIfAbsent(m.name(), (retire ? "retirement" : "maintenance") + " of machine " + m.name());
            purpose.putIfAbsent(m.name(), retire ? "retirement" : "maintenance");
        }
        if (draining.isEmpty()) return;
        for (Resource w : workloads) {
            if (!w.status().path("job").asBoolean()) {
                moveReplicas(ctx, w, draining, purpose, others);
                continue;
            }
            for (JsonNode p : w.status().path("placements")) {
                String machine = p.path("machine").asText();
                String by = draining.get(machine);
                if (by == null) continue;
                preempt(ctx, w, new Scheduler.Preempt(w.tenant() + "/" + w.name(), by, "node " + machine + " is emptied for " + purpose.get(machine)),
                        others);
                break;
            }
        }
    }

    /**
     * A service's replicas on a node being emptied are marked moving: the workload controller asks for a
     * replacement elsewhere first (a surge) and stops a moving replica only once its replacement runs.
     */
    private static void moveReplicas(ControllerContext ctx, Resource w, Map<String, String> draining, Map<String, String> purpose, OtherTenants others) {
        String on = null;
        for (JsonNode p : w.status().path("placements")) {
            if (draining.containsKey(p.path("machine").asText()) && !p.path("moving").asBoolean()) on = p.path("machine").asText();
        }
        if (on == null || FINISHED.contains(w.status().path("phase").asText())) return;
        List<String> moving = new ArrayList<>();
        ctx.updateStatus(w.key(), s -> {
            for (JsonNode p : s.path("placements")) {
                if (draining.containsKey(p.path("machine").asText()) && !p.path("moving").asBoolean()) {
                    ((ObjectNode) p).put("moving", true);
                    moving.add("replica " + p.path("replica").asInt() + " on " + p.path("machine").asText());
                }
            }
            return s;
        });
        if (!moving.isEmpty()) {
            ctx.event(w.key(), "Normal", "Moving", String.join(", ", moving) + ": its node is emptied for " + purpose.get(on) + " by "
                    + others.asSeenBy(w.tenant(), draining.get(on)) + "; a replacement starts elsewhere first");
        }
    }

    private static void explain(ControllerContext ctx, Resource w, String queue, String waitReason, OtherTenants others) {
        if (w == null) return;
        // a reason may name another tenant's workload: the one backfill is held back for, or a preempted one it waits for
        String reason = others.asSeenBy(w.tenant(), waitReason);
        JsonNode req = w.status().path("request");
        ctx.updateStatus(w.key(), s -> {
            if (!Json.equivalent(s.path("request"), req)) return s;
            if (s.path("placements").isEmpty()) s.put("reason", reason);
            else s.put("reason", "replicas lost; " + reason);
            s.put("queue", queue);
            return s;
        });
    }

    /** The queues' figures on their status: GPUs in use against the guarantee per model, and how many wait. */
    static final class QueueStatus {
        private QueueStatus() {
        }

        static void write(ControllerContext ctx, QueueBook queues, Scheduler engine, Set<String> models, List<Resource> waiting,
                          Map<String, String> queueOf) {
            Map<String, Integer> pending = new TreeMap<>();
            for (Resource w : waiting) pending.merge(queueOf.get(w.tenant() + "/" + w.name()), 1, Integer::sum);
            for (String name : queues.names()) {
                Resource q = queues.queue(name);
                List<String> parts = new ArrayList<>();
                ObjectNode used = Json.object();
                for (String model : models) {
                    int u = engine.used(name, model);
                    int g = QueueBook.guaranteed(q, model);
                    if (u == 0 && QueueBook.shareOf(q, model) == null) continue;
                    parts.add(u + "/" + g + " " + GpuModels.shortName(model));
                    used.put(GpuModels.shortName(model), u);
                }
                String gpus = parts.isEmpty() ? "none" : String.join(", ", parts);
                int waitingHere = pending.getOrDefault(name, 0);
                ctx.updateStatus(q.key(), s -> {
                    s.put("observedGeneration", q.metadata().generation());
                    s.put("gpus", gpus);
                    s.set("used", used);
                    s.put("pending", waitingHere);
                    return s;
                });
            }
        }
    }
}
