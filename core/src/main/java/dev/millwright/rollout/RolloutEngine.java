package dev.millwright.rollout;

import dev.millwright.catalog.NodeStack;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Decides one pass of a rollout. Pure: every node's progress, what was observed of the nodes being worked on,
 * the fleet's capacity and the clock come in; each node's next progress and the effects to carry out come out.
 *
 * <p><b>A node</b> goes cordon -> wait for its jobs to checkpoint and its services to move -> drain -> change
 * its packs one at a time -> GPU health check -> uncordon (a change above the container runtime skips the
 * first three and the last). A failed step or health check sends it back the same way to the previous version
 * (rolled back); a failure on the way back, or a state held past the node timeout, leaves it Failed, out of
 * service, for a person. Nothing waits forever.
 *
 * <p><b>The rollout</b> starts the canary wave first and nothing else until every canary node is done and the
 * wave's gate (no node failed, workloads' error rate and latency within bounds) passed; then nodes start in
 * wave order, spread over failure domains, as slots free: at most maxUnavailable out, plus maxSurge more whose
 * work has room elsewhere, never taking a production environment below its guaranteed GPUs, only while a
 * maintenance window is open. A failed canary, a failed wave gate or more failures than the budget halt it;
 * nodes already out finish. Abort sends every changed node back, with the same care.
 */
public final class RolloutEngine {
    private RolloutEngine() {
    }

    /** How long a node waits past its jobs' grace for them to stop before it is drained anyway. */
    static final Duration JOB_SLACK = Duration.ofMinutes(1);

    /** What the rollout knows of a node of the environment, whatever its phase. */
    public record NodeInfo(String name, String domain, int gpus, int busyGpus, boolean healthy, String healthMessage) {
    }

    /** The state of the operation a node's progress names. */
    public enum OpState { NONE, RUNNING, SUCCEEDED, FAILED }

    /**
     * What was seen of a node being worked on.
     *
     * @param installed its packs, or null when its agent does not answer
     * @param workloads workload replicas still placed on it
     * @param jobGrace the longest checkpoint grace of the jobs among them
     */
    public record Observation(OpState op, String opMessage, SortedMap<String, String> installed, int workloads, Duration jobGrace,
                              boolean healthy, String healthMessage) {
    }

    /** The environment's workloads as the wave gates judge them: the worst error rate and p99 latency now. */
    public record ServiceHealth(double errorRate, double latencyMs, String worst) {
        public static final ServiceHealth NONE = new ServiceHealth(0, 0, null);
    }

    /**
     * @param nodes every node's progress, in rollout order (wave, then spread over domains)
     * @param fleet every node's capacity and health
     * @param observed observations of the nodes being worked on
     * @param guaranteedGpus GPUs that must stay in service (a production environment's guarantee), else 0
     * @param gatesPassed the last wave whose gate passed, -1 before the canary's
     * @param haltReason why the rollout halted, or null
     * @param via versions a pack passes through on its way up, in order (Kubernetes, one minor at a time)
     */
    public record Input(RolloutSettings settings, boolean drains, List<Pack> target, List<Pack> previous, Set<String> managed,
                        Map<String, NodeProgress> nodes, Map<String, NodeInfo> fleet, Map<String, Observation> observed,
                        Instant now, boolean windowOpen, int guaranteedGpus, ServiceHealth services, int gatesPassed, String haltReason,
                        Map<String, List<String>> via) {
        /** Without intermediate versions: every pack goes straight to its target. */
        public Input(RolloutSettings settings, boolean drains, List<Pack> target, List<Pack> previous, Set<String> managed,
                     Map<String, NodeProgress> nodes, Map<String, NodeInfo> fleet, Map<String, Observation> observed,
                     Instant now, boolean windowOpen, int guaranteedGpus, ServiceHealth services, int gatesPassed, String haltReason) {
            this(settings, drains, target, previous, managed, nodes, fleet, observed, now, windowOpen, guaranteedGpus, services, gatesPassed,
                    haltReason, Map.of());
        }
    }

    /** A wave's gate, judged when its last node is done. */
    public record Gate(int wave, boolean passed, String evidence) {
    }

