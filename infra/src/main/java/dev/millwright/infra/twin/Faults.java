package dev.millwright.infra.twin;

import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.twin.TwinMachine.TwinWorkload;
import java.time.Duration;
import java.util.ArrayList;

/**
 * The twin's fault processes: what breaks, when, and what it does to a machine and its workloads. Every
 * draw comes from the twin's random source, in event order, so faults are part of the seeded history.
 */
final class Faults {
    private final Twin twin;

    Faults(Twin twin) {
        this.twin = twin;
    }

    /**
     * Once a simulated hour, draws how many faults of each kind the fleet suffers in the coming hour (Poisson
     * with mean rate x machines / 24) and schedules each at a random moment on a random machine. Drawing
     * per hour follows the fleet as it grows, which one long exponential gap drawn at start would not.
     */
    void tick() {
        int n = twin.byIndex.size();
        if (n > 0) {
            for (Twin.FaultKind kind : Twin.FaultKind.values()) {
                double perMachineDay = switch (kind) {
                    case MACHINE_DEATH -> twin.faults.machineDeath();
                    case GPU_XID -> twin.faults.gpuXid();
                    case BMC_UNREACHABLE -> twin.faults.bmcUnreachable();
                    case SLOW_NODE -> twin.faults.slowNode();
                };
                int count = poisson(perMachineDay * n / 24);
                for (int i = 0; i < count; i++) {
                    TwinMachine m = twin.byIndex.get(twin.random.nextInt(n));
                    int gpu = m.gpus() == 0 ? 0 : twin.random.nextInt(m.gpus());
                    twin.schedule((long) (twin.random.nextDouble() * FAULT_TICK), () -> apply(kind, m, gpu));
                }
            }
        }
        twin.schedule(FAULT_TICK, this::tick);
    }

    /** How often fault arrivals are drawn. */
    private static final long FAULT_TICK = Duration.ofHours(1).toNanos();

    private int poisson(double mean) {
        if (mean <= 0) return 0;
        if (mean > 30) return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        double limit = Math.exp(-mean);
        double p = twin.random.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= twin.random.nextDouble();
            k++;
        }
        return k;
    }

    private double gaussian() {
        double u = 1 - twin.random.nextDouble();
        double v = twin.random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    void apply(Twin.FaultKind kind, TwinMachine m, int gpu) {
        switch (kind) {
            case MACHINE_DEATH -> {
                if (m.dead) return;
                m.dead = true;
                twin.stopAll(m, "the machine died");
                twin.history.record(twin.clock.nanos(), m.name, "fault: machine died");
            }
            case GPU_XID -> {
                if (m.gpus() == 0 || m.dead) return;
                m.xid[gpu] = 79;
                for (TwinWorkload w : new ArrayList<>(m.workloads.values())) {
                    for (int g : w.gpus) {
                        if (g == gpu) {
                            twin.finish(m, w, WorkloadObservation.State.FAILED, "GPU " + gpu + " fell off the bus");
                            break;
                        }
                    }
                }
                twin.history.record(twin.clock.nanos(), m.name, "fault: GPU " + gpu + " Xid 79");
            }
            case BMC_UNREACHABLE -> {
                m.bmcDownUntil = twin.clock.nanos() + Duration.ofMinutes(FaultRates.BMC_OUTAGE_MINUTES).toNanos();
                twin.history.record(twin.clock.nanos(), m.name, "fault: BMC unreachable for " + FaultRates.BMC_OUTAGE_MINUTES + " min");
            }
            case SLOW_NODE -> {
                if (m.dead) return;
                m.slow = true;
                twin.history.record(twin.clock.nanos(), m.name, "fault: slow node");
            }
            default -> throw new IllegalStateException("unexpected fault " + kind);
        }
    }

    static String xidText(int xid) {
        return switch (xid) {
            case 79 -> "Xid 79: GPU has fallen off the bus";
            case 48 -> "Xid 48: double-bit ECC error";
            case 94 -> "Xid 94: contained ECC error";
            default -> "Xid " + xid;
        };
    }
}
