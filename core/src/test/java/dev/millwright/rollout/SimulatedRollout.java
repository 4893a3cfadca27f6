package dev.millwright.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.millwright.catalog.Layer;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.Version;
import dev.millwright.rollout.RolloutEngine.Gate;
import dev.millwright.rollout.RolloutEngine.Input;
import dev.millwright.rollout.RolloutEngine.NodeInfo;
import dev.millwright.rollout.RolloutEngine.Observation;
import dev.millwright.rollout.RolloutEngine.OpState;
import dev.millwright.rollout.RolloutEngine.Output;
import dev.millwright.rollout.RolloutEngine.ServiceHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What {@link RolloutEngineTest} runs rollouts against: a small simulated infrastructure (the {@link World}) that
 * plays fair (operations take time, only a finished operation changes a node, a burn-in fails on a node that runs a
 * bad version), and a {@link Rollout} driven pass by pass as the controller drives it.
 */
final class SimulatedRollout {
    private SimulatedRollout() {
    }
    static final Instant T0 = Instant.parse("2026-11-28T22:00:00Z");
    /** Time between two passes. */
    static final Duration TICK = Duration.ofMinutes(1);
    static final Duration NODE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration DRAIN_GRACE = Duration.ofMinutes(5);
    static final Duration BURN_IN = Duration.ofMinutes(3);
    static final double MAX_ERROR_RATE = 0.05;
    static final double MAX_LATENCY_MS = 1000;
    /** No test's rollout needs nearly this many passes: reaching it means the rollout waits forever. */
    static final int MAX_PASSES = 2000;

    static final List<Pack> PREVIOUS = List.of(pack(Layer.GPU_DRIVER, "gpu-driver", "1.0.0"), pack(Layer.CUDA, "cuda", "1.0.0"));
    static final List<Pack> TARGET = List.of(pack(Layer.GPU_DRIVER, "gpu-driver", "2.0.0"), pack(Layer.CUDA, "cuda", "1.1.0"));
    static final Set<String> MANAGED = Set.of("gpu-driver", "cuda");
    /** What a node runs before the rollout: the previous stack, and an OS image no stack manages. */
    static final Map<String, String> RUNS_PREVIOUS = Map.of("ubuntu", "24.04", "gpu-driver", "1.0.0", "cuda", "1.0.0");
    static final Map<String, String> RUNS_TARGET = Map.of("ubuntu", "24.04", "gpu-driver", "2.0.0", "cuda", "1.1.0");
    static final String XID = "GPU 0: Xid 79, GPU has fallen off the bus";

    static Pack pack(Layer layer, String name, String version) {
        return new Pack(layer, name, Version.of(version), List.of(), List.of(), Set.of(), false, false, List.of(), null, "test");
    }

    // ---------------------------------------------------------------- the simulated infrastructure

    /** One machine as the infrastructure sees it. */
    static final class Machine {
        final String name;
        final String domain;
        int gpus = 8;
        int busyGpus;
        boolean healthy = true;
        String healthMessage = "";
        final SortedMap<String, String> installed = new TreeMap<>(RUNS_PREVIOUS);
        boolean cordoned;
        /** Workload replicas placed on it, and their longest checkpoint grace. */
        int workloads;
        Duration jobGrace = Duration.ZERO;

        Machine(String name, String domain) {
            this.name = name;
            this.domain = domain;
        }

        void unhealthy(String why) {
            healthy = false;
            healthMessage = why;
        }
    }

    /** An operation the engine asked for, and when. */
    record Asked(Instant at, NodeAction action) {
    }

    static final class Operation {
        final NodeAction action;
        final Instant doneAt;
        OpState state = OpState.RUNNING;
        String message = "";

        Operation(NodeAction action, Instant doneAt) {
            this.action = action;
            this.doneAt = doneAt;
        }
    }

