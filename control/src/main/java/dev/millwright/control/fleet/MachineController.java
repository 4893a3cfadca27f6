package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.infra.Health;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Inventory;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.UnreachableException;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import java.time.Duration;
import java.util.Optional;

/**
 * Observes each machine through the infrastructure port and reports it on the Machine's status: the
 * inventory its BMC reports, its phase and health, its GPUs by model and how many have failed. A change of
 * health is also an event, so a machine that dies is never silently dropped. Health is polled: the world
 * changes without anyone writing to the store.
 */
public final class MachineController implements Controller {
    /** How often each machine's health is read. */
    static final Duration POLL = Duration.ofSeconds(10);

    private final Infrastructure infra;

    public MachineController(Infrastructure infra) {
        this.infra = infra;
    }

    @Override
    public String name() {
        return "machines";
    }

    @Override
    public String kind() {
        return FleetKinds.MACHINE;
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) {
            infra.release(key.name());
            return Result.done();
        }
        Resource machine = found.get();
        if ("Retired".equals(machine.status().path("lifecycle").path("state").asText())) {
            // retired for good: released from the port, never enrolled again (a new Machine registers it anew)
            infra.release(machine.name());
            if (!"Retired".equals(machine.status().path("phase").asText())) {
                ctx.updateStatus(key, s -> s.put("phase", "Retired").put("health", "Unknown").put("reason", "Retired")
                        .put("message", machine.status().path("lifecycle").path("reason").asText("")));
            }
            return Result.done();
        }
        JsonNode bmc = machine.spec().path("bmc");
        try {
            infra.enroll(new MachineRef(machine.name(), bmc.path("endpoint").asText(), bmc.path("credentialsRef").asText(null)));
        } catch (dev.millwright.infra.CredentialsException e) {
            report(ctx, machine, "Unmanaged", "Unknown", "NoCredentials", e.getMessage(), null, null);
            return Result.requeueAfter(POLL);
        } catch (IllegalArgumentException e) {
            report(ctx, machine, "Unmanaged", "Unknown", "NoAdapter", e.getMessage(), null, null);
            return Result.requeueAfter(POLL.multipliedBy(6));
        }
        Health health = infra.health(machine.name());
        Inventory inventory = null;
        if (health.reachable()) {
            try {
                inventory = infra.inventory(machine.name());
            } catch (UnreachableException e) {
                health = Health.unreachable(e.getMessage());
            }
        }
        String phase = phase(machine, health);
        String state = health.dead() ? "Failed" : !health.reachable() ? "Unknown" : health.healthy() ? "Healthy" : "Degraded";
        String reason = health.dead() ? "MachineDead" : !health.reachable() ? "BmcUnreachable"
                : !health.gpuFaults().isEmpty() ? "GpuFault" : health.slow() ? "SlowNode" : "Healthy";
        report(ctx, machine, phase, state, reason, health.message(), inventory, health);
        if (health.reachable() && !health.dead()) {
            // what the node actually runs, as its agent reports it: drift is judged against this
            try {
                var packs = Json.MAPPER.valueToTree(infra.installedPacks(machine.name()));
                ctx.updateStatus(key, s -> s.set("packs", (JsonNode) packs));
            } catch (UnreachableException e) {
                // a node without a running agent (powered off, not installed) reports no packs
            }
        }
        return Result.requeueAfter(POLL);
    }

    private static String phase(Resource machine, Health h) {
        if (h.dead()) return "Failed";
        if (!h.reachable()) return "Unreachable";
        if (machine.spec().path("maintenance").asBoolean(false)) return "Maintenance";
        if (h.power() == Health.PowerState.OFF) return "Off";
        return switch (h.node()) {
            case READY -> "Ready";
            case CORDONED -> "Cordoned";
            case OS -> "Installed";
            default -> "Available";
        };
    }

    private void report(ControllerContext ctx, Resource machine, String phase, String health, String reason, String message,
                        Inventory inventory, Health h) {
        String previousHealth = machine.status().path("health").asText("");
        long generation = machine.metadata().generation();
        int declared = machine.spec().path("inventory").path("gpuCount").asInt(-1);
        Resource updated = ctx.updateStatus(machine.key(), s -> {
            s.put("observedGeneration", generation);
            s.put("phase", phase);
            s.put("health", health);
            s.put("reason", reason);
            s.put("message", message == null ? "" : message);
            if (inventory != null) {
                s.set("inventory", inventoryJson(inventory));
                GpuSummary gpus = new GpuSummary();
                for (Inventory.Gpu g : inventory.gpus()) gpus.add(g.model(), 1);
                s.put("gpus", gpus.toString());
                s.set("gpusByModel", Json.MAPPER.valueToTree(gpus.byModel()));
                s.put("gpuCount", inventory.gpus().size());
            }
            if (h != null) {
                s.put("failedGpus", h.dead() ? s.path("gpuCount").asInt(0) : h.gpuFaults().size());
                var failed = s.putArray("failedGpuIndexes"); // placement keeps off these
                h.gpuFaults().forEach(f -> failed.add(f.gpu()));
            }
            boolean matches = declared < 0 || inventory == null || declared == inventory.gpus().size();
            s.put("inventoryMatches", matches);
            return s;
        });
        String nowHealth = updated.status().path("health").asText();
        if (!nowHealth.equals(previousHealth) && !previousHealth.isEmpty()) {
            String type = nowHealth.equals("Healthy") ? "Normal" : "Warning";
            ctx.event(machine.key(), type, nowHealth.equals("Healthy") ? "Recovered" : reason,
                    "health " + previousHealth + " -> " + nowHealth + (message == null || message.isEmpty() ? "" : ": " + message));
        }
        if (inventory != null && declared >= 0 && declared != inventory.gpus().size()
                && machine.status().path("inventoryMatches").asBoolean(true)) {
            ctx.event(machine.key(), "Warning", "InventoryMismatch", "spec.inventory.gpuCount declares " + declared
                    + " GPUs but the BMC reports " + inventory.gpus().size());
        }
    }

    /** The inventory as the status records it (and {@code millwright bmc inspect} prints it). */
    public static ObjectNode inventoryJson(Inventory inv) {
        ObjectNode n = Json.object();
        n.putObject("cpu").put("model", inv.cpuModel()).put("sockets", inv.sockets()).put("cores", inv.cores());
        n.put("memoryGiB", inv.memoryGiB());
        var gpus = n.putArray("gpus");
        for (Inventory.Gpu g : inv.gpus()) {
            ObjectNode o = gpus.addObject().put("index", g.index()).put("model", g.model()).put("memoryGiB", g.memoryGiB())
                    .put("mig", g.mig()).put("confidentialComputing", g.confidentialComputing()).put("serial", g.serial());
            if (g.nvlinkDomain() != null) o.put("nvlinkDomain", g.nvlinkDomain());
        }
        var nics = n.putArray("nics");
        for (Inventory.Nic c : inv.nics()) {
            ObjectNode o = nics.addObject().put("name", c.name()).put("kind", c.kind()).put("speedGbps", c.speedGbps());
            if (c.rail() >= 0) o.put("rail", c.rail());
            if (c.leaf() != null) o.put("leaf", c.leaf());
        }
        var fw = n.putArray("firmware");
        for (Inventory.Firmware f : inv.firmware()) fw.addObject().put("component", f.component()).put("version", f.version());
        return n;
    }
}