    /**
     * @param changed the nodes whose progress changed this pass
     * @param actions the effects to carry out, one per node at most
     * @param phase Canary, Progressing, Paused, WaitingForWindow, Halted, Aborting, Aborted, Completed or CompletedWithFailures
     * @param message what it is doing or waiting for, for a person
     * @param gates gates judged this pass
     * @param events what a person should hear of (a node rolled back, a halt)
     */
    public record Output(Map<String, NodeProgress> changed, List<NodeAction> actions, String phase, String message, int gatesPassed,
                         String haltReason, List<Gate> gates, List<String> events) {
        public boolean finished() {
            return phase.equals("Completed") || phase.equals("CompletedWithFailures") || phase.equals("Aborted");
        }
    }

    public static Output pass(Input in) {
        Pass p = new Pass(in);
        p.advanceActive();
        p.tally();
        p.judgeGates();
        p.decide();
        return new Output(p.changed, p.actions, p.phase, p.message, p.gatesPassed, p.haltReason, p.gates, p.events);
    }

    private static final class Pass {
        final Input in;
        final RolloutSettings s;
        final Map<String, NodeProgress> changed = new LinkedHashMap<>();
        final List<NodeAction> actions = new ArrayList<>();
        final List<Gate> gates = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        int gatesPassed;
        String haltReason;
        String phase;
        String message = "";
        // the tally
        int active;
        int pending;
        int upgraded;
        int failures;
        int inServiceGpus;
        int freeGpus;
        final Map<Integer, int[]> waves = new HashMap<>(); // wave -> {nodes, done, failed}
        String firstFailure;
        /** Some of the nodes left out because they were unhealthy throughout. */
        final List<String> unavailable = new ArrayList<>();

        Pass(Input in) {
            this.in = in;
            this.s = in.settings();
            this.gatesPassed = in.gatesPassed();
            this.haltReason = in.haltReason();
        }

        NodeProgress now(String name) {
            NodeProgress p = changed.get(name);
            return p != null ? p : in.nodes().get(name);
        }

        void put(String name, NodeProgress p) {
            if (p != in.nodes().get(name)) changed.put(name, p);
        }

        // ---- nodes being worked on

        void advanceActive() {
            for (Map.Entry<String, NodeProgress> e : in.nodes().entrySet()) {
                NodeProgress p = e.getValue();
                if (!p.phase().active()) continue;
                Observation o = in.observed().get(e.getKey());
                if (o == null || p.pending() != null) continue; // the runner finds or reissues what was asked for
                NodeProgress next = advance(e.getKey(), p, o);
                if (in.settings().aborted() && !next.back() && next.phase().active()) next = next.goingBack(null, false);
                put(e.getKey(), next);
            }
        }

        /**
         * The node's next progress; one that made none for longer than the node timeout fails. What finished while
         * nobody looked (a controller down for hours) is progress, not a timeout.
         */
        NodeProgress advance(String node, NodeProgress p, Observation o) {
            NodeProgress next = transition(node, p, o);
            boolean moved = next.phase() != p.phase() || !next.since().equals(p.since());
            // a node waiting for its jobs is drained anyway once their grace is over, so their grace never counts as stuck
            Duration limit = p.phase() == NodePhase.WAITING_FOR_JOBS ? s.nodeTimeout().plus(o.jobGrace()).plus(JOB_SLACK) : s.nodeTimeout();
            if (moved || Duration.between(p.since(), in.now()).compareTo(limit) <= 0) return next;
            String why = "stuck in " + p.phase().wire() + (p.step() == null ? "" : " (" + p.step() + ")") + " for more than "
                    + s.nodeTimeout().toMinutes() + " min" + (o.opMessage() == null || o.opMessage().isEmpty() ? "" : ": " + o.opMessage())
                    + (o.healthy() ? "" : "; " + o.healthMessage());
            events.add(node + " failed: " + why);
            return p.failed(why, in.now());
        }

