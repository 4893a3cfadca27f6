package dev.millwright.control.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.control.rollout.RolloutController;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.infra.Infrastructure;
import dev.millwright.provision.Day2Engine;
import dev.millwright.provision.DockKinds;
import dev.millwright.provision.DockSettings;
import dev.millwright.provision.LifecycleState;
import dev.millwright.provision.MachineLifecycle;
import dev.millwright.provision.Step;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.workload.WorkloadKinds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Day-2 for machines a DockBatch brought in: takes a Joined machine out of service when its spec asks for
 * {@code maintenance} or {@code retire} (cordon, let its work checkpoint or move, drain), powers it as asked, brings it
 * back when maintenance is cleared, and retires it: out of every NodePool, powered off, released from the port. A
 * Quarantined machine can be retired as well. The decisions are the pure {@link Day2Engine}'s.
 *
 * <p>A pass writes the intent (the task and its operation kind) before it asks the port and records the operation id
 * after; a pass after a crash adopts the operation of that kind started since, or asks again. A retired machine is
 * taken out of its pools before it is written Retired, and released after (the machine controller also releases
 * a Retired machine instead of enrolling it), so a crash anywhere leaves no retired machine in a pool or managed.
 * Machines no batch registered have no {@code status.lifecycle} and keep the machine controller's meaning of
 * {@code spec.maintenance} alone.
 */
public final class Day2Controller implements Controller {
    /** How often a machine in a Day-2 transition is looked at again. */
    static final Duration ACTIVE_POLL = Duration.ofMillis(500);
    /** Tries of a task before the machine fails, as the dock's default. */
    static final int ATTEMPTS = 3;
    /** The first backoff after a failed try; it doubles. */
    static final Duration BACKOFF = Duration.ofSeconds(60);

    private final Infrastructure infra;
    private final Day2Runner runner;

    public Day2Controller(Infrastructure infra) {
        this.infra = infra;
        this.runner = new Day2Runner(infra);
    }

    @Override
    public String name() {
        return "machine-lifecycle";
    }

    @Override
    public String kind() {
        return FleetKinds.MACHINE;
    }

    /** What an operator asked of a machine in its spec. */
    static Day2Engine.Ask ask(JsonNode spec) {
        String reason = spec.hasNonNull("reason") ? spec.get("reason").asText() : null;
        return new Day2Engine.Ask(spec.path("maintenance").asBoolean(false), "Off".equals(spec.path("maintenancePower").asText()),
                spec.path("retire").asBoolean(false), reason);
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        var found = ctx.get(key);
        if (found.isEmpty() || !found.get().status().has("lifecycle")) return Result.done();
        Resource machine = found.get();
        MachineLifecycle m = MachineLifecycle.fromJson(machine.status().get("lifecycle"));
        Day2Engine.Ask ask = ask(machine.spec());
        if (!Day2Engine.concerns(m, ask)) return Result.done();
        Instant now = infra.clock().instant();
        String name = machine.name();
        List<Step> plan = planOf(ctx, machine);

        // 1. find what a crashed pass asked for, observe, decide
        List<Resource> workloads = m.state() == LifecycleState.DRAINING
                ? ctx.store().listAll(ListOptions.all(WorkloadKinds.WORKLOAD)).items() : List.of();
        var work = RolloutController.workOn(workloads, name);
        MachineLifecycle recovered = runner.recover(name, m, work.grace());
        if (recovered != null) {
            m = recovered;
            write(ctx, key, m, plan);
        }
        Day2Engine.Observation o = runner.observe(name, m, n -> new Day2Runner.Work(work.replicas(), work.grace()));
        Day2Engine.Output out = Day2Engine.pass(new Day2Engine.Input(Map.of(name, m), Map.of(name, ask), Map.of(name, o), ATTEMPTS, BACKOFF, now));
        MachineLifecycle next = out.changed().getOrDefault(name, m);

        // 2. a retired machine out of its pools first, then the intent, then the task and its operation id
        if (out.retired().contains(name)) leavePools(ctx, name);
        if (!next.equals(m)) write(ctx, key, next, plan);
        for (Day2Engine.Action a : out.actions()) {
            MachineLifecycle started = runner.execute(a, next);
            if (!started.equals(next)) {
                next = started;
                write(ctx, key, next, plan);
            }
        }
        if (next.state() == LifecycleState.RETIRED) infra.release(name);
        for (String e : out.events()) {
            boolean warning = e.contains(" failed: ");
            ctx.event(key, warning ? "Warning" : "Normal", warning ? "Failed" : next.state().wire(), e);
        }
        if (next.state() != m.state() && (next.state() == LifecycleState.DRAINING || next.state() == LifecycleState.MAINTENANCE)) {
            ctx.event(key, "Normal", next.state().wire(), m.state().wire() + " -> " + next.state().wire() + ": " + next.reason());
        }
        boolean moving = next.inFlight() || next.task() != null || next.state() == LifecycleState.DRAINING;
        return moving ? Result.requeueAfter(ACTIVE_POLL) : Result.done();
    }

    /** The steps of the batch that registered the machine, for its progress' step names; none when the batch is gone. */
    private static List<Step> planOf(ControllerContext ctx, Resource machine) {
        String batch = machine.metadata().labels().get(DockKinds.BATCH_LABEL);
        if (batch == null) return List.of();
        return ctx.get(ResourceKey.platform(DockKinds.DOCK_BATCH, batch)).map(b -> DockSettings.of(b.spec(), new TreeMap<>()).plan())
                .orElse(List.of());
    }

    private static void leavePools(ControllerContext ctx, String machine) {
        for (Resource pool : ctx.store().listAll(ListOptions.all(FleetKinds.NODE_POOL)).items()) {
            boolean member = false;
            for (JsonNode m : pool.spec().path("machines")) member |= m.asText().equals(machine);
            if (!member) continue;
            ctx.store().update(pool.key(), r -> {
                ObjectNode spec = r.spec().deepCopy();
                ArrayNode kept = spec.putArray("machines");
                r.spec().path("machines").forEach(m -> {
                    if (!m.asText().equals(machine)) kept.add(m.asText());
                });
                return r.withSpec(spec);
            }, ctx.writes(), "update");
            ctx.event(pool.key(), "Normal", "Retired", "machine " + machine + " retired: out of the pool");
        }
    }

    private static void write(ControllerContext ctx, ResourceKey key, MachineLifecycle p, List<Step> plan) {
        ctx.updateStatus(key, s -> s.set("lifecycle", p.toJson(plan)));
    }
}