    /**
     * The infrastructure, played honestly: an operation runs for a while and only changes its machine once it ends; a burn-in
     * fails on a machine that runs a version broken there. It refuses what a real one would make dangerous: a second operation on a
     * machine while one runs there, or changing packs on a machine still serving work (when the rollout drains).
     */
    static final class World {
        Instant now = T0;
        boolean drains = true;
        final Map<String, Machine> machines = new LinkedHashMap<>();
        final Map<String, Operation> operations = new HashMap<>();
        final List<Asked> asked = new ArrayList<>();
        /** machine -> "pack version" whose burn-in fails there. */
        final Map<String, Set<String>> broken = new HashMap<>();
        /** "machine operation-kind" that never ends. */
        final Set<String> hanging = new java.util.HashSet<>();
        /** "machine operation-kind" that fails, with its message. */
        final Map<String, String> failing = new HashMap<>();

        Machine machine(String name) {
            return machines.get(name);
        }

        /** The burn-in fails wherever {@code pack version} runs, on the machines named (all when none are). */
        void breaks(String pack, String version, String... on) {
            for (String m : on.length == 0 ? machines.keySet().toArray(String[]::new) : on) {
                broken.computeIfAbsent(m, k -> new java.util.HashSet<>()).add(pack + " " + version);
            }
        }

        void hangs(String machine, String operationKind) {
            hanging.add(machine + " " + operationKind);
        }

        void fails(String machine, String operationKind, String message) {
            failing.put(machine + " " + operationKind, message);
        }

        String start(NodeAction a) {
            Machine m = machine(a.machine());
            operations.values().stream().filter(op -> op.action.machine().equals(a.machine()) && op.state == OpState.RUNNING).findAny()
                    .ifPresent(op -> fail("asked for " + a + " while " + op.action + " still runs on " + a.machine()));
            boolean changesPacks = a.kind() == NodeAction.Kind.INSTALL || a.kind() == NodeAction.Kind.REMOVE;
            if (drains && changesPacks && (!m.cordoned || m.workloads > 0)) fail("asked for " + a + " on a machine still serving work");
            asked.add(new Asked(now, a));
            String id = "op-" + operations.size();
            operations.put(id, new Operation(a, now.plus(length(a))));
            return id;
        }

        private static Duration length(NodeAction a) {
            return switch (a.kind()) {
                case CORDON, UNCORDON -> Duration.ofMinutes(1);
                case DRAIN, REMOVE -> Duration.ofMinutes(2);
                case INSTALL -> Duration.ofMinutes(4);
                case VALIDATE -> a.length();
            };
        }

        /** The clock moves on; operations whose time came end and change their machine. */
        void advance(Duration d) {
            now = now.plus(d);
            for (Operation op : operations.values()) {
                String key = op.action.machine() + " " + op.action.operationKind();
                if (op.state != OpState.RUNNING || now.isBefore(op.doneAt) || hanging.contains(key)) continue;
                if (failing.containsKey(key)) {
                    op.state = OpState.FAILED;
                    op.message = failing.get(key);
                    continue;
                }
                end(op);
            }
        }

        private void end(Operation op) {
            Machine m = machine(op.action.machine());
            NodeAction a = op.action;
            switch (a.kind()) {
                case CORDON -> m.cordoned = true;
                case DRAIN -> m.workloads = 0;
                case INSTALL -> m.installed.put(a.pack(), a.version());
                case REMOVE -> m.installed.remove(a.pack());
                case UNCORDON -> m.cordoned = false;
                case VALIDATE -> {
                    Set<String> bad = broken.getOrDefault(m.name, Set.of());
                    if (m.installed.entrySet().stream().anyMatch(e -> bad.contains(e.getKey() + " " + e.getValue()))) {
                        op.state = OpState.FAILED;
                        op.message = XID;
                        return;
                    }
                }
            }
            op.state = OpState.SUCCEEDED;
        }