        NodeProgress transition(String node, NodeProgress p, Observation o) {
            Instant now = in.now();
            if (o.op() == OpState.RUNNING) return p;
            boolean failed = o.op() == OpState.FAILED;
            return switch (p.phase()) {
                case CORDONING -> failed ? fail(node, p, "cordon failed: " + o.opMessage()) : p.to(NodePhase.WAITING_FOR_JOBS, now);
                case WAITING_FOR_JOBS -> {
                    if (p.back() && !p.changed()) yield finish(node, p); // aborted before anything changed
                    if (o.workloads() > 0 && now.isBefore(p.since().plus(o.jobGrace()).plus(JOB_SLACK))) {
                        yield p.message() == null ? p.saying("waiting for " + o.workloads() + " workload replicas to checkpoint or move") : p;
                    }
                    yield act(p.to(NodePhase.DRAINING, now), new NodeAction(node, NodeAction.Kind.DRAIN, null, null, s.drainGrace()), "drain");
                }
                case DRAINING -> failed ? fail(node, p, "drain failed: " + o.opMessage()) : step(node, p.to(NodePhase.UPGRADING, now), o);
                case UPGRADING -> {
                    if (!failed) yield step(node, p, o);
                    if (p.back()) yield fail(node, p, "rollback failed: " + p.step() + ": " + o.opMessage());
                    String why = p.step() + " failed: " + o.opMessage();
                    events.add(node + " rolls back: " + why);
                    yield step(node, p.goingBack(why, true), o);
                }
                case VALIDATING -> {
                    String bad = failed ? o.opMessage() : !o.healthy() ? o.healthMessage() : null;
                    if (bad == null && p.back() && o.installed() != null
                            && NodeStack.next(in.previous(), in.managed(), o.installed()).isPresent()) {
                        yield step(node, p.to(NodePhase.UPGRADING, now), o); // aborted while checking the new version
                    }
                    if (bad == null) yield finish(node, p);
                    if (p.back()) yield fail(node, p, "still unhealthy after rolling back: " + bad);
                    String why = "GPU health check failed after the upgrade: " + bad;
                    events.add(node + " rolls back: " + why);
                    yield step(node, p.to(NodePhase.UPGRADING, now).goingBack(why, true), o);
                }
                case UNCORDONING -> failed ? fail(node, p, "uncordon failed: " + o.opMessage())
                        : done(node, p.uncordoned().to(p.back() ? NodePhase.ROLLED_BACK : NodePhase.UPGRADED, now));
                default -> p;
            };
        }

        /** The next pack change toward the node's target, or the health check once there. */
        NodeProgress step(String node, NodeProgress p, Observation o) {
            if (o.installed() == null) return p.saying("waiting for the node agent to answer: " + o.healthMessage());
            List<Pack> desired = p.back() ? in.previous() : in.target();
            var next = NodeStack.next(desired, in.managed(), o.installed());
            NodeProgress upgrading = p.phase() == NodePhase.UPGRADING ? p : p.to(NodePhase.UPGRADING, in.now());
            if (next.isPresent()) {
                NodeStack.Step st = hop(next.get(), o.installed(), p.back());
                NodeAction a = st.removal() ? new NodeAction(node, NodeAction.Kind.REMOVE, st.pack(), null, null)
                        : new NodeAction(node, NodeAction.Kind.INSTALL, st.pack(), st.version(), null);
                return act(upgrading, a, st.toString());
            }
            if (!p.changed()) return finish(node, upgrading); // nothing was changed (an aborted node): nothing to check
            return act(upgrading.to(NodePhase.VALIDATING, in.now()), new NodeAction(node, NodeAction.Kind.VALIDATE, null, null, s.validation()),
                    "GPU health check");
        }

        /** The step itself, or, for a pack that moves through intermediate versions, the first one past what the node runs. */
        NodeStack.Step hop(NodeStack.Step step, SortedMap<String, String> installed, boolean back) {
            List<String> through = in.via().get(step.pack());
            String running = installed.get(step.pack());
            if (step.removal() || back || through == null || running == null) return step;
            Version at = Version.of(running);
            Version to = Version.of(step.version());
            for (String v : through) {
                Version hop = Version.of(v);
                if (hop.compareTo(at) > 0 && hop.compareTo(to) < 0) return new NodeStack.Step(step.pack(), v);
            }
            return step;
        }

        NodeProgress finish(String node, NodeProgress p) {
            if (p.cordoned()) return act(p.to(NodePhase.UNCORDONING, in.now()), new NodeAction(node, NodeAction.Kind.UNCORDON, null, null, null), "uncordon");
            return done(node, p.to(p.back() ? NodePhase.ROLLED_BACK : NodePhase.UPGRADED, in.now()));
        }

        NodeProgress done(String node, NodeProgress p) {
            if (p.phase() == NodePhase.ROLLED_BACK && p.counted()) events.add(node + " rolled back: " + p.evidence());
            return p;
        }

        NodeProgress fail(String node, NodeProgress p, String why) {
            events.add(node + " failed: " + why);
            return p.failed(why, in.now());
        }

        NodeProgress act(NodeProgress p, NodeAction a, String what) {
            actions.add(a);
            return p.doing(a, what, in.now());
        }

        // ---- the whole

