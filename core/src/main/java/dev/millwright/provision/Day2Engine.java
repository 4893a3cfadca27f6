package dev.millwright.provision;

import dev.millwright.provision.LifecycleEngine.OpState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The Day-2 half of the machine lifecycle: one pass decides what each machine an operator asked to take out of
 * service (or to bring back) does next, as Ironic's and MAAS's maintenance and retirement do.
 *
 * <p><b>Transitions.</b>
 * <pre>
 *   Joined      --maintenance or retire--> Draining: cordon, wait for work to leave, drain
 *   Draining    --drained, maintenance--->  Maintenance (powered off when asked)
 *   Draining    --drained, retire-------->  power off, then Retired (the controller takes it out of its pool first)
 *   Draining    --ask withdrawn---------->  uncordon, then Joined
 *   Maintenance --cleared---------------->  power on (if off), uncordon, then Joined
 *   Maintenance --retire----------------->  power off, then Retired
 *   Quarantined --retire----------------->  power off, then Retired
 * </pre>
 * A pass judges the task in flight first: a succeeded task leads to the next one in the same pass; a failed one, or
 * one past its {@link Day2Task#timeout timeout}, is asked again after a doubling backoff, up to {@code attempts}
 * times, then the machine is Failed with the reason; a refusal retrying cannot change fails it at once. The wait for
 * work lasts until the node's workload replicas have left, or their longest checkpoint grace (and a slack) is up:
 * then the node is drained whatever is left, so nothing waits forever.
 *
 * <p><b>Invariants.</b> A task is asked for only when nothing is in flight, so none is asked twice; a machine is
 * Retired only after its power-off succeeded, and every asked transition leaves it cordoned until it is Joined again.
 * The ask is read on every pass (level-triggered): an ask withdrawn mid-drain brings the node back. Retired is final.
 * The pass is a function of its input, machines in name order.
 */
public final class Day2Engine {
    /** What the jobs on a node get beyond their checkpoint grace before the node is drained anyway. */
    static final Duration WORK_SLACK = Duration.ofMinutes(1);

    /** What an operator asked of one machine, read from its spec. */
    public record Ask(boolean maintenance, boolean powerOff, boolean retire, String reason) {
        public static final Ask NONE = new Ask(false, false, false, null);

        boolean outOfService() {
            return maintenance || retire;
        }
    }

    /** The machine's power as its BMC reports it. */
    public enum Power { ON, OFF, UNKNOWN }

    /**
     * @param workloads workload replicas still on the node
     * @param grace the longest checkpoint grace among them
     */
    public record Observation(OpState op, String message, Power power, int workloads, Duration grace) {
        public static final Observation NONE = new Observation(OpState.NONE, "", Power.UNKNOWN, 0, Duration.ZERO);

        public Observation {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(power, "power");
            Objects.requireNonNull(grace, "grace");
            message = message == null ? "" : message;
        }
    }

    public record Input(Map<String, MachineLifecycle> machines, Map<String, Ask> asks, Map<String, Observation> observed, int attempts,
                        Duration backoff, Instant now) {
        public Input {
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(backoff, "backoff");
            if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** A task to ask the port for; {@code grace} is a drain's checkpoint grace. */
    public record Action(String machine, Day2Task task, Duration grace) {
    }

    /**
     * @param changed machines whose progress changed (the intent: write it before carrying out the actions)
     * @param retired machines whose power-off for retirement completed: take them out of their pool before writing them Retired
     */
    public record Output(Map<String, MachineLifecycle> changed, List<Action> actions, List<String> retired, List<String> events) {
    }

    private Day2Engine() {
    }

    /** Whether a pass has anything to do for a machine: it was asked for something, or a Day-2 transition is under way. */
    public static boolean concerns(MachineLifecycle m, Ask ask) {
        return switch (m.state()) {
            case JOINED -> ask.outOfService() || m.task() != null;
            case DRAINING, MAINTENANCE -> true;
            case QUARANTINED -> ask.retire() || m.task() != null;
            default -> false;
        };
    }

    public static Output pass(Input in) {
        Map<String, MachineLifecycle> changed = new LinkedHashMap<>();
        List<Action> actions = new ArrayList<>();
        List<String> retired = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (String name : new TreeSet<>(in.machines().keySet())) {
            MachineLifecycle m = in.machines().get(name);
            Ask ask = in.asks().getOrDefault(name, Ask.NONE);
            if (!concerns(m, ask)) continue;
            Pass p = new Pass(name, in, ask, in.observed().getOrDefault(name, Observation.NONE), events);
            MachineLifecycle after = p.decide(m);
            if (p.action != null) actions.add(p.action);
            if (after.state() == LifecycleState.RETIRED && m.state() != LifecycleState.RETIRED) retired.add(name);
            if (!after.equals(m)) changed.put(name, after);
        }
        return new Output(changed, actions, retired, events);
    }

    /** One machine's decision in one pass. */
    private static final class Pass {
        final String name;
        final Input in;
        final Ask ask;
        final Observation o;
        final List<String> events;
        final Instant now;
        Action action;

        Pass(String name, Input in, Ask ask, Observation o, List<String> events) {
            this.name = name;
            this.in = in;
            this.ask = ask;
            this.o = o;
            this.events = events;
            this.now = in.now();
        }

        MachineLifecycle decide(MachineLifecycle m) {
            // 1. judge the task in flight
            Day2Task done = null;
            if (m.inFlight()) {
                switch (o.op()) {
                    case RUNNING, NONE -> {
                        Duration limit = m.task().timeout(o.grace());
                        if (now.isBefore(m.since().plus(limit))) return m;
                        return failedTry(m, m.task().title() + " did not finish within " + limit.toMinutes() + " min");
                    }
                    case FAILED -> {
                        return failedTry(m, o.message());
                    }
                    case REFUSED -> {
                        String reason = m.task().title() + " failed, not retried: " + o.message();
                        events.add(name + " failed: " + reason);
                        return m.failed(LifecycleState.FAILED, reason, now);
                    }
                    case SUCCEEDED -> {
                        done = m.task();
                        m = m.taskDone(now);
                    }
                    default -> throw new IllegalStateException("unexpected operation state " + o.op());
                }
            } else if (m.notBefore() != null && now.isBefore(m.notBefore())) {
                return m;
            } else if (m.task() != null && m.task() != Day2Task.WAIT) {
                return ask(m, m.task(), m.state()); // a try after its backoff
            }

            // 2. the next task, from where the machine is and what is asked now
            return switch (m.state()) {
                case JOINED -> ask.outOfService() ? ask(m.because(why()), Day2Task.CORDON, LifecycleState.DRAINING) : m;
                case DRAINING -> draining(m, done);
                case MAINTENANCE -> maintenance(m, done);
                case QUARANTINED -> done == Day2Task.POWER_OFF || o.power() == Power.OFF ? retire(m) : ask(m, Day2Task.POWER_OFF, m.state());
                default -> m;
            };
        }

        private MachineLifecycle draining(MachineLifecycle m, Day2Task done) {
            if (done == Day2Task.UNCORDON) return joined(m);
            if (done == Day2Task.POWER_OFF) return ask.retire() ? retire(m) : maintenance(m.settledIn(LifecycleState.MAINTENANCE, m.reason(), null, now), done);
            if (!ask.outOfService()) return ask(m, Day2Task.UNCORDON, LifecycleState.DRAINING); // the ask was withdrawn
            if (done == Day2Task.DRAIN) {
                if (ask.retire()) return ask(m, Day2Task.POWER_OFF, LifecycleState.DRAINING);
                return maintenance(m.settledIn(LifecycleState.MAINTENANCE, why(), null, now), null);
            }
            if (done == Day2Task.CORDON || m.task() == Day2Task.WAIT) {
                MachineLifecycle w = m.task() == Day2Task.WAIT ? m : m.waiting(Day2Task.WAIT, LifecycleState.DRAINING, null, now);
                if (o.workloads() > 0 && now.isBefore(w.since().plus(o.grace()).plus(WORK_SLACK))) {
                    return w.waiting(Day2Task.WAIT, LifecycleState.DRAINING,
                            "waiting for " + o.workloads() + " workload replicas to checkpoint or move (up to " + o.grace().toSeconds() + " s)", now);
                }
                return ask(w, Day2Task.DRAIN, LifecycleState.DRAINING);
            }
            return ask(m, Day2Task.CORDON, LifecycleState.DRAINING); // nothing done yet (a Draining machine without a task)
        }

        private MachineLifecycle maintenance(MachineLifecycle m, Day2Task done) {
            if (done == Day2Task.UNCORDON) return joined(m);
            boolean off = done == Day2Task.POWER_OFF || (done != Day2Task.POWER_ON && o.power() == Power.OFF);
            if (ask.retire()) return off ? retire(m) : ask(m, Day2Task.POWER_OFF, LifecycleState.MAINTENANCE);
            if (!ask.maintenance()) {
                return off ? ask(m, Day2Task.POWER_ON, LifecycleState.MAINTENANCE) : ask(m, Day2Task.UNCORDON, LifecycleState.MAINTENANCE);
            }
            boolean on = done == Day2Task.POWER_ON || (done != Day2Task.POWER_OFF && o.power() == Power.ON);
            if (ask.powerOff() && on) return ask(m, Day2Task.POWER_OFF, LifecycleState.MAINTENANCE);
            if (!ask.powerOff() && off) return ask(m, Day2Task.POWER_ON, LifecycleState.MAINTENANCE);
            String note = off ? "in maintenance, powered off" : "in maintenance, powered on";
            MachineLifecycle settled = m.settledIn(LifecycleState.MAINTENANCE, why(), note, m.since());
            return settled.equals(m) ? m : settled;
        }

        private MachineLifecycle ask(MachineLifecycle m, Day2Task task, LifecycleState state) {
            action = new Action(name, task, o.grace());
            return m.asking(task, state, task.title(), now);
        }

        private MachineLifecycle joined(MachineLifecycle m) {
            events.add(name + " back in service");
            return m.settledIn(LifecycleState.JOINED, null, null, now);
        }

        private MachineLifecycle retire(MachineLifecycle m) {
            String why = ask.reason() == null || ask.reason().isBlank() ? "retired by an operator" : ask.reason();
            events.add(name + " retired: " + why);
            return m.settledIn(LifecycleState.RETIRED, why, "out of its pool, powered off, released", now);
        }

        private MachineLifecycle failedTry(MachineLifecycle m, String why) {
            int tries = m.attempts() + 1;
            String title = m.task().title();
            if (tries >= in.attempts()) {
                String reason = title + " failed " + tries + (tries == 1 ? " time" : " times") + ": " + why;
                events.add(name + " failed: " + reason);
                return m.failed(LifecycleState.FAILED, reason, now);
            }
            Duration wait = in.backoff().multipliedBy(1L << Math.min(tries - 1, 10));
            return m.retrying(title + ": " + why, now.plus(wait));
        }

        private String why() {
            String what = ask.retire() ? "retirement" : "maintenance";
            return ask.reason() == null || ask.reason().isBlank() ? what + " asked by an operator" : what + ": " + ask.reason();
        }
    }
}
