package dev.millwright.control.provision;

import dev.millwright.infra.Health;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.provision.Day2Engine;
import dev.millwright.provision.Day2Engine.Observation;
import dev.millwright.provision.Day2Engine.Power;
import dev.millwright.provision.Day2Task;
import dev.millwright.provision.LifecycleEngine.OpState;
import dev.millwright.provision.MachineLifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * What a Day-2 pass does to the world around the pure {@link Day2Engine}, in the shape of the dock's and the
 * rollouts' runners: finds a task asked for before a crash, observes the task in flight with the machine's power and
 * the work still on it, and carries out the engine's tasks through the infrastructure port.
 */
final class Day2Runner {
    /** Replicas on a node and their longest checkpoint grace. */
    record Work(int replicas, Duration grace) {
    }

    private final Infrastructure infra;
    /** Tasks the port refused at once, by the id given them here, so that the next pass reads the port's own reason. */
    private final java.util.Map<String, Operation> refused = new java.util.concurrent.ConcurrentHashMap<>();

    Day2Runner(Infrastructure infra) {
        this.infra = infra;
    }

    /**
     * A machine whose last pass asked for a task but crashed before recording its operation id: the operation of that
     * kind started on it since then is adopted, so nothing is done twice; if there is none it is asked for again.
     * Returns null when nothing was pending.
     */
    MachineLifecycle recover(String machine, MachineLifecycle m, Duration grace) {
        if (m.pending() == null || m.task() == null) return null;
        Operation found = null;
        try {
            for (Operation op : infra.operations(machine)) {
                if (op.kind().equals(m.pending()) && !op.started().isBefore(m.since())) found = op;
            }
        } catch (UnreachableException e) {
            // asked again below; the port refuses it at once if the machine is gone
        }
        Operation op = found != null ? found : start(new Day2Engine.Action(machine, m.task(), grace));
        return m.started(op.id(), op.started());
    }

    Observation observe(String machine, MachineLifecycle m, Function<String, Work> work) {
        OpState state = OpState.NONE;
        String message = "";
        if (m.operation() != null) {
            try {
                Operation op = refused.remove(m.operation());
                if (op == null) op = infra.operation(m.operation());
                state = switch (op.state()) {
                    case RUNNING -> OpState.RUNNING;
                    case SUCCEEDED -> OpState.SUCCEEDED;
                    case FAILED -> op.refused() ? OpState.REFUSED : OpState.FAILED;
                };
                message = op.message();
            } catch (UnreachableException e) {
                state = OpState.FAILED;
                message = "the operation was lost: " + e.getMessage();
            }
        }
        Health h = infra.health(machine);
        Power power = !h.reachable() ? Power.UNKNOWN : switch (h.power()) {
            case ON -> Power.ON;
            case OFF -> Power.OFF;
            default -> Power.UNKNOWN;
        };
        Work w = work.apply(machine);
        return new Observation(state, message, power, w.replicas(), w.grace());
    }

    /** Carries out one task; returns the machine with the id of the operation it now waits for. */
    MachineLifecycle execute(Day2Engine.Action a, MachineLifecycle m) {
        if (a.task().operationKind() == null) return m;
        Operation op = start(a);
        return m.started(op.id(), op.started());
    }

    private Operation start(Day2Engine.Action a) {
        try {
            return switch (a.task()) {
                case CORDON -> infra.cordon(a.machine());
                case DRAIN -> infra.drain(a.machine(), a.grace());
                case POWER_OFF -> infra.power(a.machine(), PowerAction.OFF);
                case POWER_ON -> infra.power(a.machine(), PowerAction.ON);
                case UNCORDON -> infra.uncordon(a.machine());
                case WAIT -> throw new IllegalStateException("waiting asks nothing of the port");
            };
        } catch (UnreachableException e) {
            // an answer, not a crash: the task failed now, and the engine's retries and reasons apply
            Instant now = infra.clock().instant();
            Operation op = new Operation("refused-" + a.machine() + "-" + now.toEpochMilli(), a.machine(), a.task().operationKind(),
                    Operation.State.FAILED, e.getMessage(), now, now);
            refused.put(op.id(), op);
            return op;
        }
    }
}
