package dev.millwright.sched.time;

import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The discrete-event loop: arrivals come from the sorted job list, completions and policy timers from a heap;
 * all events at one instant are handled, then the policy makes one pass. Service is accounted per job
 * ({@link ActiveJob#advance}), busy GPU time per run.
 *
 * <p>A preempted job keeps the service it attained (checkpoint and resume) and pays {@code restartPenalty}
 * seconds of overhead, on its GPUs, each time it starts again.
 */
final class Simulation {
    private static final int COMPLETION = 0;
    private static final int TIMER = 1;

    private record Event(double time, int kind, ActiveJob job, int version) {
    }

    final Cluster cluster;
    final ActiveJob[] jobs;
    final int tenants;
    final double restartPenalty;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> {
        int c = Double.compare(a.time, b.time);
        if (c != 0) return c;
        c = Integer.compare(a.kind, b.kind);
        return c != 0 ? c : Integer.compare(a.job.seq, b.job.seq);
    });
    private Scheduler scheduler;

    double busyGpuSeconds;
    double overheadGpuSeconds;
    long preemptions;
    long passes;
    /** Jobs that never started because they cannot fit this fleet even empty (partition replays only). */
    int unschedulable;

    /** @param jobs sorted by submission time; {@code seq} equals the index */
    Simulation(Cluster cluster, ActiveJob[] jobs, int tenants, double restartPenalty) {
        this.cluster = cluster;
        this.jobs = jobs;
        this.tenants = tenants;
        this.restartPenalty = restartPenalty;
    }

    /** Runs the replay to the end under the policy {@code factory} builds for this simulation. */
    void run(Function<Simulation, Scheduler> factory) {
        scheduler = factory.apply(this);
        int next = 0;
        while (next < jobs.length || !events.isEmpty()) {
            // timers of jobs that started or stopped since are stale: drop them, they are no reason for a pass
            while (!events.isEmpty() && events.peek().version != events.peek().job.version) events.poll();
            if (next >= jobs.length && events.isEmpty()) break;
            double now = next < jobs.length ? jobs[next].submit : Double.POSITIVE_INFINITY;
            if (!events.isEmpty() && events.peek().time < now) now = events.peek().time;
            while (!events.isEmpty() && events.peek().time <= now) {
                Event e = events.poll();
                if (e.version != e.job.version) continue;
                if (e.kind == COMPLETION) complete(e.job, now);
                else {
                    e.job.advance(now);
                    scheduler.timer(e.job, now);
                }
            }
            while (next < jobs.length && jobs[next].submit <= now) {
                ActiveJob j = jobs[next++];
                // only in a partition smaller than the job: it would block a FIFO queue forever
                if (cluster.couldEverFit(j.gpus)) scheduler.arrived(j, now);
            }
            scheduler.schedule(now);
            passes++;
        }
        for (ActiveJob j : jobs) {
            if (Double.isNaN(j.finish)) {
                if (cluster.couldEverFit(j.gpus)) throw new IllegalStateException("policy left " + j
                        + " (" + j.gpus + " GPUs) pending on an idle fleet of " + cluster.totalGpus + " GPUs");
                unschedulable++;
            }
        }
    }

    /** Starts {@code j} where {@code rule} places it; false, with nothing changed, if it does not fit now. */
    boolean tryStart(ActiveJob j, NodeChoice rule, double now) {
        if (j.running) throw new IllegalStateException(j + " is already running");
        if (!cluster.place(j, rule)) return false;
        begin(j, now);
        return true;
    }

    /** Starts {@code j} best-fit on the nodes {@code [lo, hi)} if it fits there, else best-fit anywhere; false if it does not fit. */
    boolean tryStartPreferring(ActiveJob j, int lo, int hi, double now) {
        if (j.running) throw new IllegalStateException(j + " is already running");
        if (!cluster.placePreferring(j, lo, hi)) return false;
        begin(j, now);
        return true;
    }

    /** Starts {@code j} on exactly these nodes, which must have room. */
    void startOn(ActiveJob j, int[] nodes, int[] counts, double now) {
        if (j.running) throw new IllegalStateException(j + " is already running");
        cluster.placeOn(j, nodes, counts);
        begin(j, now);
    }

    private void begin(ActiveJob j, double now) {
        j.running = true;
        j.runStart = now;
        j.since = now;
        if (Double.isNaN(j.firstStart)) {
            j.firstStart = now;
            j.overheadLeft = 0;
        } else {
            j.overheadLeft = restartPenalty;
            overheadGpuSeconds += restartPenalty * j.gpus;
        }
        j.version++;
        events.add(new Event(j.completionTime(), COMPLETION, j, j.version));
        scheduler.started(j, now);
    }

    /** Stops a running job: it keeps its attained service and is pending again. */
    void preempt(ActiveJob j, double now) {
        if (!j.running) throw new IllegalStateException(j + " is not running");
        j.advance(now);
        stop(j, now);
        // overhead not yet paid is not charged
        if (j.overheadLeft > 0) overheadGpuSeconds -= j.overheadLeft * j.gpus;
        j.overheadLeft = 0;
        j.preemptions++;
        preemptions++;
        scheduler.preempted(j, now);
    }

    private void complete(ActiveJob j, double now) {
        j.advance(now);
        j.attained = j.duration;
        stop(j, now);
        j.finish = now;
        scheduler.finished(j, now);
    }

    private void stop(ActiveJob j, double now) {
        busyGpuSeconds += (now - j.runStart) * j.gpus;
        j.heldSeconds += now - j.runStart;
        cluster.release(j);
        j.running = false;
        j.version++;
    }

    /** Calls the policy's {@link Scheduler#timer} for {@code j} at {@code time}, unless {@code j} starts or stops first. */
    void wakeAt(ActiveJob j, double time) {
        events.add(new Event(time, TIMER, j, j.version));
    }
}
