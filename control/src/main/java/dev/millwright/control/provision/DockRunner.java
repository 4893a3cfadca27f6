package dev.millwright.control.provision;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.CheckReport;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Inventory;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.provision.CheckReading;
import dev.millwright.provision.HardwareFacts;
import dev.millwright.provision.LifecycleEngine;
import dev.millwright.provision.LifecycleEngine.Observation;
import dev.millwright.provision.LifecycleEngine.OpState;
import dev.millwright.provision.MachineLifecycle;
import dev.millwright.provision.Step;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a dock pass does to the world around the pure {@link LifecycleEngine}, in the shape of the rollouts'
 * runner: finds operations asked for before a crash, observes the operations in flight (and, for a check that
 * succeeded, its measurements and the machine's hardware), and carries out the engine's steps through the
 * infrastructure port. The controller and the benchmark both drive batches with it.
 */
public final class DockRunner {
    private final Infrastructure infra;
    /**
     * Steps the port refused at once (an unreachable BMC, an adapter without checks), by the id given them here, so
     * that the next pass reads the port's own reason. Lost with the process: a pass after a restart reads "lost"
     * and tries again, which is what the reason would have led to anyway.
     */
    private final Map<String, Operation> refused = new java.util.concurrent.ConcurrentHashMap<>();

    public DockRunner(Infrastructure infra) {
        this.infra = infra;
    }

    /**
     * Machines whose last pass asked for a step but crashed before recording its operation id: the operation of that
     * kind started on the machine since then is adopted, so nothing is done twice; if there is none it is asked for
     * again. Returns the machines that changed.
     */
    public Map<String, MachineLifecycle> recover(Map<String, MachineLifecycle> machines, List<Step> plan) {
        Map<String, MachineLifecycle> changed = new LinkedHashMap<>();
        machines.forEach((machine, m) -> {
            if (m.pending() == null || m.next() >= plan.size() || LifecycleEngine.beyondDock(m)) return;
            Operation found = null;
            try {
                for (Operation op : infra.operations(machine)) {
                    if (op.kind().equals(m.pending()) && !op.started().isBefore(m.since())) found = op;
                }
            } catch (UnreachableException e) {
                // asked again below; the port refuses it at once if the machine is gone
            }
            Operation op = found != null ? found : start(machine, plan.get(m.next()));
            changed.put(machine, m.started(op.id(), op.started()));
        });
        return changed;
    }

    /** What the engine needs to see of every machine with an operation in flight. */
    public Map<String, Observation> observe(Map<String, MachineLifecycle> machines, List<Step> plan) {
        Map<String, Observation> out = new HashMap<>();
        machines.forEach((machine, m) -> {
            if (m.operation() == null || m.next() >= plan.size() || LifecycleEngine.beyondDock(m)) return;
            out.put(machine, observe(machine, m.operation(), plan.get(m.next())));
        });
        return out;
    }

    private Observation observe(String machine, String operation, Step step) {
        Operation op = refused.remove(operation);
        try {
            if (op == null) op = infra.operation(operation);
        } catch (UnreachableException e) {
            return new Observation(OpState.FAILED, "the operation was lost: " + e.getMessage(), null, null);
        }
        return switch (op.state()) {
            case RUNNING -> new Observation(OpState.RUNNING, op.message(), null, null);
            case FAILED -> new Observation(op.refused() ? OpState.REFUSED : OpState.FAILED, op.message(), null, null);
            case SUCCEEDED -> {
                if (step.kind() != Step.Kind.INSPECT && step.kind() != Step.Kind.CHECK) yield new Observation(OpState.SUCCEEDED, "", null, null);
                try {
                    CheckReport r = infra.checkReport(operation);
                    yield new Observation(OpState.SUCCEEDED, "", new CheckReading(r.metrics(), r.findings()), facts(infra.inventory(machine)));
                } catch (UnreachableException e) {
                    yield new Observation(OpState.FAILED, "could not read what " + step.title() + " found: " + e.getMessage(), null, null);
                }
            }
        };
    }

    /** Carries out the engine's steps; returns each machine with the id of the operation it now waits for. */
    public Map<String, MachineLifecycle> execute(List<LifecycleEngine.Action> actions, Map<String, MachineLifecycle> machines) {
        Map<String, MachineLifecycle> started = new LinkedHashMap<>();
        for (LifecycleEngine.Action a : actions) {
            Operation op = start(a.machine(), a.step());
            started.put(a.machine(), machines.get(a.machine()).started(op.id(), op.started()));
        }
        return started;
    }

    private Operation start(String machine, Step step) {
        try {
            return switch (step.kind()) {
                case POWER_ON -> infra.power(machine, PowerAction.ON);
                case INSPECT -> infra.check(machine, "inspect", null);
                case CHECK -> infra.check(machine, step.gate().portCheck(), step.gate().length());
                case INSTALL -> infra.install(machine, BootSource.PXE, step.argument());
                case JOIN -> infra.installPack(machine, "kubernetes", step.argument());
            };
        } catch (UnreachableException | UnsupportedOperationException e) {
            // an answer, not a crash: the step failed now, and the engine's retries and reasons apply
            Instant now = infra.clock().instant();
            Operation op = new Operation("refused-" + machine + "-" + now.toEpochMilli(), machine, step.operationKind(), Operation.State.FAILED,
                    e.getMessage(), now, now);
            refused.put(op.id(), op);
            return op;
        }
    }

    static HardwareFacts facts(Inventory inv) {
        Map<String, String> firmware = new TreeMap<>();
        inv.firmware().forEach(f -> firmware.put(f.component(), f.version()));
        return new HardwareFacts(inv.gpus().stream().map(Inventory.Gpu::model).toList(), inv.gpus().stream().map(Inventory.Gpu::memoryGiB).toList(),
                firmware);
    }
}