        /** What the runner sees of a node being worked on: the state of its operation, its packs and its jobs. */
        Observation observe(String node, NodeProgress p) {
            Machine m = machine(node);
            Operation op = p.operation() == null ? null : operations.get(p.operation());
            OpState state = op == null ? OpState.NONE : op.state;
            String message = op == null ? "" : op.message;
            boolean packs = p.phase() == NodePhase.UPGRADING || p.phase() == NodePhase.VALIDATING || p.phase() == NodePhase.DRAINING;
            boolean jobs = p.phase() == NodePhase.WAITING_FOR_JOBS;
            return new Observation(state, message, packs ? new TreeMap<>(m.installed) : null, jobs ? m.workloads : 0,
                    jobs ? m.jobGrace : Duration.ZERO, m.healthy, m.healthy ? "healthy" : m.healthMessage);
        }

        Map<String, NodeInfo> fleet() {
            Map<String, NodeInfo> out = new HashMap<>();
            machines.forEach((name, m) -> out.put(name, new NodeInfo(name, m.domain, m.gpus, m.busyGpus, m.healthy, m.healthMessage)));
            return out;
        }

        List<Asked> askedOn(String machine) {
            return asked.stream().filter(a -> a.action().machine().equals(machine)).toList();
        }

        Instant firstAsked(String machine, NodeAction.Kind kind) {
            return askedOn(machine).stream().filter(a -> a.action().kind() == kind).map(Asked::at).findFirst().orElse(null);
        }

        /** "machine pack version" -> how often it was installed. */
        Map<String, Long> installCounts() {
            return asked.stream().filter(a -> a.action().kind() == NodeAction.Kind.INSTALL)
                    .collect(Collectors.groupingBy(a -> a.action().machine() + " " + a.action().pack() + " " + a.action().version(),
                            TreeMap::new, Collectors.counting()));
        }
    }

    // ---------------------------------------------------------------- the rollout, driven as the controller drives it

    /** One pass: the nodes before and after it (with the ids of the operations it started), and what the engine said. */
    record PassRecord(Instant at, Map<String, NodeProgress> before, Map<String, NodeProgress> after, Output out) {
    }

    /**
     * {@code nodes} nodes named a-1, b-1, c-1, a-2 ... over {@code domains} racks (so already spread over domains), the first
     * {@code canary} in wave 0, the others in waves of {@code waveSize}.
     */
    static Rollout rollout(int nodes, int domains, int canary, int waveSize) {
        Rollout r = new Rollout();
        r.canary = canary;
        for (int i = 0; i < nodes; i++) {
            char rack = (char) ('a' + i % domains);
            String name = rack + "-" + (i / domains + 1);
            int wave = i < canary ? 0 : 1 + (i - canary) / waveSize;
            r.world.machines.put(name, new Machine(name, "rack-" + rack));
            r.nodes.put(name, NodeProgress.pending(wave, "rack-" + rack, T0));
        }
        return r;
    }

    static final class Rollout {
        final World world = new World();
        final LinkedHashMap<String, NodeProgress> nodes = new LinkedHashMap<>();
        int canary = 1;
        // the spec, which a person may change between passes
        int maxUnavailable = 2;
        int maxSurge;
        int failureBudget = 1;
        boolean paused;
        boolean aborted;
        // the environment
        boolean windowOpen = true;
        int guaranteedGpus;
        ServiceHealth services = ServiceHealth.NONE;
        // what the status keeps from pass to pass
        int gatesPassed = -1;
        String haltReason;
        final List<PassRecord> history = new ArrayList<>();

        RolloutSettings settings() {
            return new RolloutSettings(canary, maxUnavailable, maxSurge, failureBudget, NODE_TIMEOUT, DRAIN_GRACE, BURN_IN, MAX_ERROR_RATE,
                    MAX_LATENCY_MS, paused, aborted);
        }

