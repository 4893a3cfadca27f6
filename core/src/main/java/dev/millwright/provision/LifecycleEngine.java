package dev.millwright.provision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The machine lifecycle engine: one pass over a batch's machines decides what each does next.
 *
 * <p><b>Approach.</b> Every machine walks the same fixed list of steps ({@link DockSettings#plan()}): power on,
 * inspect (judged by the inventory and firmware gates), each burn-in gate, install, join. A pass
 * <ol>
 *   <li>judges each step in flight from what the port observed: a step that succeeded is judged by its gate and
 *       either advances the machine or quarantines it with the evidence; a failed operation or one past its timeout
 *       is tried again after a doubling backoff, up to {@code attempts} times, then the machine fails with the reason;</li>
 *   <li>counts what each limited resource (a BMC network, a rack's power, the image server) holds;</li>
 *   <li>starts the next step of every idle machine, in batch order, where its resource has room. A machine that
 *       moves between steps of one resource keeps its place (a burn-in is not interrupted between gates);</li>
 *   <li>returns the machines that changed, the operations to ask for, and the machines that just joined.</li>
 * </ol>
 *
 * <p><b>Invariants.</b> A step is asked for only when the machine is at it and nothing is in flight, so a step that
 * completed is never asked for again; a gate that fails never lets the machine go on (no silent join); at most
 * {@code limit} machines hold a resource key at once. The pass is a function of its input: the same progress,
 * observations and clock give the same decisions, in {@code order}.
 *
 * <p><b>Complexity.</b> O(n log n) in the batch's machines per pass (one sort); no per-pair work.
 */
public final class LifecycleEngine {
    /**
     * What the port says of a machine's operation in flight. {@code REFUSED} is a failure that asking again cannot
     * change (the BMC refused the credentials): the machine fails at once with the reason instead of retrying.
     */
    public enum OpState { NONE, RUNNING, SUCCEEDED, FAILED, REFUSED }

    /**
     * @param reading the check's measurements, when a check succeeded
     * @param hardware the hardware the BMC reports, when an inspection succeeded
     */
    public record Observation(OpState state, String message, CheckReading reading, HardwareFacts hardware) {
        public static final Observation NONE = new Observation(OpState.NONE, "", null, null);
    }

    public record Input(DockSettings settings, Map<String, MachineLifecycle> machines, Map<String, Observation> observed, Instant now) {
        public Input {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(now, "now");
        }
    }

    /** A step to ask the port for. */
    public record Action(String machine, Step step) {
    }

    /**
     * @param changed machines whose progress changed (the intent: write it before carrying out the actions)
     * @param joined machines whose join completed: add them to the pool before writing them Joined
     */
    public record Output(Map<String, MachineLifecycle> changed, List<Action> actions, List<String> joined, List<String> events) {
    }

    private LifecycleEngine() {
    }

    public static Output pass(Input in) {
        List<Step> plan = in.settings().plan();
        Instant now = in.now();
        List<String> names = new ArrayList<>(in.machines().keySet());
        names.sort(Comparator.comparingInt((String n) -> in.machines().get(n).order()).thenComparing(n -> n));
        Map<String, MachineLifecycle> next = new LinkedHashMap<>();
        List<String> joined = new ArrayList<>();
        List<String> events = new ArrayList<>();

        // 1. judge what is in flight
        for (String name : names) {
            MachineLifecycle m = in.machines().get(name);
            if (m.state().settled() || !m.inFlight() || m.next() >= plan.size() || beyondDock(m)) {
                next.put(name, m);
                continue;
            }
            Step step = plan.get(m.next());
            Observation o = in.observed().getOrDefault(name, Observation.NONE);
            MachineLifecycle after = switch (o.state()) {
                case SUCCEEDED -> succeeded(m, step, o, in.settings(), plan, now, joined, events, name);
                case FAILED -> failedTry(m, step, o.message(), in.settings(), now, events, name);
                case REFUSED -> refused(m, step, o.message(), now, events, name);
                case RUNNING, NONE -> !now.isBefore(m.since().plus(step.timeout()))
                        ? failedTry(m, step, step.title() + " did not finish within " + minutes(step.timeout()), in.settings(), now, events, name)
                        : m;
            };
            next.put(name, after);
        }

        // 2. what each limited resource holds
        Map<String, Integer> held = new HashMap<>();
        for (MachineLifecycle m : next.values()) {
            if (m.state().settled() || m.next() >= plan.size() || beyondDock(m)) continue;
            Step step = plan.get(m.next());
            if (step.limit() != Limit.NONE && holds(m, plan)) held.merge(key(step.limit(), m), 1, Integer::sum);
        }

        // 3. start the next step of every idle machine, in batch order, where its resource has room
        List<Action> actions = new ArrayList<>();
        for (String name : names) {
            MachineLifecycle m = next.get(name);
            if (m.state().settled() || m.inFlight() || m.next() >= plan.size() || beyondDock(m)) continue;
            if (m.notBefore() != null && now.isBefore(m.notBefore())) continue;
            Step step = plan.get(m.next());
            if (step.limit() != Limit.NONE && !holds(m, plan)) {
                String key = key(step.limit(), m);
                int limit = in.settings().limit(step.limit());
                int using = held.getOrDefault(key, 0);
                if (using >= limit) {
                    next.put(name, m.in(step.waiting(), now).saying(waitingFor(step.limit(), m, using, limit)));
                    continue;
                }
                held.put(key, using + 1);
            }
            next.put(name, m.starting(step, now));
            actions.add(new Action(name, step));
        }

        Map<String, MachineLifecycle> changed = new LinkedHashMap<>();
        next.forEach((name, m) -> {
            if (!m.equals(in.machines().get(name))) changed.put(name, m);
        });
        return new Output(changed, actions, joined, events);
    }

    private static MachineLifecycle succeeded(MachineLifecycle m, Step step, Observation o, DockSettings settings, List<Step> plan, Instant now,
                                              List<String> joined, List<String> events, String name) {
        String verdict = null;
        switch (step.kind()) {
            case INSPECT, CHECK -> {
                if (o.reading() == null || (step.kind() == Step.Kind.INSPECT && o.hardware() == null)) {
                    return failedTry(m, step, "the port reported no measurements", settings, now, events, name);
                }
                List<Verdict> verdicts = new ArrayList<>();
                if (step.kind() == Step.Kind.INSPECT) {
                    verdicts.add(settings.expected().judgeInventory(o.hardware(), o.reading()));
                    verdicts.add(settings.expected().judgeFirmware(o.hardware()));
                } else {
                    String model = o.hardware() == null || o.hardware().gpuModels().isEmpty() ? null : o.hardware().gpuModels().get(0);
                    verdicts.add(step.gate().judge(o.reading(), model));
                }
                List<String> passed = new ArrayList<>();
                for (Verdict v : verdicts) {
                    if (!v.passed()) {
                        events.add(name + " quarantined: " + v.evidence());
                        return m.quarantined(v.evidence(), now);
                    }
                    passed.add(v.evidence());
                }
                verdict = String.join("; ", passed);
            }
            default -> {
            }
        }
        int following = m.next() + 1;
        if (following >= plan.size()) {
            joined.add(name);
            events.add(name + " joined");
            return m.advanced(LifecycleState.JOINED, verdict, now);
        }
        Step upcoming = plan.get(following);
        // between two steps of one resource the machine keeps its state (and its place); else it waits in the next step's
        LifecycleState waiting = upcoming.limit() == step.limit() ? upcoming.state() : upcoming.waiting();
        return m.advanced(waiting, verdict, now);
    }

    private static MachineLifecycle failedTry(MachineLifecycle m, Step step, String why, DockSettings s, Instant now, List<String> events, String name) {
        int tries = m.attempts() + 1;
        if (tries >= s.attempts()) {
            String reason = step.title() + " failed " + tries + (tries == 1 ? " time" : " times") + ": " + why;
            events.add(name + " failed: " + reason);
            return m.failed(LifecycleState.FAILED, reason, now);
        }
        Duration wait = s.backoff().multipliedBy(1L << Math.min(tries - 1, 10));
        return m.retrying(step.title() + ": " + why, now.plus(wait));
    }

    /** A machine in a Day-2 transition ({@link Day2Engine}) is not the dock's to drive. */
    public static boolean beyondDock(MachineLifecycle m) {
        return m.task() != null || m.state().dayTwo();
    }

    /** Retrying cannot fix it (refused credentials stay refused): fail at once, and say it was not retried. */
    static MachineLifecycle refused(MachineLifecycle m, Step step, String why, Instant now, List<String> events, String name) {
        String reason = step.title() + " failed, not retried: " + why;
        events.add(name + " failed: " + reason);
        return m.failed(LifecycleState.FAILED, reason, now);
    }

    /**
     * Whether the machine already holds its current step's resource: it is at that step now (in flight, or between
     * tries), or it came from a step of the same resource.
     */
    static boolean holds(MachineLifecycle m, List<Step> plan) {
        Step step = plan.get(m.next());
        if (m.inFlight() || m.attempts() > 0) return true;
        return m.next() > 0 && plan.get(m.next() - 1).limit() == step.limit();
    }

    static String key(Limit limit, MachineLifecycle m) {
        return switch (limit) {
            case BMC_NETWORK -> "bmc:" + m.network();
            case RACK_POWER -> "rack:" + m.rack();
            case IMAGE_SERVER -> "image";
            case NONE -> "";
        };
    }

    private static String waitingFor(Limit limit, MachineLifecycle m, int using, int max) {
        return switch (limit) {
            case BMC_NETWORK -> "waiting for BMC network " + m.network() + ": " + using + "/" + max + " machines powering on or inspecting";
            case RACK_POWER -> "waiting for rack " + m.rack() + "'s power budget: " + using + "/" + max + " machines in burn-in";
            case IMAGE_SERVER -> "waiting for the image server: " + using + "/" + max + " installs";
            case NONE -> null;
        };
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }
}
