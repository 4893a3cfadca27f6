package dev.millwright.sched.packing;

import java.util.List;
import java.util.Objects;

/**
 * A pod of a packing replay: what it asks for, never where it ran.
 *
 * @param numGpu    how many distinct GPUs it uses
 * @param gpuMilli  thousandths of each of those GPUs: 1000 takes whole free GPUs, less shares a GPU with others;
 *                  0 exactly when {@code numGpu} is 0
 * @param gpuModels the GPU models it may run on; empty means any, including GPUs of unknown model
 */
public record PackingPod(String name, long cpuMilli, long memoryMib, int numGpu, int gpuMilli, List<String> gpuModels) {
    public PackingPod {
        Objects.requireNonNull(name, "name");
        gpuModels = List.copyOf(gpuModels);
        if (cpuMilli < 0) throw new IllegalArgumentException("pod " + name + ": cpuMilli must not be negative");
        if (memoryMib < 0) throw new IllegalArgumentException("pod " + name + ": memoryMib must not be negative");
        if (numGpu < 0) throw new IllegalArgumentException("pod " + name + ": numGpu must not be negative");
        if (numGpu == 0 ? gpuMilli != 0 : gpuMilli < 1 || gpuMilli > 1000) {
            throw new IllegalArgumentException("pod " + name + ": gpuMilli must be 1..1000 when it uses GPUs and 0 otherwise, not " + gpuMilli);
        }
    }

    /** Thousandths of a GPU it asks for in all, {@code numGpu * gpuMilli}: what it adds to the arrived demand. */
    public long gpuRequestMilli() {
        return (long) numGpu * gpuMilli;
    }
}