        /** Observe, decide, record, act, then let a minute pass. */
        Output pass() {
            Map<String, NodeProgress> before = new LinkedHashMap<>(nodes);
            Map<String, Observation> observed = new HashMap<>();
            nodes.forEach((node, p) -> {
                if (p.phase().active()) observed.put(node, world.observe(node, p));
            });
            Output out = RolloutEngine.pass(new Input(settings(), world.drains, TARGET, PREVIOUS, MANAGED, before, world.fleet(), observed,
                    world.now, windowOpen, guaranteedGpus, services, gatesPassed, haltReason));
            nodes.putAll(out.changed());
            gatesPassed = out.gatesPassed();
            haltReason = out.haltReason();
            assertThat(out.actions()).extracting(NodeAction::machine).as("one action per node at most").doesNotHaveDuplicates();
            for (NodeAction a : out.actions()) {
                NodeProgress p = nodes.get(a.machine());
                assertThat(p.pending()).as("the progress of " + a.machine() + " names what it asked for").isEqualTo(a.operationKind());
                nodes.put(a.machine(), p.started(world.start(a)));
            }
            history.add(new PassRecord(world.now, before, new LinkedHashMap<>(nodes), out));
            world.advance(TICK);
            return out;
        }

        void passes(int n) {
            for (int i = 0; i < n; i++) pass();
        }

        void runUntil(Predicate<Rollout> done) {
            for (int i = 0; i < MAX_PASSES; i++) {
                pass();
                if (done.test(this)) return;
            }
            fail("still not there after " + MAX_PASSES + " passes: " + last().phase() + ": " + last().message() + "\n" + nodes);
        }

        /** Until it is finished, or waits with nothing out (halted, paused, window closed). */
        void runToEnd() {
            runUntil(r -> r.last().finished() || r.nodesNow(p -> p.phase().active()).isEmpty()
                    && Set.of("Halted", "Paused", "WaitingForWindow").contains(r.last().phase()));
        }

        Output last() {
            return history.get(history.size() - 1).out();
        }

        int lastWave() {
            return nodes.values().stream().mapToInt(NodeProgress::wave).max().orElseThrow();
        }

        Set<String> nodesNow(Predicate<NodeProgress> which) {
            return nodes.entrySet().stream().filter(e -> which.test(e.getValue())).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        }

        Set<String> nodesAfter(int pass, Predicate<NodeProgress> which) {
            return history.get(pass).after().entrySet().stream().filter(e -> which.test(e.getValue())).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        }

        int maxActive() {
            return history.stream().mapToInt(s -> (int) s.after().values().stream().filter(p -> p.phase().active()).count()).max().orElse(0);
        }

        int firstPass(Predicate<PassRecord> which) {
            for (int i = 0; i < history.size(); i++) if (which.test(history.get(i))) return i;
            return -1;
        }

        int firstPassOutOfPending(String node) {
            return firstPass(s -> s.after().get(node).phase() != NodePhase.PENDING);
        }

        int passOfGate(int wave) {
            return firstPass(s -> s.out().gates().stream().anyMatch(g -> g.wave() == wave && g.passed()));
        }

        /** When the node first entered {@code phase}. */
        Instant sinceOfFirst(String node, NodePhase phase) {
            return history.stream().map(s -> s.after().get(node)).filter(p -> p.phase() == phase).findFirst().orElseThrow().since();
        }

        long failuresAfter(int pass) {
            return history.get(pass).after().values().stream()
                    .filter(p -> p.counted() && (p.phase() == NodePhase.FAILED || p.phase() == NodePhase.ROLLED_BACK)).count();
        }

        List<Gate> gates() {
            return history.stream().flatMap(s -> s.out().gates().stream()).toList();
        }

        List<String> messages() {
            return history.stream().map(s -> s.out().message()).toList();
        }

        List<String> messagesOfPhase(String phase) {
            return history.stream().filter(s -> s.out().phase().equals(phase)).map(s -> s.out().message()).toList();
        }
    }
}