        void tally() {
            for (Map.Entry<String, NodeProgress> e : in.nodes().entrySet()) {
                NodeProgress p = now(e.getKey());
                int[] w = waves.computeIfAbsent(p.wave(), k -> new int[3]);
                w[0]++;
                switch (p.phase()) {
                    case PENDING -> pending++;
                    case UPGRADED -> upgraded++;
                    default -> {
                        if (p.phase().active()) active++;
                    }
                }
                NodeInfo info = in.fleet().get(e.getKey());
                boolean healthy = info != null && info.healthy();
                // an unhealthy node waits without holding up its wave's gate; the canary's is another matter (see startNodes)
                boolean doneHere = !p.phase().active() && (p.phase() != NodePhase.PENDING || (!healthy && p.wave() > 0));
                if (doneHere) w[1]++;
                if (p.phase() == NodePhase.FAILED && !p.counted() && unavailable.size() < 5) unavailable.add(e.getKey());
                if (p.counted() && (p.phase() == NodePhase.FAILED || p.phase() == NodePhase.ROLLED_BACK)) {
                    failures++;
                    w[2]++;
                    if (firstFailure == null) firstFailure = e.getKey() + ": " + p.evidence();
                }
                if (healthy && p.phase().inService()) {
                    inServiceGpus += info.gpus();
                    freeGpus += Math.max(0, info.gpus() - info.busyGpus());
                }
            }
        }

        void judgeGates() {
            while (haltReason == null) {
                int wave = gatesPassed + 1;
                int[] w = waves.get(wave);
                if (w == null || w[1] < w[0]) return;
                String evidence = null;
                if (wave == 0 && w[2] > 0) {
                    evidence = "the canary failed: " + firstFailureIn(0);
                } else if (in.services().errorRate() > s.maxErrorRate()) {
                    evidence = String.format(java.util.Locale.ROOT, "workload error rate %.3f above %.3f (%s)", in.services().errorRate(),
                            s.maxErrorRate(), in.services().worst());
                } else if (in.services().latencyMs() > s.maxLatencyMs()) {
                    evidence = String.format(java.util.Locale.ROOT, "workload p99 latency %.0f ms above %.0f ms (%s)", in.services().latencyMs(),
                            s.maxLatencyMs(), in.services().worst());
                }
                if (evidence != null) {
                    gates.add(new Gate(wave, false, evidence));
                    halt("wave " + wave + (wave == 0 ? " (canary)" : "") + " failed its gate: " + evidence);
                    return;
                }
                gates.add(new Gate(wave, true, String.format(java.util.Locale.ROOT, "%d nodes, %d failed; error rate %.3f, p99 %.0f ms",
                        w[0], w[2], in.services().errorRate(), in.services().latencyMs())));
                gatesPassed = wave;
            }
        }

        String firstFailureIn(int wave) {
            for (Map.Entry<String, NodeProgress> e : in.nodes().entrySet()) {
                NodeProgress p = now(e.getKey());
                if (p.wave() == wave && p.counted() && (p.phase() == NodePhase.FAILED || p.phase() == NodePhase.ROLLED_BACK)) {
                    return e.getKey() + " " + p.phase().wire() + ": " + p.evidence();
                }
            }
            return "";
        }

        void halt(String why) {
            if (haltReason != null) return;
            haltReason = why;
            events.add("halted: " + why);
        }

        void decide() {
            if (haltReason == null && failures > s.failureBudget()) {
                halt(failures + " nodes failed, more than the failure budget of " + s.failureBudget() + "; first: " + firstFailure);
            }
            if (s.aborted()) {
                startNodes(true);
                boolean changedRemain = active > 0 || upgraded > 0;
                phase = changedRemain ? "Aborting" : "Aborted";
                message = changedRemain ? active + " nodes going back, " + upgraded + " still to roll back" : "every changed node runs the previous version again";
                return;
            }
            if (haltReason != null) {
                phase = "Halted";
                message = haltReason + (active > 0 ? "; " + active + " nodes already out finish" : "");
                return;
            }
            if (pending == 0 && active == 0) {
                phase = upgraded == in.nodes().size() ? "Completed" : "CompletedWithFailures";
                message = outcome();
                return;
            }
            String progress = upgraded + " of " + in.nodes().size() + " upgraded, " + active + " in progress";
            if (s.paused()) {
                phase = "Paused";
                message = "paused: " + progress;
                return;
            }
            if (!in.windowOpen()) {
                phase = "WaitingForWindow";
                message = "the maintenance window is closed: " + progress;
                return;
            }
            String waiting = startNodes(false);
            if (pending == 0 && active == 0) {
                phase = "CompletedWithFailures";
                message = outcome();
                return;
            }
            phase = gatesPassed < 0 ? "Canary" : "Progressing";
            message = upgraded + " of " + in.nodes().size() + " upgraded, " + active + " in progress" + (waiting == null ? "" : "; " + waiting);
        }

