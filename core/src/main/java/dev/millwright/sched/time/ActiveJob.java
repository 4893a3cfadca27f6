package dev.millwright.sched.time;

/**
 * A job while it is replayed: its progress, whether and where it runs, and scratch fields the policy keeps on
 * it. Mutable and confined to one {@link Simulation}.
 *
 * <p>Progress is kept lazily: while it runs, {@code attained} is exact as of {@code since} and grows one second
 * of service per second of wall time, after any restart overhead still left ({@code overheadLeft}).
 */
final class ActiveJob {
    final Job job;
    /** Index of its tenant in the workload. */
    final int tenant;
    final int gpus;
    final double submit;
    final double duration;
    /** Arrival order across all tenants: the FIFO tie-breaker everywhere. */
    final int seq;

    boolean running;
    /** When the current run began (wall clock), for busy-time accounting. */
    double runStart;
    /** Service received, seconds, as of {@link #since}. */
    double attained;
    double since;
    /** Restart overhead still to be paid in the current run before service resumes, seconds. */
    double overheadLeft;
    double firstStart = Double.NaN;
    double finish = Double.NaN;
    /** Bumped whenever the job starts, stops or finishes: timers of an older version are stale. */
    int version;
    int preemptions;
    /** Wall time spent holding GPUs, all runs together (service plus restart overhead), seconds. */
    double heldSeconds;
    /** Nodes it holds while running, and how many GPUs on each. */
    int[] nodes = new int[0];
    int[] perNode = new int[0];

    /** Policy scratch: its priority level (LAS policies). */
    int level;
    /** Policy scratch: a sort key fixed while the job is in one state (SRTF: its completion time while running). */
    double key;
    /** Policy scratch: the scheduling pass that selected it. */
    int selectedPass;
    /** Policy scratch: the scheduling pass that counted it inside its tenant's guaranteed quota. */
    int entitledPass;
    /** Policy scratch: runs inside its tenant's own allotment of GPUs (Millwright), on {@link #homeNodes}. */
    boolean home;
    int[] homeNodes;
    int[] homeCounts;

    ActiveJob(Job job, int tenant, int seq) {
        this.job = job;
        this.tenant = tenant;
        this.gpus = job.gpus();
        this.submit = job.submit();
        this.duration = job.duration();
        this.seq = seq;
    }

    /** Brings {@link #attained} up to {@code now}; a no-op unless running. */
    void advance(double now) {
        if (!running || now <= since) return;
        double elapsed = now - since;
        if (overheadLeft > 0) {
            double paid = Math.min(overheadLeft, elapsed);
            overheadLeft -= paid;
            elapsed -= paid;
        }
        attained = Math.min(duration, attained + elapsed);
        since = now;
    }

    /** Service still needed, seconds, as of the last {@link #advance}. */
    double remaining() {
        return Math.max(0, duration - attained);
    }

    /** When the job finishes if left running: only meaningful while running. */
    double completionTime() {
        return since + overheadLeft + remaining();
    }

    /** When attained service, counted in GPU-seconds, reaches {@code gpuSeconds}, if left running. */
    double timeToReachGpuSeconds(double gpuSeconds) {
        return since + overheadLeft + Math.max(0, gpuSeconds / gpus - attained);
    }

    @Override
    public String toString() {
        return job.tenant() + "/" + job.id();
    }
}
