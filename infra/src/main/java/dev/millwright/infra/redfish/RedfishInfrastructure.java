package dev.millwright.infra.redfish;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.GpuSample;
import dev.millwright.infra.Health;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Inventory;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The infrastructure port for bare-metal machines, through their BMCs over Redfish: inventory, health (reachability,
 * power, GPU health), power, OS install by a one-time boot from PXE, virtual media or UEFI HTTP, and firmware
 * ({@link #updateFirmware}, beyond the port). What needs software on the node itself (packs, cordon, drain,
 * workloads, GPU telemetry, burn-in) throws {@link InBandOnlyException}: a BMC cannot do it.
 *
 * <p><b>Operations.</b> A power or install operation is judged by what the BMC shows on later looks, not remembered
 * steps: a power operation succeeds once the power state is the one asked for, an install once the machine has
 * booted from the source (the BMC clears a one-time override when it is used). Its end is the BMC's part: the OS
 * installer then runs on the machine, and its completion is observed in-band. Each id says what its operation
 * waits for, so that one started before a restart of Millwright is judged again, not lost (and asked twice):
 * {@code redfish:<machine>:power:<action>:<started ms>:<n>}, {@code redfish:<machine>:boot:<source>:<started
 * ms>:<n>}, and for firmware the BMC's task monitor, {@code redfish:<machine>:task:<monitor>}. Only failures
 * answered at once are kept in memory alone.
 *
 * <p><b>Cost.</b> An inventory is a few dozen requests: it is read once per {@link #INVENTORY_TTL} per machine.
 * Health is one request while the BMC reports the system healthy.
 */
public final class RedfishInfrastructure implements Infrastructure {
    /** How long an inventory is reused: hardware changes only when someone opens the machine. */
    public static final Duration INVENTORY_TTL = Duration.ofMinutes(10);
    /** How long a power operation may take before it is failed: power-on self test of a large server is minutes. */
    static final Duration POWER_DEADLINE = Duration.ofMinutes(15);
    /** How long the machine may take to boot the installer after the restart. */
    static final Duration BOOT_DEADLINE = Duration.ofMinutes(30);
    private static final String PREFIX = "redfish:";
    private static final String TASK = ":task:";
    /** How long a forced power off may take to show before the power-on half of a power cycle is sent. */
    private static final int FORCE_OFF_WAIT_SECONDS = 30;

    /** Says how to reach a machine's BMC: its endpoint, and the credentials its credentialsRef names. */
    @FunctionalInterface
    public interface Connector {
        BmcConnection connection(MachineRef machine);
    }

    /** An operation that only software on the node can do, asked of a BMC. */
    public static final class InBandOnlyException extends UnsupportedOperationException {
        InBandOnlyException(String what) {
            super(what + " needs the node's own agent (in-band); a BMC over Redfish cannot do it");
        }
    }

    private record Enrolled(MachineRef ref, RedfishBmc bmc) {
    }

    private record CachedInventory(Inventory inventory, Instant read) {
    }

    /** What an operation waits for, to be checked on each look. */
    private record Pending(Operation op, String machine, PowerAction power, BootSource boot, String monitor) {
    }

    private final Connector connector;
    private final Clock clock;
    private final Map<String, Enrolled> machines = new ConcurrentHashMap<>();
    private final Map<String, CachedInventory> inventories = new ConcurrentHashMap<>();
    private final Map<String, Pending> operations = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    public RedfishInfrastructure(Connector connector, Clock clock) {
        this.connector = java.util.Objects.requireNonNull(connector, "connector");
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** Whether this adapter manages a machine with this BMC endpoint. */
    public static boolean handles(String bmcEndpoint) {
        String e = bmcEndpoint.toLowerCase(Locale.ROOT);
        return e.startsWith("https://") || e.startsWith("http://");
    }

    @Override
    public void enroll(MachineRef machine) {
        if (!handles(machine.bmcEndpoint())) {
            throw new IllegalArgumentException("not a Redfish BMC endpoint (http:// or https://): " + machine.bmcEndpoint());
        }
        Enrolled existing = machines.get(machine.name());
        if (existing != null && existing.ref().equals(machine)) return;
        Enrolled fresh = new Enrolled(machine, RedfishBmc.connect(connector.connection(machine)));
        Enrolled old = machines.put(machine.name(), fresh);
        inventories.remove(machine.name());
        if (old != null) old.bmc().close();
    }

    @Override
    public void release(String machine) {
        Enrolled e = machines.remove(machine);
        inventories.remove(machine);
        if (e != null) e.bmc().close();
    }

    @Override
    public Inventory inventory(String machine) {
        CachedInventory cached = inventories.get(machine);
        Instant now = clock.instant();
        if (cached != null && cached.read().plus(INVENTORY_TTL).isAfter(now)) return cached.inventory();
        try {
            Inventory inv = bmc(machine).inventory().inventory();
            inventories.put(machine, new CachedInventory(inv, now));
            return inv;
        } catch (RedfishException e) {
            throw new UnreachableException(e.getMessage());
        }
    }

    @Override
    public Health health(String machine) {
        try {
            return bmc(machine).health();
        } catch (RedfishException e) {
            return Health.unreachable(e.getMessage());
        }
    }

    @Override
    public Operation power(String machine, PowerAction action) {
        String kind = powerKind(action);
        Instant now = clock.instant();
        try {
            var sent = bmc(machine).reset(action);
            String id = resumable(machine, "power", action.name(), now);
            if (sent.isEmpty()) return record(new Operation(id, machine, kind, Operation.State.SUCCEEDED, "already there", now, now), null);
            Operation op = new Operation(id, machine, kind, Operation.State.RUNNING, "sent ResetType " + sent.get(), now, null);
            return record(op, new Pending(op, machine, action, null, null));
        } catch (RedfishException e) {
            return record(new Operation(id(machine), machine, kind, Operation.State.FAILED, e.getMessage(), now, now), null);
        }
    }

    /**
     * Boots the machine once from {@code source} to install {@code image}: for virtual media, {@code image} is
     * mounted as a CD; for UEFI HTTP it is the boot URI; for PXE it names the image only (the PXE server decides).
     * Then the machine is restarted, or powered on when off.
     */
    @Override
    public Operation install(String machine, BootSource source, String image) {
        Instant now = clock.instant();
        String kind = "install";
        try {
            RedfishBmc bmc = bmc(machine);
            if (source == BootSource.VIRTUAL_MEDIA) bmc.insertMedia(image);
            bmc.bootOnce(source, source == BootSource.UEFI_HTTP ? image : null);
            String how = restart(bmc);
            Operation op = new Operation(resumable(machine, "boot", source.name(), now), machine, kind, Operation.State.RUNNING, "booting " + image + " from "
                    + source.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + how + ")", now, null);
            return record(op, new Pending(op, machine, null, source, null));
        } catch (RedfishException e) {
            return record(new Operation(id(machine), machine, kind, Operation.State.FAILED, e.getMessage(), now, now), null);
        }
    }

    /**
     * Restarts the machine, or powers it on when off. A BMC that allows no restart ResetType (the EX235n allows On,
     * ForceOff and Off) is power-cycled with a forced off and an on, which is what an operator would do by hand.
     */
    private static String restart(RedfishBmc bmc) {
        try {
            return "ResetType " + bmc.reset(PowerAction.RESTART).orElse("none");
        } catch (RedfishException e) {
            if (e.failure() != RedfishException.Failure.NOT_ALLOWED) throw e;
            String off = bmc.reset(PowerAction.FORCE_OFF).orElse("none");
            for (int i = 0; i < FORCE_OFF_WAIT_SECONDS && bmc.health().power() != Health.PowerState.OFF; i++) {
                try {
                    Thread.sleep(1000); // the BMC takes a moment to report the host off; On before that would be a no-op
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            String on = bmc.reset(PowerAction.ON).orElse("none");
            return "no restart allowed: ResetType " + off + ", then " + on;
        }
    }

    /** Starts a firmware update by SimpleUpdate; the operation follows the BMC's task. Beyond the port. */
    public Operation updateFirmware(String machine, String imageUri, List<String> targets) {
        Instant now = clock.instant();
        String kind = "firmware:" + imageUri;
        try {
            TaskStatus t = bmc(machine).updateFirmware(imageUri, targets);
            String id = t.monitor() == null ? id(machine) : PREFIX + machine + TASK + t.monitor();
            Operation op = new Operation(id, machine, kind, state(t), t.message(), now, t.done() ? now : null);
            return record(op, t.done() ? null : new Pending(op, machine, null, null, t.monitor()));
        } catch (RedfishException e) {
            return record(new Operation(id(machine), machine, kind, Operation.State.FAILED, e.getMessage(), now, now), null);
        }
    }

    @Override
    public Operation operation(String id) {
        Pending p = operations.get(id);
        if (p == null) {
            p = resumed(id);
            if (p == null) throw new UnreachableException("no operation " + id);
            operations.put(id, p);
        }
        if (p.op().done()) return p.op();
        Operation now = look(p);
        if (now.done()) operations.put(id, new Pending(now, p.machine(), p.power(), p.boot(), p.monitor()));
        return now;
    }

    @Override
    public List<Operation> operations(String machine) {
        List<Operation> out = new ArrayList<>();
        for (Pending p : operations.values()) if (p.machine().equals(machine)) out.add(operation(p.op().id()));
        out.sort(java.util.Comparator.comparing(Operation::started).thenComparingLong(o -> askedAs(o.id())));
        return out;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** What the BMC shows now about a running operation. */
    private Operation look(Pending p) {
        Operation op = p.op();
        Instant now = clock.instant();
        try {
            RedfishBmc bmc = bmc(p.machine());
            if (p.monitor() != null) {
                TaskStatus t = bmc.task(p.monitor());
                return with(op, state(t), t.message().isEmpty() ? op.message() : t.message(), t.done() ? now : null);
            }
            if (p.power() != null) {
                Health.PowerState want = p.power() == PowerAction.OFF || p.power() == PowerAction.FORCE_OFF ? Health.PowerState.OFF : Health.PowerState.ON;
                Health.PowerState is = bmc.health().power();
                if (is == want) return with(op, Operation.State.SUCCEEDED, "power " + want.name().toLowerCase(Locale.ROOT), now);
                if (op.started().plus(POWER_DEADLINE).isBefore(now)) {
                    return with(op, Operation.State.FAILED, "power still " + is.name().toLowerCase(Locale.ROOT) + " after " + POWER_DEADLINE.toMinutes() + " min", now);
                }
                return op;
            }
            BootOverride.Settings boot = bmc.boot();
            boolean used = boot.enabled() == null || boot.enabled().equalsIgnoreCase("Disabled");
            if (used) return with(op, Operation.State.SUCCEEDED, "booted from " + p.boot().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + "; the OS installer runs on the machine, its end is observed in-band", now);
            if (op.started().plus(BOOT_DEADLINE).isBefore(now)) {
                return with(op, Operation.State.FAILED, "the machine did not boot from " + p.boot().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + " within " + BOOT_DEADLINE.toMinutes() + " min (the one-time override is still set)", now);
            }
            return op;
        } catch (RedfishException e) {
            if (e.failure() == RedfishException.Failure.NOT_FOUND && p.monitor() != null) {
                return with(op, Operation.State.FAILED, e.getMessage(), now);
            }
            return op; // a BMC that does not answer now may later: the deadline decides, not one failed look
        } catch (UnreachableException e) {
            return op;
        }
    }

    private static Operation with(Operation op, Operation.State state, String message, Instant finished) {
        return new Operation(op.id(), op.machine(), op.kind(), state, message, op.started(), finished);
    }

    private static Operation.State state(TaskStatus t) {
        return switch (t.state()) {
            case RUNNING -> Operation.State.RUNNING;
            case COMPLETED -> Operation.State.SUCCEEDED;
            case FAILED -> Operation.State.FAILED;
        };
    }

    private Operation record(Operation op, Pending pending) {
        operations.put(op.id(), pending != null ? pending : new Pending(op, op.machine(), null, null, null));
        return op;
    }

    /** An operation started before a restart of Millwright, from what its id says it waits for; null if it says nothing. */
    private Pending resumed(String id) {
        int colon = id.startsWith(PREFIX) ? id.indexOf(':', PREFIX.length()) : -1;
        if (colon < 0) return null;
        String machine = id.substring(PREFIX.length(), colon);
        String rest = id.substring(colon);
        if (rest.startsWith(TASK)) {
            Operation op = new Operation(id, machine, "firmware", Operation.State.RUNNING, "", clock.instant(), null);
            return new Pending(op, machine, null, null, rest.substring(TASK.length()));
        }
        String[] parts = rest.substring(1).split(":");
        if (parts.length != 4) return null;
        try {
            Instant started = Instant.ofEpochMilli(Long.parseLong(parts[2]));
            String asked = "asked before a restart of Millwright";
            return switch (parts[0]) {
                case "power" -> {
                    PowerAction action = PowerAction.valueOf(parts[1]);
                    yield new Pending(new Operation(id, machine, powerKind(action), Operation.State.RUNNING, asked, started, null), machine, action, null, null);
                }
                case "boot" -> new Pending(new Operation(id, machine, "install", Operation.State.RUNNING, asked, started, null), machine, null,
                        BootSource.valueOf(parts[1]), null);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The number an id ends with: the order operations were asked in, within one process. */
    private static long askedAs(String id) {
        int i = id.length();
        while (i > 0 && Character.isDigit(id.charAt(i - 1))) i--;
        return i == id.length() || id.length() - i > 18 ? Long.MAX_VALUE : Long.parseLong(id.substring(i));
    }

    private static String powerKind(PowerAction action) {
        return "power-" + action.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** An id that says what the operation waits for (see the class comment). */
    private String resumable(String machine, String what, String argument, Instant started) {
        return PREFIX + machine + ":" + what + ":" + argument + ":" + started.toEpochMilli() + ":" + sequence.incrementAndGet();
    }

    private String id(String machine) {
        return "redfish-" + machine + "-" + sequence.incrementAndGet();
    }

    private RedfishBmc bmc(String machine) {
        Enrolled e = machines.get(machine);
        if (e == null) throw new UnreachableException("machine " + machine + " is not enrolled");
        return e.bmc();
    }

    // ---- in-band operations: not a BMC's

    @Override
    public Operation burnIn(String machine, Duration length) {
        throw new InBandOnlyException("burn-in of " + machine);
    }

    @Override
    public Operation installPack(String machine, String pack, String version) {
        throw new InBandOnlyException("installing " + pack + " " + version + " on " + machine);
    }

    @Override
    public Operation removePack(String machine, String pack) {
        throw new InBandOnlyException("removing " + pack + " from " + machine);
    }

    @Override
    public SortedMap<String, String> installedPacks(String machine) {
        throw new InBandOnlyException("listing the packs installed on " + machine);
    }

    @Override
    public Operation cordon(String machine) {
        throw new InBandOnlyException("cordoning " + machine);
    }

    @Override
    public Operation uncordon(String machine) {
        throw new InBandOnlyException("uncordoning " + machine);
    }

    @Override
    public Operation drain(String machine, Duration gracePeriod) {
        throw new InBandOnlyException("draining " + machine);
    }

    @Override
    public Operation startWorkload(WorkloadPlacement placement) {
        throw new InBandOnlyException("starting workload " + placement.workload());
    }

    @Override
    public Operation stopWorkload(String workload) {
        throw new InBandOnlyException("stopping workload " + workload);
    }

    @Override
    public WorkloadObservation workload(String workload) {
        throw new InBandOnlyException("observing workload " + workload);
    }

    @Override
    public List<GpuSample> gpuTelemetry(String machine) {
        throw new InBandOnlyException("GPU telemetry of " + machine + " (DCGM)");
    }
}
