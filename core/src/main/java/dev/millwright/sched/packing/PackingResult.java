package dev.millwright.sched.packing;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one packing replay.
 *
 * @param totalGpus                  GPUs of all nodes
 * @param tracePods                  pods in the trace, before tuning
 * @param pods                       pods that arrived, after tuning
 * @param allocationByArrivedPercent 131 values: GPU allocation in percent of capacity when the arrived GPU demand
 *                                   was 0, 1, ..., 130 percent of capacity (sampling: see {@link AllocationCurve})
 * @param allocationAtEndPercent     GPU allocation after the last pod
 * @param arrivedPercentAtEnd        arrived GPU demand after the last pod, in percent of capacity
 */
public record PackingResult(String policy, long seed, double targetLoad, int nodes, long totalGpus, int tracePods, int pods,
                            int scheduledPods, int failedPods, List<Double> allocationByArrivedPercent,
                            double allocationAtEndPercent, double arrivedPercentAtEnd) {
    public PackingResult {
        Objects.requireNonNull(policy, "policy");
        allocationByArrivedPercent = List.copyOf(allocationByArrivedPercent);
    }

    /** Allocation in percent when the arrived demand was {@code percent} of capacity (0..130). */
    public double allocationAt(int percent) {
        return allocationByArrivedPercent.get(percent);
    }
}
