package dev.millwright.sched.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Preemptive priority policies from the literature, in the same harness: each pass walks all active jobs in
 * priority order and chooses the first ones whose GPU counts add up to at most the fleet (skipping any that
 * would overflow it), starts the chosen ones, stopping running jobs that were not chosen (lowest priority first)
 * while a chosen job does not fit, then backfills idle GPUs with the best pending jobs that fit. Stopping only
 * what a chosen job needs (rather than every job left out, as the Tiresias simulator does before re-placing
 * everything) avoids stopping and restarting the same job at the same instant.
 *
 * <ul>
 *   <li>{@link Kind#TIRESIAS}: 2D-LAS from Tiresias (Gu et al., NSDI'19), as its simulator's {@code dlas-gpu}
 *       schedule runs it: attained service counted in GPU-seconds, two queues split at 3,600 GPU-seconds
 *       (the simulator's {@code queue_limit}), a job demoted when it crosses the limit, FIFO within a queue with
 *       running jobs ahead of pending ones, no starvation promotion (its default). Jobs go to the first node with
 *       room, as the simulator's default {@code yarn} placement does; running jobs are not migrated (the
 *       simulator re-places every job at every event, which amounts to free migration).</li>
 *   <li>{@link Kind#SRTF}: shortest remaining time first, an oracle that knows every duration; preempts when a
 *       shorter job arrives; best-fit placement.</li>
 * </ul>
 */
final class PriorityScheduler implements Scheduler {
    enum Kind { TIRESIAS, SRTF }

    /** Tiresias' queue limit, GPU-seconds: a job that attained this much service drops to the second queue. */
    static final double TIRESIAS_QUEUE_LIMIT = 3600;

    private final Simulation sim;
    private final Kind kind;
    private final NodeChoice rule;
    private final JobSets sets;
    private final Comparator<ActiveJob> mixed;
    /** Lowest priority first: the reverse of {@link #mixed}. */
    private final Comparator<ActiveJob> victimOrder;
    private double now;
    private int pass;

    PriorityScheduler(Simulation sim, Kind kind) {
        this.sim = sim;
        this.kind = kind;
        Comparator<ActiveJob> bySeq = Comparator.comparingInt(j -> j.seq);
        if (kind == Kind.TIRESIAS) {
            rule = NodeChoice.FIRST_FIT;
            Comparator<ActiveJob> byLevel = Comparator.<ActiveJob>comparingInt(j -> j.level).thenComparing(bySeq);
            sets = new JobSets(byLevel, byLevel, true);
            mixed = Comparator.<ActiveJob>comparingInt(j -> j.level)
                    .thenComparingInt(j -> j.running ? 0 : 1).thenComparing(bySeq);
        } else {
            rule = NodeChoice.BEST_FIT;
            // running jobs keep start + remaining service as key; their remaining time is about key - now
            sets = new JobSets(Comparator.<ActiveJob>comparingDouble(ActiveJob::remaining).thenComparing(bySeq),
                    Comparator.<ActiveJob>comparingDouble(j -> j.key).thenComparing(bySeq), true);
            mixed = Comparator.<ActiveJob>comparingDouble(j -> j.running ? j.key - now : j.remaining())
                    .thenComparing(bySeq);
        }
        victimOrder = mixed.reversed();
    }

    @Override
    public void arrived(ActiveJob j, double now) {
        j.level = 0;
        sets.addPending(j);
    }

    @Override
    public void finished(ActiveJob j, double now) {
        sets.removeRunning(j);
    }

    @Override
    public void started(ActiveJob j, double now) {
        // remaining service counts down from the start, restart overhead not included: a job paying its
        // overhead is not overtaken by one that is only slightly shorter (no restart thrash)
        j.key = now + j.remaining();
        if (kind == Kind.TIRESIAS && j.level == 0) {
            sim.wakeAt(j, j.timeToReachGpuSeconds(TIRESIAS_QUEUE_LIMIT));
        }
    }

    @Override
    public void timer(ActiveJob j, double now) {
        // Tiresias demotion: the job crossed the queue limit
        sets.removeRunning(j);
        j.level = 1;
        sets.addRunning(j);
    }

    @Override
    public void schedule(double now) {
        this.now = now;
        if (sets.pending.isEmpty()) return;
        int p = ++pass;
        // 1. choose: the highest-priority jobs that add up to the fleet, skipping those that would overflow it
        int room = sim.cluster.totalGpus;
        List<ActiveJob> toStart = new ArrayList<>();
        for (ActiveJob j : sets.merged(mixed)) {
            if (room == 0) break;
            if (j.gpus > room) continue;
            room -= j.gpus;
            j.selectedPass = p;
            if (!j.running) toStart.add(j);
        }
        // 2. start the chosen jobs; one that does not fit preempts running jobs that were not chosen, on the
        //    node where that stops the fewest GPUs (lowest priority first), and only if that makes room
        int smallestFailure = Integer.MAX_VALUE;
        for (ActiveJob j : toStart) {
            if (start(j) || j.gpus >= smallestFailure) continue;
            Eviction.Plan plan = Eviction.plan(sim.cluster, j.gpus, r -> r.selectedPass != p, victimOrder);
            if (plan == null) {
                // the victims only get fewer in this pass: no larger job can make room either
                smallestFailure = j.gpus;
                continue;
            }
            for (ActiveJob r : plan.victims()) {
                sets.removeRunning(r);
                sim.preempt(r, now);
                sets.addPending(r);
            }
            sets.removePending(j);
            sim.startOn(j, plan.nodes(), plan.counts(), now);
            sets.addRunning(j);
        }
        // 3. backfill: idle GPUs go to the best pending jobs that fit
        for (ActiveJob j = sets.bestFittingPending(sim.cluster); j != null; j = sets.bestFittingPending(sim.cluster)) {
            start(j);
        }
    }

    private boolean start(ActiveJob j) {
        if (!sim.cluster.fits(j.gpus)) return false;
        sets.removePending(j);
        if (!sim.tryStart(j, rule, now)) throw new IllegalStateException(j + " fit but could not be placed");
        sets.addRunning(j);
        return true;
    }
}
