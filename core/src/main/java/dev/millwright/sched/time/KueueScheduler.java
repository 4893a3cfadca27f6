package dev.millwright.sched.time;

/**
 * Kueue as deployed out of the box, in the same harness: one ClusterQueue per tenant with a nominal quota (its
 * {@code --quota}, 0 without one), all in one cohort that also owns the GPUs no queue is guaranteed (a Cohort
 * with its own quota), so a queue may borrow whatever is idle. Within a queue, {@code BestEffortFIFO} (Kueue's
 * default queueing strategy): workloads in creation order, and one that cannot be admitted does not block the
 * ones behind it. Across queues, as in Kueue's scheduling cycle: a head that fits within its queue's nominal
 * quota goes before one that would borrow, then the older first. No preemption (neither reclaim nor within the
 * queue), no defragmentation.
 *
 * <p>Admission here also requires that the pods can be placed, as with Topology-Aware Scheduling or
 * {@code waitForPodsReady}; pods go where kube-scheduler's default {@code NodeResourcesFit} scoring
 * ({@code LeastAllocated}) puts them: the node with the most free GPUs.
 *
 * <p>Left out: the limit of one borrowing admission per cohort per cycle, and fair sharing (off by default).
 */
final class KueueScheduler implements Scheduler {
    private final Simulation sim;
    private final int[] quota;
    private final int[] usage;
    private final SizeQueues[] queues;

    KueueScheduler(Simulation sim, int[] quota) {
        this.sim = sim;
        this.quota = quota.clone();
        this.usage = new int[quota.length];
        this.queues = new SizeQueues[quota.length];
        for (int t = 0; t < quota.length; t++) queues[t] = new SizeQueues();
    }

    @Override
    public void arrived(ActiveJob j, double now) {
        queues[j.tenant].add(j);
    }

    @Override
    public void finished(ActiveJob j, double now) {
        usage[j.tenant] -= j.gpus;
    }

    @Override
    public void schedule(double now) {
        while (true) {
            ActiveJob best = null;
            boolean bestBorrows = true;
            for (int t = 0; t < queues.length; t++) {
                ActiveJob head = queues[t].oldestFitting(sim.cluster);
                if (head == null) continue;
                boolean borrows = usage[t] + head.gpus > quota[t];
                if (best == null || (!borrows && bestBorrows) || (borrows == bestBorrows && head.seq < best.seq)) {
                    best = head;
                    bestBorrows = borrows;
                }
            }
            if (best == null || !sim.tryStart(best, NodeChoice.WORST_FIT, now)) return;
            queues[best.tenant].removeHead(best);
            usage[best.tenant] += best.gpus;
        }
    }
}
