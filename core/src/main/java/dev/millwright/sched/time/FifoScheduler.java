package dev.millwright.sched.time;

/**
 * One queue in submission order, no preemption. Strict FIFO ({@code backfill = false}) starts the head only, so
 * a large job at the head blocks everything behind it (head-of-line blocking). With backfill, any later job that
 * fits the idle GPUs starts, earliest first; the head still goes first whenever it fits. The node each job goes
 * to is the given {@link NodeChoice}: this one class is the {@code fifo}, {@code first-fit}, {@code best-fit},
 * {@code dot-prod}, {@code gpu-packing} and {@code fgd} policies.
 */
final class FifoScheduler implements Scheduler {
    private final Simulation sim;
    private final boolean backfill;
    private final NodeChoice rule;
    private final SizeQueues pending = new SizeQueues();

    FifoScheduler(Simulation sim, boolean backfill, NodeChoice rule) {
        this.sim = sim;
        this.backfill = backfill;
        this.rule = rule;
    }

    @Override
    public void arrived(ActiveJob j, double now) {
        pending.add(j);
    }

    @Override
    public void finished(ActiveJob j, double now) {
    }

    @Override
    public void schedule(double now) {
        while (!pending.isEmpty()) {
            ActiveJob next = backfill ? pending.oldestFitting(sim.cluster) : pending.oldest();
            if (next == null || !sim.tryStart(next, rule, now)) return;
            pending.removeHead(next);
        }
    }
}
