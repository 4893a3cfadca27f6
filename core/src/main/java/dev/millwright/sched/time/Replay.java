package dev.millwright.sched.time;

import dev.millwright.sched.time.TimeReplay.Figures;
import dev.millwright.sched.time.TimeReplay.Result;
import dev.millwright.sched.time.TimeReplay.TenantResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs one policy over a workload and turns the finished jobs into figures. Pure: no I/O. */
final class Replay {
    /**
     * Bounded slowdown floor, seconds: a job's slowdown is {@code JCT / max(duration, this)}, so that jobs of a
     * few seconds do not dominate the fairness index.
     */
    static final double SLOWDOWN_FLOOR_SECONDS = 10;

    private Replay() {
    }

    /** Replays {@code w} under {@code policy}; the simulation, finished, for tests to inspect. */
    static Simulation simulate(Workload w, Policy policy, double restartPenalty) {
        ActiveJob[] jobs = new ActiveJob[w.jobs().size()];
        for (int i = 0; i < jobs.length; i++) {
            Job j = w.jobs().get(i);
            jobs[i] = new ActiveJob(j, w.tenantIndex(j.tenant()), i);
        }
        Simulation sim = new Simulation(new Cluster(w.gpus(), w.gpusPerNode(), w.sizeWeights()), jobs,
                w.tenants().size(), restartPenalty);
        sim.run(s -> policy.create(s, w.quota()));
        return sim;
    }

    /** Replays {@code w} under {@code policy}, and each tenant alone on its quota when {@code partition} is set. */
    static Result run(Workload w, Policy policy, double restartPenalty, boolean partition) {
        long t0 = System.nanoTime();
        Simulation sim = simulate(w, policy, restartPenalty);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<TenantResult> tenants = new ArrayList<>();
        double[] fairness = new double[w.tenants().size()];
        Figures overall = figures(sim, -1);
        for (int t = 0; t < w.tenants().size(); t++) {
            Figures f = figures(sim, t);
            Figures alone = null;
            int unschedulable = 0;
            if (partition && w.quota()[t] > 0) {
                Simulation p = simulate(w.partitionOf(t), policy, restartPenalty);
                alone = figures(p, -1);
                unschedulable = p.unschedulable;
            }
            tenants.add(new TenantResult(w.tenants().get(t), w.quota()[t], f, alone, unschedulable));
            fairness[t] = f.jobs() == 0 ? Double.NaN : 1 / f.avgSlowdown();
        }
        return new Result(policy.cliName, w.gpus(), w.gpusPerNode(), sim.cluster.nodes(), restartPenalty, overall,
                jain(fairness), sim.preemptions, sim.passes, tenants, seconds);
    }

    /** Figures over tenant {@code tenant}'s finished jobs, or all jobs when {@code tenant} is negative. */
    static Figures figures(Simulation sim, int tenant) {
        int n = 0;
        for (ActiveJob j : sim.jobs) if ((tenant < 0 || j.tenant == tenant) && !Double.isNaN(j.finish)) n++;
        double[] jct = new double[n];
        double[] queue = new double[n];
        double sumJct = 0, sumQueue = 0, sumWait = 0, sumSlowdown = 0, held = 0;
        double first = Double.POSITIVE_INFINITY, last = Double.NEGATIVE_INFINITY;
        double allFirst = Double.POSITIVE_INFINITY, allLast = Double.NEGATIVE_INFINITY;
        int i = 0;
        for (ActiveJob j : sim.jobs) {
            if (!Double.isNaN(j.finish)) {
                allFirst = Math.min(allFirst, j.submit);
                allLast = Math.max(allLast, j.finish);
            }
            if ((tenant >= 0 && j.tenant != tenant) || Double.isNaN(j.finish)) continue;
            jct[i] = j.finish - j.submit;
            queue[i] = j.firstStart - j.submit;
            sumJct += jct[i];
            sumQueue += queue[i];
            sumWait += jct[i] - j.duration;
            sumSlowdown += Math.max(1, jct[i] / Math.max(j.duration, SLOWDOWN_FLOOR_SECONDS));
            held += j.heldSeconds * j.gpus;
            first = Math.min(first, j.submit);
            last = Math.max(last, j.finish);
            i++;
        }
        Arrays.sort(jct);
        Arrays.sort(queue);
        double fleetMakespan = allLast - allFirst;
        double utilization = n == 0 || fleetMakespan <= 0 ? Double.NaN : held / (sim.cluster.totalGpus * fleetMakespan);
        return new Figures(n, mean(sumJct, n), percentile(jct, 50), percentile(jct, 99), mean(sumQueue, n),
                percentile(queue, 50), percentile(queue, 99), mean(sumWait, n), mean(sumSlowdown, n), utilization,
                n == 0 ? Double.NaN : last - first);
    }

    private static double mean(double sum, int n) {
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Nearest-rank percentile of sorted {@code v}. */
    static double percentile(double[] v, double p) {
        if (v.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    /** Jain's index {@code (sum x)^2 / (n sum x^2)} over the defined values; 1 when all are equal. */
    static double jain(double[] x) {
        double s = 0, s2 = 0;
        int n = 0;
        for (double v : x) {
            if (Double.isNaN(v)) continue;
            s += v;
            s2 += v * v;
            n++;
        }
        return n == 0 || s2 == 0 ? Double.NaN : s * s / (n * s2);
    }
}