        /**
         * Starts nodes while slots, capacity and the canary allow: pending ones forward, or, when aborting,
         * upgraded ones back. Returns why no more could start, or null.
         */
        String startNodes(boolean back) {
            String why = null;
            boolean waitingForCanary = false;
            List<String> unhealthy = new ArrayList<>();
            for (Map.Entry<String, NodeProgress> e : in.nodes().entrySet()) {
                String node = e.getKey();
                NodeProgress p = now(node);
                if (p.phase() != (back ? NodePhase.UPGRADED : NodePhase.PENDING)) continue;
                if (!back && gatesPassed < 0 && p.wave() > 0) {
                    waitingForCanary = true;
                    continue;
                }
                if (active >= s.parallel()) return why;
                NodeInfo info = in.fleet().get(node);
                if (!back && gatesPassed < 0 && p.wave() == 0 && (info == null || !info.healthy())) {
                    // an unhealthy canary would hold everything up: the next healthy node of a later wave stands in for it
                    String standIn = healthyLaterNode();
                    if (standIn != null) {
                        NodeProgress other = now(standIn);
                        put(standIn, other.inWave(0));
                        put(node, p.inWave(other.wave()));
                        events.add(standIn + " is the canary instead of " + node + ", which is unhealthy");
                        return startNodes(back);
                    }
                }
                if (info == null || !info.healthy()) {
                    unhealthy.add(node);
                    why = node + " is unhealthy and waits" + (info == null ? "" : ": " + info.healthMessage());
                    continue;
                }
                int gpus = info.gpus();
                int busy = info.busyGpus();
                if (inServiceGpus - gpus < in.guaranteedGpus()) {
                    return "capacity guard: taking " + node + " out would leave " + (inServiceGpus - gpus) + " GPUs in service, below the "
                            + in.guaranteedGpus() + " guaranteed";
                }
                int freeElsewhere = freeGpus - (gpus - busy);
                if (active >= s.maxUnavailable() && busy > freeElsewhere) {
                    return "surge: " + node + " runs work on " + busy + " GPUs and only " + Math.max(0, freeElsewhere) + " are free elsewhere";
                }
                inServiceGpus -= gpus;
                freeGpus = freeElsewhere - busy;
                active++;
                NodeProgress started = back ? p.goingBack("rollout aborted", false) : p;
                if (back) upgraded--;
                else pending--;
                put(node, in.drains()
                        ? act(started.to(NodePhase.CORDONING, in.now()), new NodeAction(node, NodeAction.Kind.CORDON, null, null, null), "cordon")
                        : started.to(NodePhase.UPGRADING, in.now())); // its first pack is chosen once the node is observed
            }
            // only unhealthy nodes are left, with nothing else going on: they are reported, not waited on forever
            if (!back && active == 0 && !unhealthy.isEmpty() && unhealthy.size() == pending) {
                for (String node : unhealthy) {
                    NodeInfo info = in.fleet().get(node);
                    put(node, now(node).unavailable("not upgraded: the node was unhealthy throughout"
                            + (info == null ? "" : ": " + info.healthMessage()), in.now()));
                    pending--;
                    if (unavailable.size() < 5) unavailable.add(node);
                    events.add(node + " not upgraded: unhealthy");
                }
            }
            return waitingForCanary ? (why != null ? why + "; " : "") + "waiting for the canary to pass" : why;
        }
    
        /** How a finished rollout ended, for a person. */
        String outcome() {
            return upgraded + " of " + in.nodes().size() + " nodes upgraded" + (failures > 0 ? "; " + failures + " failed, first: " + firstFailure : "")
                    + (unavailable.isEmpty() ? "" : "; unhealthy throughout, not upgraded: " + String.join(", ", unavailable));
        }

        /** The first pending healthy node outside the canary wave, or null. */
        String healthyLaterNode() {
            for (String node : in.nodes().keySet()) {
                NodeProgress p = now(node);
                NodeInfo info = in.fleet().get(node);
                if (p.phase() == NodePhase.PENDING && p.wave() > 0 && info != null && info.healthy()) return node;
            }
            return null;
        }
    }
}
