package dev.millwright.bench;

import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.Pack;
import dev.millwright.control.rollout.RolloutRunner;
import dev.millwright.infra.Health;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import dev.millwright.infra.twin.FaultRates;
import dev.millwright.infra.twin.Twin;
import dev.millwright.rollout.NodePhase;
import dev.millwright.rollout.NodeProgress;
import dev.millwright.rollout.RolloutEngine;
import dev.millwright.rollout.RolloutSettings;
import dev.millwright.rollout.WavePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A GPU driver rollout over a twin fleet, driven by the same engine and runner as the live controller (the
 * store left out): {@code fleet} measures the makespan against the lower bound the strategy allows, capacity
 * guard violations and training gangs drained before their grace; {@code bad} injects a driver that breaks
 * GPUs and measures the blast radius; {@code chaos} kills machines and BMCs during the rollout and checks that
 * it ends with a true status and no node stuck.
 *
 * <p>{@code millwright-bench rollout [--scenario fleet|bad|chaos] [--nodes N] [--parallel N] [--seed S]}
 */
public final class RolloutBench {
    private static final String FROM = "580.95.05";
    private static final String TO = "580.105.08";
    /** Nodes per rack: a rack is a failure domain. */
    private static final int RACK = 32;
    /** Simulated time between controller passes. */
    private static final Duration PASS = Duration.ofSeconds(5);
    /** What a job asked to checkpoint takes before it stops: its grace period. */
    private static final Duration JOB_GRACE = Duration.ofMinutes(3);
    private static final List<Integer> ALL_GPUS = List.of(0, 1, 2, 3, 4, 5, 6, 7);

    private final Twin twin;
    private final String scenario;
    private final int nodes;
    private final int parallel;
    private final RolloutRunner runner;
    /** Jobs on each node, and when each was asked to checkpoint. */
    private final Map<String, List<String>> jobsOn = new HashMap<>();
    private final Map<String, Instant> checkpointAsked = new HashMap<>();
    private int gangsBrokenWithoutGrace;
    private int capacityViolations;
    private int minInServiceGpus = Integer.MAX_VALUE;
    /** Machines seen dead, and seen with their BMC not answering, at some pass. */
    private final java.util.Set<String> seenDead = new java.util.HashSet<>();
    private final java.util.Set<String> seenUnreachable = new java.util.HashSet<>();

    private RolloutBench(String scenario, int nodes, int parallel, long seed) {
        this.scenario = scenario;
        this.nodes = nodes;
        this.parallel = parallel;
        FaultRates faults = scenario.equals("chaos") ? new FaultRates(0.02, 0, 0.5, 0, 0) : FaultRates.NONE;
        this.twin = Twin.builder().seed(seed).faults(faults).enrolledAs(Health.NodeState.READY).build();
        this.runner = new RolloutRunner(twin);
    }

    public static void main(String[] args) {
        String scenario = "fleet";
        int nodes = -1;
        int parallel = -1;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> scenario = args[++i];
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--parallel" -> parallel = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!Set.of("fleet", "bad", "chaos").contains(scenario)) throw new IllegalArgumentException("--scenario is fleet, bad or chaos");
        if (nodes < 0) nodes = scenario.equals("fleet") ? 10_000 : 1_000;
        if (parallel < 0) parallel = scenario.equals("fleet") ? 100 : 50;
        new RolloutBench(scenario, nodes, parallel, seed).run();
    }

