package dev.millwright.sched.packing;

import java.util.Arrays;

/**
 * The packing curve: GPU allocation as a function of arrived GPU demand, both in percent of GPU capacity.
 *
 * <p>Sampling: the point at p percent (p = 0, 1, ..., {@link #MAX_PERCENT}) is the allocation right after the
 * last pod whose cumulative arrived request is at most p percent of capacity (failed pods count as arrived, as in
 * the FGD simulator); 0 when no pod qualifies. Past the end of the arrivals the curve stays at its final value.
 * Exact integer comparisons in GPU thousandths, so a pod landing exactly on a percent mark counts for it.
 */
final class AllocationCurve {
    /** The last percent of arrived demand sampled; the FGD paper reads its figures up to 130%. */
    static final int MAX_PERCENT = 130;

    private final long capacityMilli;
    private long[] arrived = new long[1024];
    private long[] allocated = new long[1024];
    private int count;

    AllocationCurve(long capacityMilli) {
        if (capacityMilli <= 0) throw new IllegalArgumentException("capacity must be positive");
        this.capacityMilli = capacityMilli;
    }

    /** Records the state after one more pod arrived and was placed or failed. */
    void record(long arrivedMilli, long allocatedMilli) {
        if (count == arrived.length) {
            arrived = Arrays.copyOf(arrived, count * 2);
            allocated = Arrays.copyOf(allocated, count * 2);
        }
        arrived[count] = arrivedMilli;
        allocated[count] = allocatedMilli;
        count++;
    }

    /** Allocation in percent at 0, 1, ..., {@link #MAX_PERCENT} percent arrived demand. */
    double[] sample() {
        double[] out = new double[MAX_PERCENT + 1];
        int last = -1;
        for (int p = 0; p <= MAX_PERCENT; p++) {
            while (last + 1 < count && arrived[last + 1] * 100 <= (long) p * capacityMilli) last++;
            out[p] = last < 0 ? 0 : percent(allocated[last]);
        }
        return out;
    }

    double percent(long milli) {
        return 100.0 * milli / capacityMilli;
    }
}
