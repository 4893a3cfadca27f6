package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.Inventory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads one machine's inventory from its BMC: CPUs and memory of the ComputerSystem, GPUs (see
 * {@link GpuDiscovery}), network interfaces, and the firmware of UpdateService's FirmwareInventory. Optional
 * resources that are absent are named in the report's {@code missing}; a summary used in place of a detailed
 * resource is named in its {@code warnings}.
 */
final class InventoryReader {
    private final RedfishClient client;
    private final Notes notes = new Notes();

    InventoryReader(RedfishClient client) {
        this.client = client;
    }

    InventoryReport read(SystemTarget target) {
        target.notes().forEach(notes::warn);
        JsonNode host = client.read(target.hostPath());
        List<JsonNode> systems = new ArrayList<>(List.of(host));
        for (String b : target.boardPaths()) systems.add(client.read(b));

        List<JsonNode> hostProcessors = processors(host, true);
        List<JsonNode> allProcessors = new ArrayList<>(hostProcessors);
        for (JsonNode board : systems.subList(1, systems.size())) allProcessors.addAll(processors(board, false));

        List<String> chassis = chassis(host, systems);
        Cpus cpus = cpus(host, hostProcessors);
        GpuDiscovery.Result gpus = new GpuDiscovery(client, notes).find(allProcessors, systems, chassis);
        Inventory inventory = new Inventory(cpus.model, cpus.sockets, cpus.cores, memoryGiB(host), gpus.gpus(),
                nics(host, chassis.isEmpty() ? List.of() : chassis.subList(0, 1)), firmware(host, target));
        return new InventoryReport(target.hostId(), target.hosts(), inventory, gpus.sources(), notes.missing(), notes.warnings());
    }

