package dev.millwright.bench;

import dev.millwright.control.provision.DockRunner;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.Operation;
import dev.millwright.infra.twin.GateRates;
import dev.millwright.infra.twin.Twin;
import dev.millwright.provision.DockEstimate;
import dev.millwright.provision.DockSettings;
import dev.millwright.provision.HardwareExpectation;
import dev.millwright.provision.LifecycleEngine;
import dev.millwright.provision.LifecycleState;
import dev.millwright.provision.MachineLifecycle;
import dev.millwright.provision.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Racks from the loading dock to Joined over the twin, driven by the same engine and runner as the live
 * DockController (the store left out). Reports the makespan against a lower bound computed from the durations the
 * twin actually drew, and checks that every machine that did not join is quarantined or failed with its reason.
 *
 * <p><b>The lower bound.</b> No schedule finishes before the slowest machine has run all its own steps (the longest
 * path), nor before any limited resource has served its work. For a resource key (a rack's power, a BMC network,
 * the image server) with limit L, every machine i on it needs r_i of its own steps to reach it, p_i on it and q_i
 * after it (nothing for a machine that stopped there). For any set S of its machines, S's work cannot start before
 * min r over S, takes at least sum p over S / L, and the machine of S that leaves it last still needs min q over S:
 * the makespan is at least the sum of the three. The bound is the largest of these over the sets
 * {r_i >= a, q_i >= b}. (Taking every machine at once, as the bound once did, lets one quarantined machine, which
 * needs nothing after, drop the whole key's tail to zero.)
 *
 * <p>{@code millwright-bench dock [--machines 1000] [--rack 40] [--seed 42] [--per-bmc-network 40] [--per-rack 8]
 * [--per-image-server 128]}: an image server on a 25 Gb/s link serves 128 installs of a 5 GB image in 18 minutes
 * with room to spare; a rack's feeds take 8 of 40 servers at full burn-in power.
 */
public final class DockBench {
    /** Simulated time between controller passes. */
    private static final Duration PASS = Duration.ofSeconds(10);
    /** Racks per BMC management network (a /24 serves a row of racks). */
    private static final int RACKS_PER_NETWORK = 5;

    private DockBench() {
    }

    public static void main(String[] args) {
        int machines = 1000;
        int rack = 40;
        long seed = 42;
        int perBmc = 40;
        int perRack = 8;
        int perImage = 128;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--machines" -> machines = Integer.parseInt(args[++i]);
                case "--rack" -> rack = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--per-bmc-network" -> perBmc = Integer.parseInt(args[++i]);
                case "--per-rack" -> perRack = Integer.parseInt(args[++i]);
                case "--per-image-server" -> perImage = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        run(machines, rack, seed, perBmc, perRack, perImage);
    }

    static void run(int count, int rackSize, long seed, int perBmc, int perRack, int perImage) {
        long wall = System.nanoTime();
        Twin twin = Twin.builder().seed(seed).gateFailures(GateRates.BURN_IN_ONLY).build();
        DockSettings settings = new DockSettings(DockSettings.DEFAULT_GATES, new HardwareExpectation("H100 80GB", 8, 80, Map.of("BIOS", "2.4.1")),
                perBmc, perRack, perImage, 3, Duration.ofMinutes(1), DockSettings.DEFAULT_IMAGE, DockSettings.DEFAULT_KUBERNETES);
        List<Step> plan = settings.plan();
        Instant t0 = twin.clock().instant();
        Map<String, MachineLifecycle> machines = new LinkedHashMap<>();
        Map<String, Integer> turns = new HashMap<>();
        for (int i = 0; i < count; i++) {
            int r = i / rackSize;
            String name = String.format(Locale.ROOT, "r%03d-u%02d", r, i % rackSize);
            twin.enrollDelivered(new MachineRef(name, "twin://hgx-h100/" + name, null));
            String rack = String.format(Locale.ROOT, "r%03d", r);
            int order = turns.merge(rack, 1, Integer::sum) * 100_000 + i; // racks take turns, as the controller orders them
            machines.put(name, MachineLifecycle.registered(rack, "10.0." + r / RACKS_PER_NETWORK + ".0/24", order, t0));
        }

        DockRunner runner = new DockRunner(twin);
        Map<String, Integer> peak = new TreeMap<>();
        // the ETA the batch's status shows, at the start and every two simulated hours: when it says the batch ends
        Map<Long, Double> forecasts = new TreeMap<>();
        long forecastStart = System.nanoTime();
        forecasts.put(0L, DockEstimate.remaining(settings, machines, t0).toSeconds() / 3600.0);
        double forecastMillis = (System.nanoTime() - forecastStart) / 1e6;
        long passes = 0;
        while (machines.values().stream().anyMatch(m -> !m.state().settled())) {
            twin.advance(PASS);
            Instant now = twin.clock().instant();
            long hours = Duration.between(t0, now).toHours();
            if (hours % 2 == 0 && !forecasts.containsKey(hours)) {
                forecasts.put(hours, hours + DockEstimate.remaining(settings, machines, now).toSeconds() / 3600.0);
            }
            LifecycleEngine.Output out = LifecycleEngine.pass(new LifecycleEngine.Input(settings, machines, runner.observe(machines, plan), now));
            machines.putAll(out.changed());
            machines.putAll(runner.execute(out.actions(), machines));
            passes++;
            Map<String, Integer> held = new HashMap<>();
            machines.values().forEach(m -> {
                if (m.inFlight()) held.merge(key(plan.get(m.next()), m), 1, Integer::sum);
            });
            held.forEach((k, n) -> peak.merge(k.replaceAll(":.*", ""), n, Math::max));
            if (Duration.between(t0, now).toDays() > 30) throw new IllegalStateException("the batch did not settle within 30 simulated days");
        }

        Instant end = machines.values().stream().map(m -> m.entered().get(m.state().wire())).max(Instant::compareTo).orElse(t0);
        Bound bound = bound(twin, machines, plan, settings);
        Map<String, Integer> states = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        int withoutReason = 0;
        for (MachineLifecycle m : machines.values()) {
            states.merge(m.state().wire(), 1, Integer::sum);
            if (m.state() == LifecycleState.JOINED) continue;
            if (m.reason() == null || m.reason().isBlank()) withoutReason++;
            else reasons.merge(m.reason().replaceAll("[0-9.]+", "#").replaceAll(":.*", ""), 1, Integer::sum);
        }
        double makespanH = Duration.between(t0, end).toSeconds() / 3600.0;
        System.out.printf(Locale.ROOT, "dock: %d machines in racks of %d, limits %d per BMC network, %d per rack in burn-in, %d installs; seed %d%n",
                count, rackSize, settings.perBmcNetwork(), settings.perRackPower(), settings.perImageServer(), seed);
        System.out.println("outcome:          " + states);
        System.out.println("not joined:       " + reasons + (withoutReason == 0 ? ", every one with its reason" : ", " + withoutReason + " WITHOUT a reason"));
        System.out.printf(Locale.ROOT, "makespan:         %.2f h (simulated)%n", makespanH);
        System.out.printf(Locale.ROOT, "lower bound:      %.2f h (%s); longest path %.2f h%n", bound.hours, bound.what, bound.pathHours);
        System.out.printf(Locale.ROOT, "ratio:            %.3fx%n", makespanH / bound.hours);
        StringBuilder eta = new StringBuilder();
        forecasts.forEach((h, said) -> eta.append(eta.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "at %d h %.2f h (%+.1f%%)", h, said,
                (said / makespanH - 1) * 100)));
        System.out.println("ETA said the end: " + eta + "; " + String.format(Locale.ROOT, "%.0f ms to forecast 1,000 machines", forecastMillis));
        System.out.println("peak in flight:   " + peak + " (per key; limits bmc " + settings.perBmcNetwork() + ", rack " + settings.perRackPower()
                + ", image " + settings.perImageServer() + ")");
        System.out.printf(Locale.ROOT, "wall:             %.1f s, %d passes of %d s%n", (System.nanoTime() - wall) / 1e9, passes, PASS.toSeconds());
    }

    /**
     * max over a, b of a + (sum of p_i over r_i >= a, q_i >= b) / limit + b, for machines {r_i, p_i, q_i}: each
     * threshold is one of the machines' own values. O(n^2) in the key's machines (a thousand at the image server).
     */
    static long keyBound(List<long[]> machines, int limit) {
        List<long[]> byReach = new ArrayList<>(machines);
        byReach.sort(Comparator.comparingLong((long[] x) -> x[0]).reversed());
        long best = 0;
        for (long b : machines.stream().mapToLong(x -> x[2]).distinct().toArray()) {
            long work = 0;
            for (int i = 0; i < byReach.size(); i++) {
                long[] x = byReach.get(i);
                if (x[2] >= b) work += x[1];
                // the set {r >= a, q >= b} for a = this reach, once every machine with that reach is in
                if (i + 1 == byReach.size() || byReach.get(i + 1)[0] != x[0]) best = Math.max(best, x[0] + work / limit + b);
            }
        }
        return best;
    }

    private record Bound(double hours, String what, double pathHours) {
    }

    private static String key(Step step, MachineLifecycle m) {
        return switch (step.limit()) {
            case BMC_NETWORK -> "bmc:" + m.network();
            case RACK_POWER -> "rack:" + m.rack();
            case IMAGE_SERVER -> "image:";
            case NONE -> "none:";
        };
    }

    /** The bound, from each machine's operations as the twin ran them: their real, jittered durations. */
    private static Bound bound(Twin twin, Map<String, MachineLifecycle> machines, List<Step> plan, DockSettings settings) {
        Map<String, Step> byKind = new HashMap<>();
        plan.forEach(s -> byKind.put(s.operationKind(), s));
        long longest = 0;
        Map<String, List<long[]>> keys = new TreeMap<>(); // key -> each machine's {reach, work on it, after it}
        Map<String, Integer> limits = new HashMap<>();
        for (var e : machines.entrySet()) {
            MachineLifecycle m = e.getValue();
            List<Operation> ops = twin.operations(e.getKey());
            long[] durations = new long[ops.size()];
            long path = 0;
            for (int i = 0; i < ops.size(); i++) {
                durations[i] = Duration.between(ops.get(i).started(), ops.get(i).finished()).toMillis();
                path += durations[i];
            }
            longest = Math.max(longest, path);
            Map<String, long[]> mine = new LinkedHashMap<>(); // key -> {before, work}
            long before = 0;
            for (int i = 0; i < ops.size(); i++) {
                Step s = byKind.get(ops.get(i).kind());
                if (s != null && s.limit() != dev.millwright.provision.Limit.NONE) {
                    long[] k = mine.computeIfAbsent(key(s, m), x -> new long[] {-1, 0});
                    if (k[0] < 0) k[0] = before;
                    k[1] += durations[i];
                    limits.put(key(s, m), settings.limit(s.limit()));
                }
                before += durations[i];
            }
            long total = before;
            for (var k : mine.entrySet()) {
                long[] v = k.getValue();
                long after = m.state() == LifecycleState.JOINED ? total - v[0] - v[1] : 0; // a machine that stopped needs nothing after
                keys.computeIfAbsent(k.getKey(), x -> new ArrayList<>()).add(new long[] {v[0], v[1], after});
            }
        }
        long best = longest;
        String what = "the longest path";
        for (var k : keys.entrySet()) {
            long b = keyBound(k.getValue(), limits.get(k.getKey()));
            if (b > best) {
                best = b;
                what = k.getKey().replace(":", " ") + ": reach + work / " + limits.get(k.getKey()) + " + remaining path, over its machines that need the most";
            }
        }
        return new Bound(best / 3.6e6, what, longest / 3.6e6);
    }
}