    private void run() {
        Catalog catalog = BuiltInCatalog.load();
        Pack from = pack(catalog, "gpu-driver", FROM);
        Pack to = pack(catalog, "gpu-driver", TO);
        Map<String, String> domains = new TreeMap<>();
        for (int i = 0; i < nodes; i++) {
            String name = String.format(Locale.ROOT, "n%05d", i);
            twin.enroll(new MachineRef(name, "twin://hgx-h100/" + name, null));
            domains.put(name, "rack-" + (i / RACK));
        }
        domains.keySet().forEach(m -> twin.installPack(m, "gpu-driver", FROM));
        twin.advance(Duration.ofMinutes(15));
        if (scenario.equals("bad")) twin.breakVersion("gpu-driver", TO);
        // a third of the nodes run a training gang member, a fifth an inference replica
        int i = 0;
        for (String m : domains.keySet()) {
            if (i % 3 == 0) {
                String job = "train-" + (i / 6) + "/" + (i % 6 == 0 ? 0 : 1);
                twin.startWorkload(new WorkloadPlacement(job, m, ALL_GPUS, 1000, 1e12));
                jobsOn.computeIfAbsent(m, k -> new ArrayList<>()).add(job);
            } else if (i % 5 == 0) {
                twin.startWorkload(new WorkloadPlacement("serve-" + i, m, List.of(0, 1), 1000, 0));
            }
            i++;
        }
        twin.advance(Duration.ofMinutes(1));

        int totalGpus = nodes * 8;
        // a production fleet keeps all but the rollout's own slots in service; under chaos, room for the machines lost too
        int guaranteed = totalGpus - parallel * 8 - (scenario.equals("chaos") ? totalGpus / 10 : 0);
        RolloutSettings settings = new RolloutSettings(1, parallel, 0, Math.max(1, nodes / 20), Duration.ofMinutes(60),
                Duration.ofMinutes(5), Duration.ofMinutes(2), 0.05, 1000, false, false);
        LinkedHashMap<String, NodeProgress> progress = WavePlan.plan(domains, settings.canary(), settings.parallel(), twin.clock().instant());
        int gatesPassed = -1;
        String haltReason = null;
        RolloutEngine.Output out = null;
        Instant start = twin.clock().instant();
        long wall = System.nanoTime();
        long passes = 0;
        Instant limit = start.plus(Duration.ofDays(4));
        while (twin.clock().instant().isBefore(limit)) {
            Instant now = twin.clock().instant();
            Map<String, RolloutEngine.NodeInfo> fleet = fleet(progress);
            checkCapacity(progress, fleet, guaranteed);
            RolloutEngine.Input in = new RolloutEngine.Input(settings, true, List.of(to), List.of(from), Set.of("gpu-driver"), progress, fleet,
                    runner.observe(progress, this::work), now, true, guaranteed, RolloutEngine.ServiceHealth.NONE, gatesPassed, haltReason);
            out = RolloutEngine.pass(in);
            progress.putAll(out.changed());
            for (var a : out.actions()) if (a.kind() == dev.millwright.rollout.NodeAction.Kind.DRAIN) checkGrace(a.machine(), now);
            progress.putAll(runner.execute(out.actions(), progress));
            gatesPassed = out.gatesPassed();
            haltReason = out.haltReason();
            passes++;
            boolean active = progress.values().stream().anyMatch(p -> p.phase().active());
            if (out.finished() || (out.phase().equals("Halted") && !active)) break;
            twin.advance(PASS);
        }
        long wallNanos = System.nanoTime() - wall;
        Duration makespan = Duration.between(start, twin.clock().instant());
        report(progress, out, makespan, passes, wallNanos, guaranteed);
    }

    /** The bench plays the scheduler: a job on a node being emptied is asked to checkpoint and stops after its grace. */
    private RolloutRunner.Work work(String machine) {
        List<String> jobs = jobsOn.getOrDefault(machine, List.of());
        int left = 0;
        Instant now = twin.clock().instant();
        for (String job : jobs) {
            if (twin.workload(job).state() != WorkloadObservation.State.RUNNING) continue;
            Instant asked = checkpointAsked.computeIfAbsent(job, k -> now);
            if (!now.isBefore(asked.plus(JOB_GRACE))) {
                twin.stopWorkload(job); // checkpointed
            }
            left++;
        }
        return new RolloutRunner.Work(left, JOB_GRACE);
    }

    /** A drain that would evict a job before its grace has passed breaks a gang without grace. */
    private void checkGrace(String machine, Instant now) {
        for (String job : jobsOn.getOrDefault(machine, List.of())) {
            if (twin.workload(job).state() != WorkloadObservation.State.RUNNING) continue;
            Instant asked = checkpointAsked.get(job);
            if (asked == null || now.isBefore(asked.plus(JOB_GRACE))) gangsBrokenWithoutGrace++;
        }
    }

