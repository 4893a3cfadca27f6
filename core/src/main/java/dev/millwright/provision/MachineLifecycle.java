package dev.millwright.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One machine's way through its batch's steps, kept on the Machine's {@code status.lifecycle} so that a pass after
 * a crash knows exactly which steps completed, which is in flight, and what was found.
 *
 * @param next the index of the step it is at (running, or to start next); every step before it completed
 * @param rack the rack whose power budget its burn-in counts against
 * @param network the BMC network its power-on and inspection count against
 * @param order its turn in the batch: racks take turns, so every rack's burn-in starts early
 * @param since when its current step started, or it entered its state
 * @param operation the id of the port operation of its current step, or null
 * @param pending the kind of an operation asked for whose id is not recorded yet (a crash in between finds it by kind)
 * @param attempts failed tries of the current step
 * @param notBefore no new try before then (backoff), or null
 * @param message what it is doing or waiting for, or null
 * @param reason why it failed or was quarantined, or null
 * @param evidence each gate's verdict so far, in order
 * @param entered when it first entered each state
 * @param task the Day-2 task it is at (in flight, waiting, or to try again), or null: the dock's steps and a Day-2 task
 *             never overlap, so a machine with a task is left alone by the dock
 */
public record MachineLifecycle(LifecycleState state, int next, String rack, String network, int order, Instant since, String operation,
                               String pending, int attempts, Instant notBefore, String message, String reason, List<String> evidence,
                               Map<String, Instant> entered, Day2Task task) {
    public MachineLifecycle {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        evidence = List.copyOf(evidence);
        entered = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entered));
    }

    public static MachineLifecycle registered(String rack, String network, int order, Instant now) {
        return new MachineLifecycle(LifecycleState.REGISTERED, 0, rack, network, order, now, null, null, 0, null, null, null, List.of(),
                Map.of(LifecycleState.REGISTERED.wire(), now), null);
    }

    /** A machine that failed before any step: a missing credentials secret, an endpoint no adapter serves. */
    public static MachineLifecycle refused(String rack, String network, int order, String reason, Instant now) {
        return registered(rack, network, order, now).failed(LifecycleState.FAILED, reason, now);
    }

    public boolean inFlight() {
        return operation != null || pending != null;
    }

    MachineLifecycle in(LifecycleState s, Instant now) {
        if (s == state) return this;
        Map<String, Instant> e = new LinkedHashMap<>(entered);
        e.putIfAbsent(s.wire(), now);
        return new MachineLifecycle(s, next, rack, network, order, now, operation, pending, attempts, notBefore, message, reason, evidence, e, task);
    }

    /** Asks for step {@code next}: the intent, written before the port is asked. */
    MachineLifecycle starting(Step step, Instant now) {
        MachineLifecycle m = in(step.state(), now);
        return new MachineLifecycle(m.state, next, rack, network, order, now, null, step.operationKind(), attempts, null,
                step.title(), reason, evidence, m.entered, task);
    }

    /** The step completed; on to the next, in the state it waits in. */
    MachineLifecycle advanced(LifecycleState waitingState, String verdict, Instant now) {
        List<String> ev = new ArrayList<>(evidence);
        if (verdict != null) ev.add(verdict);
        MachineLifecycle m = new MachineLifecycle(state, next + 1, rack, network, order, now, null, null, 0, null, null, reason, ev, entered, task);
        return m.in(waitingState, now);
    }

    MachineLifecycle retrying(String why, Instant at) {
        return new MachineLifecycle(state, next, rack, network, order, since, null, null, attempts + 1, at,
                "retrying after: " + why, reason, evidence, entered, task);
    }

    MachineLifecycle failed(LifecycleState to, String why, Instant now) {
        MachineLifecycle m = new MachineLifecycle(state, next, rack, network, order, now, null, null, attempts, null, null, why, evidence, entered, task);
        return m.in(to, now);
    }

    MachineLifecycle quarantined(String verdict, Instant now) {
        List<String> ev = new ArrayList<>(evidence);
        ev.add(verdict);
        MachineLifecycle m = new MachineLifecycle(state, next, rack, network, order, now, null, null, attempts, null, null, verdict, ev, entered, task);
        return m.in(LifecycleState.QUARANTINED, now);
    }

    MachineLifecycle saying(String why) {
        return Objects.equals(why, message) ? this
                : new MachineLifecycle(state, next, rack, network, order, since, operation, pending, attempts, notBefore, why, reason, evidence, entered, task);
    }

    /**
     * The operation asked for runs under {@code id} since {@code at}, by the port's clock: its timeout counts from
     * then, not from the pass that asked (a long pass must not eat into it).
     */
    public MachineLifecycle started(String id, Instant at) {
        Instant from = at.isAfter(since) ? at : since;
        return new MachineLifecycle(state, next, rack, network, order, from, id, null, attempts, notBefore, message, reason, evidence, entered, task);
    }

    /** Asks for a Day-2 task: the intent, written before the port is asked (a task without an operation only waits). */
    MachineLifecycle asking(Day2Task t, LifecycleState s, String why, Instant now) {
        MachineLifecycle m = in(s, now);
        return new MachineLifecycle(m.state, next, rack, network, order, now, null, t.operationKind(), t == task ? attempts : 0, null,
                why, reason, evidence, m.entered, t);
    }

    /** The Day-2 task in flight completed: nothing in flight, no failed tries. */
    MachineLifecycle taskDone(Instant now) {
        return new MachineLifecycle(state, next, rack, network, order, now, null, null, 0, null, message, reason, evidence, entered, task);
    }

    /** Settles in a state with no task: {@code why} is the reason it is there (null clears it), {@code note} what it does. */
    MachineLifecycle settledIn(LifecycleState s, String why, String note, Instant now) {
        MachineLifecycle m = in(s, now);
        return new MachineLifecycle(m.state, next, rack, network, order, m.since, null, null, 0, null, note, why, evidence, m.entered, null);
    }

    /** Waits without an operation (for work to leave the node), since {@code now} unless it already waited. */
    MachineLifecycle waiting(Day2Task t, LifecycleState s, String why, Instant now) {
        if (task == t && state == s && !inFlight()) return saying(why);
        MachineLifecycle m = in(s, now);
        return new MachineLifecycle(m.state, next, rack, network, order, now, null, null, 0, null, why, reason, evidence, m.entered, t);
    }

    /** Notes the reason an operator gave for taking it out of service. */
    MachineLifecycle because(String why) {
        return Objects.equals(why, reason) ? this
                : new MachineLifecycle(state, next, rack, network, order, since, operation, pending, attempts, notBefore, message, why, evidence, entered, task);
    }

    public ObjectNode toJson(List<Step> plan) {
        String step = task != null ? task.title() : next < plan.size() ? plan.get(next).title() : "done";
        ObjectNode o = Json.object().put("state", state.wire()).put("step", step)
                .put("stepIndex", next).put("steps", plan.size()).put("rack", rack).put("network", network).put("order", order)
                .put("since", since.toString());
        if (operation != null) o.put("operation", operation);
        if (pending != null) o.put("pending", pending);
        if (task != null) o.put("task", task.wire());
        if (attempts > 0) o.put("attempts", attempts);
        if (notBefore != null) o.put("notBefore", notBefore.toString());
        if (message != null) o.put("message", message);
        if (reason != null) o.put("reason", reason);
        var ev = o.putArray("evidence");
        evidence.forEach(ev::add);
        ObjectNode h = o.putObject("entered");
        entered.forEach((s, t) -> h.put(s, t.toString()));
        return o;
    }

    public static MachineLifecycle fromJson(JsonNode o) {
        List<String> evidence = new ArrayList<>();
        o.path("evidence").forEach(e -> evidence.add(e.asText()));
        Map<String, Instant> entered = new LinkedHashMap<>();
        o.path("entered").fields().forEachRemaining(e -> entered.put(e.getKey(), Instant.parse(e.getValue().asText())));
        return new MachineLifecycle(LifecycleState.of(o.path("state").asText()), o.path("stepIndex").asInt(), o.path("rack").asText(""),
                o.path("network").asText(""), o.path("order").asInt(), Instant.parse(o.path("since").asText()), text(o, "operation"),
                text(o, "pending"), o.path("attempts").asInt(0), o.hasNonNull("notBefore") ? Instant.parse(o.get("notBefore").asText()) : null,
                text(o, "message"), text(o, "reason"), evidence, entered,
                o.hasNonNull("task") ? Day2Task.of(o.get("task").asText()) : null);
    }

    private static String text(JsonNode o, String field) {
        return o.hasNonNull(field) ? o.get(field).asText() : null;
    }
}
