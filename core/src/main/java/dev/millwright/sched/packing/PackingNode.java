package dev.millwright.sched.packing;

import java.util.Objects;

/**
 * A node of a packing replay.
 *
 * @param model the model of all its GPUs; "" when it has none or nobody knows (only pods without a model
 *              constraint may use such GPUs)
 */
public record PackingNode(String name, long cpuMilli, long memoryMib, int gpus, String model) {
    public PackingNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        if (cpuMilli < 0) throw new IllegalArgumentException("node " + name + ": cpuMilli must not be negative");
        if (memoryMib < 0) throw new IllegalArgumentException("node " + name + ": memoryMib must not be negative");
        if (gpus < 0) throw new IllegalArgumentException("node " + name + ": gpus must not be negative");
    }
}
