package dev.millwright.infra;

import java.util.List;

/**
 * What a machine's BMC and node agent report now.
 *
 * @param node what runs on it: none (bare), os (installed), ready (a schedulable node), or cordoned
 * @param gpuFaults GPUs that failed (an Xid error, fallen off the bus); empty when all are healthy
 * @param slow the machine runs far below its peers (thermal throttling, a bad DIMM, a flapping link)
 * @param message a human summary of the worst problem, or empty
 */
public record Health(boolean reachable, PowerState power, NodeState node, boolean dead, List<GpuFault> gpuFaults,
                     boolean slow, String message) {
    public Health {
        gpuFaults = List.copyOf(gpuFaults);
    }

    public static Health unreachable(String message) {
        return new Health(false, PowerState.UNKNOWN, NodeState.UNKNOWN, false, List.of(), false, message);
    }

    public boolean healthy() {
        return reachable && !dead && gpuFaults.isEmpty() && !slow;
    }

    /** One failed GPU. */
    public record GpuFault(int gpu, int xid, String description) {
    }

    public enum PowerState { ON, OFF, UNKNOWN }

    public enum NodeState { NONE, OS, READY, CORDONED, UNKNOWN }
}
