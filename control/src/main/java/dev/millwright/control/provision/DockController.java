package dev.millwright.control.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.MachineRef;
import dev.millwright.provision.DockEstimate;
import dev.millwright.provision.DockKinds;
import dev.millwright.provision.DockSettings;
import dev.millwright.provision.LifecycleEngine;
import dev.millwright.provision.LifecycleState;
import dev.millwright.provision.MachineLifecycle;
import dev.millwright.provision.Step;
import dev.millwright.resource.ConflictException;
import dev.millwright.resource.Json;
import dev.millwright.resource.LabelSelector;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.secrets.SecretKinds;
import dev.millwright.store.ListOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs DockBatches: registers each row of the manifest as a Machine (labelled with the batch, enrolled as delivered,
 * bare and off), then drives every machine through the lifecycle with the {@link LifecycleEngine}. A pass reads each
 * machine's progress from its {@code status.lifecycle}, lets the {@link DockRunner} find what a crashed pass asked for
 * and observe what is in flight, asks the engine, writes the intent, carries out the steps and records their
 * operation ids: whatever moment a crash hits, the next pass repeats no completed step and loses no machine.
 *
 * <p>A machine that completed its join is added to the batch's NodePool before it is written Joined, so a crash in
 * between joins it once. Machines that no batch registered (the demo's fleet) are never touched here.
 */
public final class DockController implements Controller {
    static final Duration ACTIVE_POLL = Duration.ofMillis(500);
    /**
     * How often a batch's ETA is forecast anew, by the control plane's clock: a forecast of a thousand machines takes
     * tens of milliseconds, too much for every pass; in between, the last one's ETA stands.
     */
    static final Duration FORECAST_EVERY = Duration.ofSeconds(10);

    private final Infrastructure infra;
    private final DockRunner runner;
    /** When each batch's ETA was last forecast; lost with the process, which only means one forecast more. */
    private final Map<ResourceKey, Instant> forecastAt = new java.util.concurrent.ConcurrentHashMap<>();

    public DockController(Infrastructure infra) {
        this.infra = infra;
        this.runner = new DockRunner(infra);
    }

    @Override
    public String name() {
        return "dockbatches";
    }

    @Override
    public String kind() {
        return DockKinds.DOCK_BATCH;
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        var found = ctx.get(key);
        if (found.isEmpty()) return Result.done();
        Resource batch = found.get();
        if (batch.status().has("finishedAt")) return Result.done();
        Instant now = infra.clock().instant();
        DockSettings settings = DockSettings.of(batch.spec(), new TreeMap<>());
        List<Step> plan = settings.plan();

        // 1. every row a Machine, with its progress (registration is idempotent: a row already registered is skipped)
        Map<String, Resource> registered = machinesOf(ctx, batch.name());
        ArrayNode rejected = Json.array();
        JsonNode rows = batch.spec().path("machines");
        Map<String, Integer> perRack = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String name = row.path("name").asText();
            String rack = row.path("rack").asText("");
            // racks take turns: the n-th machine of every rack comes before any rack's (n+1)-th
            int order = perRack.merge(rack, 1, Integer::sum) * 100_000 + i;
            if (registered.containsKey(name)) continue;
            if (ctx.get(ResourceKey.platform(FleetKinds.MACHINE, name)).isPresent()) {
                rejected.addObject().put("row", i).put("machine", name).put("reason", "machine " + name + " exists and was not registered by this batch");
                continue;
            }
            registered.put(name, register(ctx, batch, row, order, now));
        }

        Map<String, MachineLifecycle> machines = new LinkedHashMap<>();
        registered.forEach((name, m) -> {
            if (m.status().has("lifecycle")) machines.put(name, MachineLifecycle.fromJson(m.status().get("lifecycle")));
        });

        // 2. find what a crashed pass asked for, observe, decide
        Map<String, MachineLifecycle> recovered = runner.recover(machines, plan);
        machines.putAll(recovered);
        recovered.forEach((m, p) -> writeLifecycle(ctx, m, p, plan));
        LifecycleEngine.Output out = LifecycleEngine.pass(new LifecycleEngine.Input(settings, machines, runner.observe(machines, plan), now));
        machines.putAll(out.changed());

        // 3. joined machines into the pool first, then the intent, then the steps and their operation ids
        if (!out.joined().isEmpty()) join(ctx, batch.spec().path("pool").asText(), out.joined());
        out.changed().forEach((m, p) -> writeLifecycle(ctx, m, p, plan));
        Map<String, MachineLifecycle> started = runner.execute(out.actions(), machines);
        machines.putAll(started);
        started.forEach((m, p) -> writeLifecycle(ctx, m, p, plan));
        for (var e : out.changed().entrySet()) {
            MachineLifecycle p = e.getValue();
            if (p.state() == LifecycleState.QUARANTINED || p.state() == LifecycleState.FAILED) {
                ctx.event(ResourceKey.platform(FleetKinds.MACHINE, e.getKey()), "Warning", p.state().wire(), p.reason());
            }
        }
        out.events().forEach(e -> ctx.event(key, e.endsWith("joined") ? "Normal" : "Warning", "Dock", e));

        // 4. the batch's summary
        boolean finished = machines.size() + rejected.size() >= rows.size() && machines.values().stream().allMatch(p -> p.state().settled() || p.state().dayTwo());
        Instant eta = finished ? null : eta(ctx, key, batch, settings, machines, now);
        summarize(ctx, key, machines, rejected, finished, now, eta);
        if (finished) forecastAt.remove(key);
        return finished ? Result.done() : Result.requeueAfter(ACTIVE_POLL);
    }

    private Resource register(ControllerContext ctx, Resource batch, JsonNode row, int order, Instant now) {
        String name = row.path("name").asText();
        String endpoint = row.path("bmc").asText();
        String credentials = row.hasNonNull("credentialsRef") ? row.get("credentialsRef").asText() : null;
        String rack = row.path("rack").asText("");
        String network = DockKinds.network(row);
        String refusal = null;
        if (credentials != null && ctx.get(ResourceKey.platform(SecretKinds.PLATFORM_SECRET, credentials)).isEmpty()) {
            refusal = "credentials secret " + credentials + " does not exist (PlatformSecret)";
        } else if (credentials == null && !endpoint.startsWith("twin://")) {
            refusal = "no credentialsRef: a Redfish BMC needs credentials";
        } else {
            try {
                infra.enrollDelivered(new MachineRef(name, endpoint, credentials));
            } catch (IllegalArgumentException e) {
                refusal = "no adapter for " + endpoint + ": " + e.getMessage();
            }
        }
        MachineLifecycle p = refusal == null ? MachineLifecycle.registered(rack, network, order, now)
                : MachineLifecycle.refused(rack, network, order, refusal, now);
        ObjectNode spec = Json.object().put("site", batch.spec().path("site").asText());
        if (!rack.isEmpty()) spec.put("rack", rack);
        ObjectNode bmc = spec.putObject("bmc").put("endpoint", endpoint);
        if (credentials != null) bmc.put("credentialsRef", credentials);
        ObjectNode status = Json.object();
        status.set("lifecycle", p.toJson(DockSettings.of(batch.spec(), new TreeMap<>()).plan()));
        Resource machine = new Resource(FleetKinds.MACHINE, ObjectMeta.named(name, "").withLabels(Map.of(DockKinds.BATCH_LABEL, batch.name())),
                spec, status);
        try {
            Resource created = ctx.store().create(machine, ctx.writes());
            if (refusal != null) ctx.event(created.key(), "Warning", "Failed", refusal);
            return created;
        } catch (ConflictException e) {
            return ctx.get(machine.key()).orElseThrow(() -> e); // created by a pass that crashed before it could read it back
        }
    }

    /** The machines a batch registered, by name. */
    static Map<String, Resource> machinesOf(ControllerContext ctx, String batch) {
        Map<String, Resource> out = new TreeMap<>();
        ListOptions options = new ListOptions(FleetKinds.MACHINE, null, LabelSelector.parse(DockKinds.BATCH_LABEL + "=" + batch), ListOptions.MAX_LIMIT, null);
        for (Resource r : ctx.store().listAll(options).items()) out.put(r.name(), r);
        return out;
    }

    private static void join(ControllerContext ctx, String pool, List<String> machines) {
        ctx.store().update(ResourceKey.platform(FleetKinds.NODE_POOL, pool), r -> {
            ObjectNode spec = r.spec().deepCopy();
            ArrayNode members = spec.has("machines") ? (ArrayNode) spec.get("machines") : spec.putArray("machines");
            List<String> have = new ArrayList<>();
            members.forEach(m -> have.add(m.asText()));
            for (String m : machines) if (!have.contains(m)) members.add(m);
            return r.withSpec(spec);
        }, ctx.writes(), "update");
    }

    private static void writeLifecycle(ControllerContext ctx, String machine, MachineLifecycle p, List<Step> plan) {
        ctx.updateStatus(ResourceKey.platform(FleetKinds.MACHINE, machine), s -> s.set("lifecycle", p.toJson(plan)));
    }

    /** The batch's ETA by the world's clock: forecast anew at most every {@link #FORECAST_EVERY}, else the last one. */
    private Instant eta(ControllerContext ctx, ResourceKey key, Resource batch, DockSettings settings, Map<String, MachineLifecycle> machines,
                        Instant now) {
        Instant last = forecastAt.get(key);
        Instant wall = ctx.clock().instant();
        JsonNode stored = batch.status().path("eta");
        if (last != null && stored.isTextual() && wall.isBefore(last.plus(FORECAST_EVERY))) return Instant.parse(stored.asText());
        forecastAt.put(key, wall);
        return now.plus(DockEstimate.remaining(settings, machines, now));
    }

    private static void summarize(ControllerContext ctx, ResourceKey key, Map<String, MachineLifecycle> machines,
                                  ArrayNode rejected, boolean finished, Instant now, Instant eta) {
        Map<String, Integer> counts = new TreeMap<>();
        ArrayNode problems = Json.array();
        for (var e : new TreeMap<>(machines).entrySet()) {
            MachineLifecycle p = e.getValue();
            counts.merge(p.state().wire(), 1, Integer::sum);
            if (p.reason() != null) problems.addObject().put("machine", e.getKey()).put("state", p.state().wire()).put("reason", p.reason());
        }
        int joined = counts.getOrDefault("Joined", 0);
        int quarantined = counts.getOrDefault("Quarantined", 0);
        int failed = counts.getOrDefault("Failed", 0) + rejected.size();
        long settled = machines.values().stream().filter(p -> p.state().settled() || p.state().dayTwo()).count() + rejected.size();
        int total = machines.size() + rejected.size();
        ctx.updateStatus(key, s -> {
            s.put("phase", !finished ? "Running" : joined == total ? "Completed" : "CompletedWithFailures");
            if (!s.has("startedAt")) s.put("startedAt", now.toString());
            s.put("machines", total).put("joined", joined).put("quarantined", quarantined).put("failed", failed);
            s.put("progress", settled + "/" + total);
            s.set("counts", Json.MAPPER.valueToTree(counts));
            s.set("problems", problems);
            s.set("rejected", rejected);
            s.put("message", joined + " joined, " + quarantined + " quarantined, " + failed + " failed, " + (total - settled) + " in progress");
            if (finished) {
                s.put("finishedAt", now.toString());
                s.remove("eta");
                s.remove("remaining");
            } else {
                Duration left = now.isBefore(eta) ? Duration.between(now, eta) : Duration.ZERO;
                s.put("eta", eta.toString());
                s.put("remaining", left.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            }
            return s;
        });
    }
}
