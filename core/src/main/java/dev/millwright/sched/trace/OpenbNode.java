package dev.millwright.sched.trace;

import dev.millwright.sched.packing.PackingNode;
import java.util.Objects;

/**
 * One row of an openb node list ({@code sn,cpu_milli,memory_mib,gpu,model}).
 *
 * @param model the GPU model of all its GPUs, "" when it has none or the trace does not say
 * @param line  the row's line in its file, for messages
 */
public record OpenbNode(String name, long cpuMilli, long memoryMib, int gpus, String model, int line) {
    public OpenbNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        if (cpuMilli < 0 || memoryMib < 0 || gpus < 0) throw new IllegalArgumentException("negative capacity on node " + name);
    }

    /** The node as the packing engine takes it. */
    public PackingNode toPacking() {
        return new PackingNode(name, cpuMilli, memoryMib, gpus, model);
    }
}