    private Map<String, RolloutEngine.NodeInfo> fleet(Map<String, NodeProgress> progress) {
        Map<String, RolloutEngine.NodeInfo> out = new HashMap<>(progress.size() * 2);
        progress.forEach((m, p) -> {
            Health h = twin.health(m);
            if (h.dead()) seenDead.add(m);
            else if (!h.reachable()) seenUnreachable.add(m);
            int busy = jobsOn.containsKey(m) ? 8 : 0;
            out.put(m, new RolloutEngine.NodeInfo(m, p.domain(), 8, busy, h.healthy(), h.message()));
        });
        return out;
    }

    /** GPUs truly in service: healthy nodes that are Ready and not cordoned. */
    private void checkCapacity(Map<String, NodeProgress> progress, Map<String, RolloutEngine.NodeInfo> fleet, int guaranteed) {
        int inService = 0;
        int lost = 0;
        for (String m : progress.keySet()) {
            Health h = twin.health(m);
            if (h.healthy() && h.node() == Health.NodeState.READY) inService += 8;
            else if (!h.healthy()) lost += 8;
        }
        minInServiceGpus = Math.min(minInServiceGpus, inService);
        // nodes lost to faults are not the rollout's doing; the guard counts what it takes out
        if (inService + lost < guaranteed) capacityViolations++;
    }

    private void report(Map<String, NodeProgress> progress, RolloutEngine.Output out, Duration makespan, long passes, long wallNanos, int guaranteed) {
        Map<String, Integer> counts = new TreeMap<>();
        int stuck = 0;
        long badDriverNodes = 0;
        for (var e : progress.entrySet()) {
            counts.merge(e.getValue().phase().wire(), 1, Integer::sum);
            if (e.getValue().phase().active()) stuck++;
            if (twin.operations(e.getKey()).stream().anyMatch(o -> o.kind().equals("install:gpu-driver@" + TO))) badDriverNodes++;
        }
        // per node: cordon + drain of an empty node + driver install + health check + uncordon, and the jobs' grace on job nodes
        double perNodeMinutes = (2 + 2 + 9 * 60 + 120 + 2) / 60.0;
        double jobShare = jobsOn.size() / (double) nodes;
        double meanMinutes = perNodeMinutes + jobShare * (JOB_GRACE.toSeconds() + 30 + 3) / 60.0;
        double lowerBound = Math.ceil(nodes / (double) parallel) * meanMinutes;
        print("scenario", scenario + String.format(Locale.ROOT, ": %,d nodes (%,d GPUs), %d at a time, canary 1, %d racks",
                nodes, nodes * 8, parallel, (nodes + RACK - 1) / RACK));
        print("outcome", out.phase() + ": " + out.message());
        print("node phases", counts.toString() + (stuck > 0 ? " (" + stuck + " still active: STUCK)" : ", none stuck"));
        print("makespan", String.format(Locale.ROOT, "%.1f h simulated", makespan.toMinutes() / 60.0));
        if (scenario.equals("fleet")) {
            print("lower bound", String.format(Locale.ROOT, "%.1f h = ceil(%d / %d) x %.1f min mean per node (twin's nominal times, job grace on %.0f%% of nodes)",
                    lowerBound / 60, nodes, parallel, meanMinutes, jobShare * 100));
            print("makespan / bound", String.format(Locale.ROOT, "%.3f", makespan.toMinutes() / lowerBound));
        }
        if (scenario.equals("chaos")) {
            print("faults seen", seenDead.size() + " machines died, " + seenUnreachable.size() + " had their BMC stop answering");
        }
        print("nodes given " + TO, String.format(Locale.ROOT, "%,d", badDriverNodes));
        print("capacity guard", capacityViolations + " violations; fewest GPUs in service " + minInServiceGpus + " (guaranteed " + guaranteed + ")");
        print("gangs without grace", String.valueOf(gangsBrokenWithoutGrace));
        print("passes", String.format(Locale.ROOT, "%,d controller passes, %.1f s wall (%.2f ms per pass)", passes, wallNanos / 1e9,
                wallNanos / 1e6 / Math.max(1, passes)));
    }

    private static Pack pack(Catalog catalog, String name, String version) {
        return catalog.versions(name).stream().filter(p -> p.version().toString().equals(version)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the catalog has no " + name + " " + version));
    }

    private static void print(String what, String value) {
        System.out.printf(Locale.ROOT, "%-22s %s%n", what, value);
    }
}
