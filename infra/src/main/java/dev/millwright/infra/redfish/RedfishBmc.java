package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.BootSource;
import dev.millwright.infra.Health;
import dev.millwright.infra.PowerAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One machine behind one BMC, over Redfish: what it has, how it is, and the out-of-band effects on it (power, the
 * next boot, virtual media, firmware). Nothing is sent until the first call; the machine's ComputerSystem is chosen
 * then (see {@link SystemTarget}) and kept. Every failure is a {@link RedfishException} saying what failed.
 *
 * <p>Thread-safe. Close it to end the BMC session (BMCs allow only a few at a time).
 */
public final class RedfishBmc implements AutoCloseable {
    private final RedfishClient client;
    private final String requestedSystem;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private SystemTarget target;
    /** The GPU resources of the last inventory, by GPU index; guarded by lock. */
    private List<String> gpuSources = List.of();

    private RedfishBmc(RedfishClient client, String requestedSystem) {
        this.client = client;
        this.requestedSystem = requestedSystem;
    }

    /** The machine behind {@code connection}; the system its URL names, else the BMC's only (or first) host system. */
    public static RedfishBmc connect(BmcConnection connection) {
        return connect(connection, null);
    }

    /** The machine that is system {@code systemId} (its Id) of the BMC; null for the one the URL names, or the first. */
    public static RedfishBmc connect(BmcConnection connection, String systemId) {
        Objects.requireNonNull(connection, "connection");
        String system = systemId != null && !systemId.isBlank() ? systemId.trim() : connection.systemInPath();
        return new RedfishBmc(new RedfishClient(connection), system);
    }

    public BmcConnection connection() {
        return client.connection();
    }

    /** The Id of the ComputerSystem this machine is. */
    public String system() {
        return target().hostId();
    }

    /** Reads the machine's hardware; a few dozen requests, so callers cache it. */
    public InventoryReport inventory() {
        InventoryReport report = new InventoryReader(client).read(target());
        synchronized (lock) {
            gpuSources = report.gpuSources();
        }
        return report;
    }

    /**
     * Power state and health as the BMC sees them, in one request while the system reports itself healthy. When its
     * health is Warning or Critical, the GPUs found by the last {@link #inventory()} are read for which one failed.
     * The node's own state (OS, Kubernetes) is beyond a BMC: it is reported as unknown.
     */
    public Health health() {
        SystemTarget t = target();
        JsonNode system = client.read(t.hostPath());
        String state = String.valueOf(Odata.text(system.path("PowerState"))).toLowerCase(Locale.ROOT);
        Health.PowerState power = switch (state) {
            case "on", "poweringoff", "paused" -> Health.PowerState.ON;
            case "off", "poweringon" -> Health.PowerState.OFF;
            default -> Health.PowerState.UNKNOWN;
        };
        JsonNode status = system.path("Status");
        String rollup = Odata.text(status.path("HealthRollup")) != null ? Odata.text(status.path("HealthRollup")) : Odata.text(status.path("Health"));
        List<Health.GpuFault> faults = new ArrayList<>();
        if (rollup != null && !rollup.equalsIgnoreCase("OK")) {
            List<String> sources;
            synchronized (lock) {
                sources = gpuSources;
            }
            for (int i = 0; i < sources.size(); i++) {
                JsonNode gpu = client.find(sources.get(i)).orElse(null);
                String h = gpu == null ? "Absent" : Odata.text(gpu.path("Status").path("Health"));
                if (h != null && !h.equalsIgnoreCase("OK")) {
                    faults.add(new Health.GpuFault(i, 0, "BMC reports " + Odata.lastSegment(sources.get(i)) + " health " + h));
                }
            }
        }
        String message = rollup == null || rollup.equalsIgnoreCase("OK") ? "" : "BMC reports system " + t.hostId() + " health " + rollup;
        return new Health(true, power, Health.NodeState.UNKNOWN, false, faults, false, message);
    }

    /**
     * Sends the ComputerSystem.Reset that does {@code action}, among those the BMC allows.
     *
     * @return the ResetType sent, or empty when the machine already was in that state
     */
    public Optional<String> reset(PowerAction action) {
        return PowerControl.reset(client, target().hostPath(), action);
    }

    /** Makes the next boot, and only that one, come from {@code source}; {@code httpBootUri} is for UEFI HTTP boot. */
    public void bootOnce(BootSource source, String httpBootUri) {
        BootOverride.once(client, target().hostPath(), source, httpBootUri);
    }

    /** Mounts {@code imageUrl} in the machine's virtual CD drive; returns the drive's path. */
    public String insertMedia(String imageUrl) {
        return VirtualMediaControl.insert(client, target().hostPath(), imageUrl).path();
    }

    /** Empties the virtual CD drive; returns the drive's path. */
    public String ejectMedia() {
        return VirtualMediaControl.eject(client, target().hostPath()).path();
    }

    /** Asks the BMC to fetch and apply a firmware image; {@code targets} (FirmwareInventory paths) may be empty. */
    public TaskStatus updateFirmware(String imageUri, List<String> targets) {
        return FirmwareUpdate.start(client, imageUri, List.copyOf(targets));
    }

    /** One look at a task monitor returned by {@link #updateFirmware}. */
    public TaskStatus task(String monitor) {
        return FirmwareUpdate.poll(client, monitor);
    }

    /** Polls a task until it ends or {@code timeout} passes; returns the last status seen (RUNNING on timeout). */
    public TaskStatus awaitTask(TaskStatus started, Duration timeout, Duration interval) {
        long deadline = System.nanoTime() + timeout.toNanos();
        TaskStatus s = started;
        while (!s.done() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return s;
            }
            s = task(s.monitor());
        }
        return s;
    }

    BootOverride.Settings boot() {
        return BootOverride.read(client, target().hostPath());
    }

    VirtualMediaControl.Media media() {
        return VirtualMediaControl.state(client, target().hostPath());
    }

    RedfishClient client() {
        return client;
    }

    private SystemTarget target() {
        synchronized (lock) {
            if (target == null) target = SystemTarget.resolve(client, requestedSystem);
            return target;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