    /**
     * The chassis of the host and its baseboards: their {@code Links.Chassis}; for a host that links none (the
     * EX235n's nodes), the chassis that links back to it or has its Id. The host's own chassis comes first.
     */
    private List<String> chassis(JsonNode host, List<JsonNode> systems) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : systems) {
            for (String c : Odata.links(s.path("Links"), "Chassis")) if (out.stream().noneMatch(o -> Odata.key(o).equals(Odata.key(c)))) out.add(c);
        }
        if (!Odata.links(host.path("Links"), "Chassis").isEmpty()) return out;
        String hostPath = Odata.id(host);
        String hostId = SystemTarget.idOf(host, hostPath == null ? "" : hostPath);
        String all = Odata.link(client.read(RedfishClient.SERVICE_ROOT), "Chassis");
        for (String c : all == null ? List.<String>of() : client.members(all)) {
            JsonNode chassis = client.find(c).orElse(null);
            if (chassis == null) continue;
            boolean linksBack = hostPath != null && Odata.links(chassis.path("Links"), "ComputerSystems").stream()
                    .anyMatch(l -> Odata.key(l).equals(Odata.key(hostPath)));
            if (linksBack || SystemTarget.idOf(chassis, c).equalsIgnoreCase(hostId)) {
                notes.warn("the system links no chassis; read chassis " + SystemTarget.idOf(chassis, c)
                        + (linksBack ? ", which links to it" : ", which has its Id"));
                out.add(0, c);
                break;
            }
        }
        return out;
    }

    private List<JsonNode> processors(JsonNode system, boolean host) {
        String collection = Odata.link(system, "Processors");
        List<JsonNode> out = new ArrayList<>();
        if (collection == null) {
            if (host) notes.missing("Processors: CPUs come from ProcessorSummary, and GPUs only from PCIe devices");
            return out;
        }
        for (String p : client.members(collection)) client.find(p).ifPresent(out::add);
        return out;
    }

    private record Cpus(String model, int sockets, int cores) {
    }

    private Cpus cpus(JsonNode host, List<JsonNode> processors) {
        String model = null;
        int sockets = 0;
        int cores = 0;
        boolean coresKnown = true;
        for (JsonNode p : processors) {
            if (!isCpu(p) || Odata.is(p.path("Status"), "State", "Absent")) continue;
            sockets++;
            if (model == null) model = Odata.text(p.path("Model"));
            if (p.path("TotalCores").canConvertToInt() && p.path("TotalCores").asInt() > 0) cores += p.path("TotalCores").asInt();
            else coresKnown = false;
        }
        JsonNode summary = host.path("ProcessorSummary");
        if (sockets == 0 && !summary.isMissingNode()) {
            // the summary counts GPUs too on some BMCs (the EX235n's says 5 with an A100 as its model): last resort
            notes.warn("no CPU processor listed; CPUs taken from ProcessorSummary, which some BMCs fill with GPUs too");
            return new Cpus(Odata.text(summary.path("Model")), summary.path("Count").asInt(0), summary.path("CoreCount").asInt(0));
        }
        if (!coresKnown) {
            int summaryCores = summary.path("CoreCount").asInt(0);
            if (summaryCores > 0) {
                cores = summaryCores;
            } else {
                notes.warn("some CPUs do not state TotalCores; cores counts only those that do");
            }
        }
        return new Cpus(model == null ? "unknown" : model, sockets, cores);
    }

    /** A CPU: typed so, or untyped with a CPU architecture and a model that names no GPU. */
    private static boolean isCpu(JsonNode p) {
        String type = Odata.text(p.path("ProcessorType"));
        if (type != null) return type.equalsIgnoreCase("CPU");
        String arch = String.valueOf(Odata.text(p.path("ProcessorArchitecture"))).toLowerCase(Locale.ROOT);
        return List.of("x86", "ia-64", "arm", "mips", "power", "risc-v").contains(arch) && !GpuFacts.looksLikeGpuModel(Odata.text(p.path("Model")));
    }

    private int memoryGiB(JsonNode host) {
        JsonNode total = host.path("MemorySummary").path("TotalSystemMemoryGiB");
        if (total.isNumber() && total.asDouble() > 0) return (int) Math.round(total.asDouble());
        String collection = Odata.link(host, "Memory");
        long mib = 0;
        if (collection != null) {
            for (String m : client.members(collection)) {
                JsonNode dimm = client.find(m).orElse(null);
                if (dimm != null && !Odata.is(dimm.path("Status"), "State", "Absent")) mib += dimm.path("CapacityMiB").asLong(0);
            }
        }
        if (mib > 0) {
            notes.warn("MemorySummary states no total; memory is the sum of the DIMMs");
            return (int) Math.round(mib / 1024.0);
        }
        notes.missing("MemorySummary and Memory: the machine's memory is unknown (0)");
        return 0;
    }

    /** The host's Ethernet interfaces (not VLANs), and InfiniBand ports of its chassis' network adapters. */
    private List<Inventory.Nic> nics(JsonNode host, List<String> hostChassis) {
        List<Inventory.Nic> out = new ArrayList<>();
        String collection = Odata.link(host, "EthernetInterfaces");
        if (collection == null) {
            notes.missing("EthernetInterfaces: the host's network interfaces are not listed");
        } else {
            for (String e : client.members(collection)) {
                JsonNode nic = client.find(e).orElse(null);
                if (nic == null || Odata.is(nic, "EthernetInterfaceType", "Virtual")) continue;
                out.add(new Inventory.Nic(Odata.lastSegment(e), "ethernet", (int) (nic.path("SpeedMbps").asLong(0) / 1000), -1, null));
            }
        }
        for (String chassis : hostChassis) {
            JsonNode c = client.find(chassis).orElse(null);
            String adapters = c == null ? null : Odata.link(c, "NetworkAdapters");
            if (adapters == null) continue;
            for (String a : client.members(adapters)) {
                JsonNode adapter = client.find(a).orElse(null);
                if (adapter == null) continue;
                String ports = Odata.link(adapter, "Ports") != null ? Odata.link(adapter, "Ports") : Odata.link(adapter, "NetworkPorts");
                for (String p : ports == null ? List.<String>of() : client.members(ports)) {
                    JsonNode port = client.find(p).orElse(null);
                    if (port == null || !infiniband(port)) continue;
                    long gbps = port.path("CurrentSpeedGbps").asLong(port.path("CurrentLinkSpeedMbps").asLong(0) / 1000);
                    out.add(new Inventory.Nic(Odata.lastSegment(a) + "/" + Odata.lastSegment(p), "infiniband", (int) gbps, -1, null));
                }
            }
        }
        out.sort(Comparator.comparing(Inventory.Nic::kind).thenComparing(Inventory.Nic::name, String.CASE_INSENSITIVE_ORDER));
        return out;
    }

    private static boolean infiniband(JsonNode port) {
        for (String field : List.of("LinkNetworkTechnology", "ActiveLinkTechnology")) {
            if (Odata.is(port, field, "InfiniBand")) return true;
        }
        return false;
    }

    /**
     * The FirmwareInventory items of this machine: all of them, less those that name or relate to another host
     * system of the same BMC (the EX235n lists both nodes' BIOS as {@code Node0.BIOS}, {@code Node1.BIOS}).
     */
    private List<Inventory.Firmware> firmware(JsonNode host, SystemTarget target) {
        List<Inventory.Firmware> out = new ArrayList<>();
        String collection = null;
        JsonNode root = client.read(RedfishClient.SERVICE_ROOT);
        String updateService = Odata.link(root, "UpdateService");
        if (updateService != null) collection = client.find(updateService).map(u -> Odata.link(u, "FirmwareInventory")).orElse(null);
        if (collection == null) {
            notes.missing("UpdateService FirmwareInventory: firmware versions come from the system's BiosVersion only");
        } else {
            List<String> others = target.hosts().stream().filter(h -> !h.equalsIgnoreCase(target.hostId()))
                    .map(h -> h.toLowerCase(Locale.ROOT)).toList();
            for (String item : client.members(collection)) {
                JsonNode fw = client.find(item).orElse(null);
                String version = fw == null ? null : Odata.text(fw.path("Version"));
                if (version == null) continue;
                String id = SystemTarget.idOf(fw, item);
                if (belongsToAnother(id, fw, others)) continue;
                out.add(new Inventory.Firmware(id, version));
            }
        }
        String bios = Odata.text(host.path("BiosVersion"));
        if (bios != null && out.stream().noneMatch(f -> f.component().toUpperCase(Locale.ROOT).contains("BIOS"))) {
            out.add(new Inventory.Firmware("BIOS", bios));
        }
        out.sort(Comparator.comparing(Inventory.Firmware::component, String.CASE_INSENSITIVE_ORDER));
        return out;
    }

    private static boolean belongsToAnother(String id, JsonNode fw, List<String> otherHosts) {
        String lower = id.toLowerCase(Locale.ROOT);
        for (String other : otherHosts) {
            if (lower.startsWith(other + ".") || lower.startsWith(other + "_") || lower.startsWith(other + "-")) return true;
            for (String related : Odata.links(fw, "RelatedItem")) {
                String key = Odata.key(related);
                String system = "/redfish/v1/systems/" + other;
                if (key.equals(system) || key.startsWith(system + "/")) return true;
            }
        }
        return false;
    }
}
