package dev.millwright.sched.trace;

import dev.millwright.sched.packing.PackingPod;
import java.util.List;
import java.util.Objects;

/**
 * One row of an openb pod list ({@code name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,...}).
 *
 * @param gpuMilli  thousandths of each GPU it uses: 1000 is a whole GPU, less is a share of one GPU; 0 when
 *                  {@code numGpu} is 0
 * @param gpuModels the GPU models it may run on ({@code gpu_spec}, '|'-separated in the file); empty = any
 * @param line      the row's line in its file, for messages
 */
public record OpenbPod(String name, long cpuMilli, long memoryMib, int numGpu, int gpuMilli, List<String> gpuModels, int line) {
    public OpenbPod {
        Objects.requireNonNull(name, "name");
        gpuModels = List.copyOf(gpuModels);
        if (cpuMilli < 0 || memoryMib < 0 || numGpu < 0) throw new IllegalArgumentException("negative request on pod " + name);
        if (numGpu == 0 ? gpuMilli != 0 : gpuMilli < 1 || gpuMilli > 1000) {
            throw new IllegalArgumentException("pod " + name + ": gpu_milli " + gpuMilli + " does not fit num_gpu " + numGpu);
        }
    }

    /** Thousandths of a GPU it asks for in all: {@code numGpu * gpuMilli}. */
    public long gpuRequestMilli() {
        return (long) numGpu * gpuMilli;
    }

    /** The pod as the packing engine takes it. */
    public PackingPod toPacking() {
        return new PackingPod(name, cpuMilli, memoryMib, numGpu, gpuMilli, gpuModels);
    }
}
