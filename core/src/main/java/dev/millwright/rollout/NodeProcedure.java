package dev.millwright.rollout;

import dev.millwright.catalog.Layer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one node goes through for one pack change, and how long that is estimated to take. The layer decides:
 * a change under running GPU work (OS, kernel, driver, CUDA, container runtime, kubelet) empties the node
 * first; a change above it (operator, CNI, CSI, frameworks) rolls in place and is only validated.
 */
public record NodeProcedure(Layer layer, List<NodeState> states, Duration perNode) {
    /** Layers whose change restarts or replaces what GPU pods run on, so the node is emptied first. */
    static final Set<Layer> DRAINED = EnumSet.of(Layer.OS, Layer.KERNEL, Layer.GPU_DRIVER, Layer.CUDA,
            Layer.CONTAINER_RUNTIME, Layer.KUBERNETES);
    /** Layers whose change is proven by a GPU health check (nvidia-smi, DCGM diagnostics) rather than a pod readiness check. */
    static final Set<Layer> GPU_CHECKED = EnumSet.of(Layer.OS, Layer.KERNEL, Layer.GPU_DRIVER, Layer.CUDA);

    /** Cordoning is one API call; the minute covers the scheduler noticing. */
    static final Duration CORDON = Duration.ofMinutes(1);
    /** Estimate for running jobs to finish or checkpoint; real waits are bounded by the job's own policy. */
    static final Duration WAIT_FOR_JOBS = Duration.ofMinutes(15);
    /** The drain grace period: the GPU Operator's default drain timeout is 300 seconds. */
    static final Duration DRAIN_GRACE = Duration.ofMinutes(5);
    /** A GPU driver install: unload modules, build or load the new ones, restart the device plugin. */
    static final Duration DRIVER_INSTALL = Duration.ofMinutes(8);
    /** An OS image or kernel change includes a reboot. */
    static final Duration REBOOTING_INSTALL = Duration.ofMinutes(15);
    /** CUDA, container runtime and kubelet packages: install and restart a service. */
    static final Duration SERVICE_INSTALL = Duration.ofMinutes(4);
    /** A rolling update of an in-cluster component (operator, CNI, framework) on one node. */
    static final Duration ROLLING_INSTALL = Duration.ofMinutes(2);
    /** A GPU health check (DCGM short diagnostic). */
    static final Duration GPU_VALIDATE = Duration.ofMinutes(2);
    /** A readiness check of the changed pods or services. */
    static final Duration VALIDATE = Duration.ofMinutes(1);
    /** Uncordoning is one API call. */
    static final Duration UNCORDON = Duration.ofMinutes(1);

    public NodeProcedure {
        states = List.copyOf(states);
    }

    /** The procedure for a worker (GPU) node changing a pack of this layer. */
    static NodeProcedure worker(Layer layer) {
        if (!DRAINED.contains(layer)) return of(layer, List.of(NodeState.UPGRADE, NodeState.VALIDATE));
        return of(layer, List.of(NodeState.CORDON, NodeState.WAIT_FOR_JOBS, NodeState.DRAIN, NodeState.UPGRADE,
                NodeState.VALIDATE, NodeState.UNCORDON));
    }

    /** A control-plane node runs no GPU jobs, so there is nothing to wait for before the drain. */
    static NodeProcedure controlPlane() {
        return of(Layer.KUBERNETES, List.of(NodeState.CORDON, NodeState.DRAIN, NodeState.UPGRADE, NodeState.VALIDATE, NodeState.UNCORDON));
    }

    private static NodeProcedure of(Layer layer, List<NodeState> states) {
        Duration total = Duration.ZERO;
        for (NodeState s : states) total = total.plus(duration(layer, s));
        return new NodeProcedure(layer, states, total);
    }

    static Duration duration(Layer layer, NodeState state) {
        return switch (state) {
            case CORDON -> CORDON;
            case WAIT_FOR_JOBS -> WAIT_FOR_JOBS;
            case DRAIN -> DRAIN_GRACE;
            case UPGRADE -> switch (layer) {
                case GPU_DRIVER -> DRIVER_INSTALL;
                case OS, KERNEL -> REBOOTING_INSTALL;
                case CUDA, CONTAINER_RUNTIME, KUBERNETES -> SERVICE_INSTALL;
                default -> ROLLING_INSTALL;
            };
            case VALIDATE -> GPU_CHECKED.contains(layer) ? GPU_VALIDATE : VALIDATE;
            case UNCORDON -> UNCORDON;
        };
    }

    /** Whether the node is emptied of pods for this change. */
    public boolean drains() {
        return states.contains(NodeState.DRAIN);
    }

    /** "cordon -> wait-for-jobs (or checkpoint) -> drain -> upgrade -> validate (GPU health check) -> uncordon". */
    @Override
    public String toString() {
        return states.stream()
                .map(s -> s == NodeState.VALIDATE && GPU_CHECKED.contains(layer) ? "validate (GPU health check)" : s.label())
                .collect(Collectors.joining(" -> "));
    }
}
