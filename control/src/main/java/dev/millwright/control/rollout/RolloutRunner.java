package dev.millwright.control.rollout;

import dev.millwright.infra.Health;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Operation;
import dev.millwright.infra.UnreachableException;
import dev.millwright.rollout.NodeAction;
import dev.millwright.rollout.NodePhase;
import dev.millwright.rollout.NodeProgress;
import dev.millwright.rollout.RolloutEngine;
import dev.millwright.rollout.RolloutSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a rollout pass does to the world around the pure {@link RolloutEngine}: finds operations asked for before
 * a crash, observes the nodes being worked on, and carries out the engine's actions through the infrastructure
 * port. The controller and the benchmark both run rollouts with it.
 */
public final class RolloutRunner {
    /** Workload replicas on a node that must checkpoint or move before it is drained, and their longest grace. */
    public record Work(int replicas, Duration grace) {
        public static final Work NONE = new Work(0, Duration.ZERO);
    }

    private final Infrastructure infra;

    public RolloutRunner(Infrastructure infra) {
        this.infra = infra;
    }

    /**
     * Nodes whose last pass asked for an operation but crashed before recording its id: the operation of that
     * kind started on the machine since then is adopted, so nothing is done twice; if there is none it is asked
     * for again. Returns the nodes that changed.
     */
    public Map<String, NodeProgress> recover(Map<String, NodeProgress> nodes, RolloutSettings settings) {
        Map<String, NodeProgress> changed = new LinkedHashMap<>();
        nodes.forEach((machine, p) -> {
            if (p.pending() == null) return;
            Operation found = null;
            try {
                for (Operation op : infra.operations(machine)) {
                    if (op.kind().equals(p.pending()) && !op.started().isBefore(p.since())) found = op;
                }
            } catch (UnreachableException e) {
                // asked again below; the port refuses it at once if the machine is gone
            }
            String id = found != null ? found.id() : start(action(machine, p.pending(), settings)).id();
            changed.put(machine, p.started(id));
        });
        return changed;
    }

    /** What the engine needs to see of every node being worked on. */
    public Map<String, RolloutEngine.Observation> observe(Map<String, NodeProgress> nodes, java.util.function.Function<String, Work> work) {
        Map<String, RolloutEngine.Observation> out = new HashMap<>();
        nodes.forEach((machine, p) -> {
            if (!p.phase().active()) return;
            RolloutEngine.OpState state = RolloutEngine.OpState.NONE;
            String message = "";
            if (p.operation() != null) {
                try {
                    Operation op = infra.operation(p.operation());
                    state = switch (op.state()) {
                        case RUNNING -> RolloutEngine.OpState.RUNNING;
                        case SUCCEEDED -> RolloutEngine.OpState.SUCCEEDED;
                        case FAILED -> RolloutEngine.OpState.FAILED;
                    };
                    message = op.message();
                } catch (UnreachableException e) {
                    state = RolloutEngine.OpState.FAILED;
                    message = "the operation was lost: " + e.getMessage();
                }
            }
            Health h = infra.health(machine);
            SortedMap<String, String> installed = null;
            if (p.phase() == NodePhase.UPGRADING || p.phase() == NodePhase.VALIDATING || p.phase() == NodePhase.DRAINING) {
                try {
                    installed = infra.installedPacks(machine);
                } catch (UnreachableException e) {
                    installed = null;
                }
            }
            Work w = p.phase() == NodePhase.WAITING_FOR_JOBS ? work.apply(machine) : Work.NONE;
            out.put(machine, new RolloutEngine.Observation(state, message, installed, w.replicas(), w.grace(), h.healthy(),
                    h.message().isEmpty() ? (h.reachable() ? "healthy" : "unreachable") : h.message()));
        });
        return out;
    }

    /** Carries out the actions; returns each node with the id of the operation it now waits for. */
    public Map<String, NodeProgress> execute(List<NodeAction> actions, Map<String, NodeProgress> nodes) {
        Map<String, NodeProgress> started = new LinkedHashMap<>();
        for (NodeAction a : actions) {
            NodeProgress p = nodes.get(a.machine());
            started.put(a.machine(), p.started(start(a).id()));
        }
        return started;
    }

    private Operation start(NodeAction a) {
        try {
            return switch (a.kind()) {
                case CORDON -> infra.cordon(a.machine());
                case DRAIN -> infra.drain(a.machine(), a.length());
                case INSTALL -> infra.installPack(a.machine(), a.pack(), a.version());
                case REMOVE -> infra.removePack(a.machine(), a.pack());
                case VALIDATE -> infra.burnIn(a.machine(), a.length());
                case UNCORDON -> infra.uncordon(a.machine());
            };
        } catch (UnreachableException e) {
            java.time.Instant now = infra.clock().instant();
            return new Operation("lost-" + a.machine() + "-" + now.toEpochMilli(), a.machine(), a.operationKind(), Operation.State.FAILED,
                    e.getMessage(), now, now);
        }
    }

    /** The action an operation kind names ("install:gpu-driver@580.95.05"), to ask for it again. */
    static NodeAction action(String machine, String kind, RolloutSettings s) {
        if (kind.startsWith("install:")) {
            String packAt = kind.substring("install:".length());
            int at = packAt.lastIndexOf('@');
            return new NodeAction(machine, NodeAction.Kind.INSTALL, packAt.substring(0, at), packAt.substring(at + 1), null);
        }
        if (kind.startsWith("remove:")) return new NodeAction(machine, NodeAction.Kind.REMOVE, kind.substring("remove:".length()), null, null);
        return switch (kind) {
            case "cordon" -> new NodeAction(machine, NodeAction.Kind.CORDON, null, null, null);
            case "drain" -> new NodeAction(machine, NodeAction.Kind.DRAIN, null, null, s.drainGrace());
            case "burn-in" -> new NodeAction(machine, NodeAction.Kind.VALIDATE, null, null, s.validation());
            case "uncordon" -> new NodeAction(machine, NodeAction.Kind.UNCORDON, null, null, null);
            default -> throw new IllegalStateException("unknown operation kind " + kind);
        };
    }
}
