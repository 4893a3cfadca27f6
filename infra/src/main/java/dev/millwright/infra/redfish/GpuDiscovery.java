package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.Inventory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds a machine's GPUs, each once, in whatever form its BMC lists them.
 *
 * <p><b>Sources, in order of trust.</b> (1) Processors with {@code ProcessorType: GPU} of the host and of its GPU
 * baseboards; OEM- or Accelerator-typed processors only when their make and model name a GPU family. (2) PCIe
 * devices (the system's, and its chassis') whose functions are a display controller or a processing accelerator
 * of NVIDIA (0x10de) or AMD (0x1002), and graphics controllers that link no GPU processor but are made by one of
 * them. (3) PCI device collections that a vendor hangs under the system's {@code Oem}, read the same way.
 *
 * <p><b>Each GPU once.</b> A GPU processor claims everything that names it: its own path, its
 * {@code Links.PCIeDevice} and {@code PCIeFunctions}, the graphics controllers that link it, its serial number and
 * UUID. A PCIe GPU that matches a claim is the same GPU. One that matches none is still not counted when GPU
 * processors were found: BMCs often list a baseboard's GPUs as processors and again as host PCIe devices without
 * linking the two, and counting both would double the machine. It is named in a warning instead. PCIe GPUs are
 * counted only when the BMC lists no GPU processor at all. A multi-function device is one GPU.
 *
 * <p><b>Not GPUs.</b> Parts named as switches, bridges, baseboards, retimers, FPGAs or management controllers; PCI
 * bridges (an NVSwitch is class 0x0680); VGA chips of other makers; absent slots.
 */
final class GpuDiscovery {
    /** One GPU found, with the keys that identify it. */
    private record Found(String path, String model, int memoryGiB, String serial, Set<String> keys) {
    }

    /** The GPUs, by index, and the resource each was read from (a Processor, a PCIe device...). */
    record Result(List<Inventory.Gpu> gpus, List<String> sources) {
    }

    private final RedfishClient client;
    private final Notes notes;
    /** GPUs whose model or memory was not reported, by what was done about it: one warning per case, not per GPU. */
    private final Map<String, List<String>> gpuNotes = new LinkedHashMap<>();

    GpuDiscovery(RedfishClient client, Notes notes) {
        this.client = client;
        this.notes = notes;
    }

    /**
     * @param processors the host's and its baseboards' processors, already read
     * @param systems the host first, then its baseboards
     * @param chassis the chassis of those systems, whose PCIe devices are read
     */
    Result find(List<JsonNode> processors, List<JsonNode> systems, List<String> chassis) {
        List<Found> gpus = new ArrayList<>();
        List<String> otherAccelerators = new ArrayList<>();
        for (JsonNode p : processors) {
            Found f = fromProcessor(p, otherAccelerators);
            if (f != null) gpus.add(f);
        }
        Set<String> claimed = new HashSet<>();
        gpus.forEach(g -> claimed.addAll(g.keys()));
        List<Found> unclaimed = new ArrayList<>();
        for (JsonNode system : systems) graphicsControllers(system, gpus, claimed, unclaimed);
        pcieDevices(systems, chassis, claimed, unclaimed);
        oemDevices(systems.get(0), claimed, unclaimed);
        if (!otherAccelerators.isEmpty()) notes.warn("not counted as GPUs: " + String.join(", ", otherAccelerators));
        gpuNotes.forEach((what, ids) -> notes.warn(String.join(", ", ids.stream().sorted(Comparator.comparing(GpuDiscovery::naturalKey)).toList())
                + ": " + what));

        List<Found> counted = gpus;
        if (gpus.isEmpty()) {
            counted = unclaimed;
            if (!unclaimed.isEmpty()) notes.warn("GPUs read from PCIe devices: the BMC lists no GPU processors");
        } else if (!unclaimed.isEmpty()) {
            notes.warn(unclaimed.size() + " GPU-class PCIe device(s) link to no GPU processor ("
                    + String.join(", ", unclaimed.stream().map(u -> Odata.pathOf(u.path())).toList()) + "); counted the "
                    + gpus.size() + " GPU processors only, so that a GPU listed both ways is not counted twice");
        }
        counted = new ArrayList<>(counted);
        counted.sort(Comparator.comparing(f -> naturalKey(f.path())));
        List<Inventory.Gpu> out = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Found f : counted) {
            out.add(new Inventory.Gpu(out.size(), f.model(), f.memoryGiB(), GpuFacts.mig(f.model()),
                    GpuFacts.confidentialComputing(f.model()), null, f.serial()));
            sources.add(Odata.pathOf(f.path()));
        }
        return new Result(out, sources);
    }

    private Found fromProcessor(JsonNode p, List<String> otherAccelerators) {
        String path = Odata.id(p);
        String type = String.valueOf(Odata.text(p.path("ProcessorType"))).toUpperCase(Locale.ROOT);
        String label = label(p, path);
        if (Odata.is(p.path("Status"), "State", "Absent")) return null;
        boolean namedOther = GpuFacts.namesSomethingElse(label);
        boolean gpu = type.equals("GPU") && !namedOther;
        if (!gpu && (type.equals("ACCELERATOR") || type.equals("OEM") || type.equals("NULL"))) { // NULL: no ProcessorType at all
            gpu = !namedOther && GpuFacts.looksLikeGpuModel(Odata.text(p.path("Model")))
                    && (gpuMaker(Odata.text(p.path("Manufacturer"))) || gpuMaker(Odata.text(p.path("Model"))));
        }
        if (!gpu) {
            if (!type.equals("CPU") && !type.equals("CORE") && !type.equals("THREAD") && !type.equals("NULL")) {
                String model = Odata.text(p.path("Model"));
                String id = SystemTarget.idOf(p, path == null ? "" : path);
                otherAccelerators.add(id + " (" + type.toLowerCase(Locale.ROOT) + (model == null || model.equals(id) ? "" : " " + model) + ")");
            }
            return null;
        }
        String model = GpuFacts.normalize(processorModel(p, path), Odata.text(p.path("Manufacturer")),
                GpuFacts.pciId(p.path("ProcessorId").path("VendorId")));
        Set<String> keys = new HashSet<>();
        keys.add(Odata.key(path));
        for (String d : Odata.links(p.path("Links"), "PCIeDevice")) keys.add(Odata.key(d));
        for (String fn : Odata.links(p.path("Links"), "PCIeFunctions")) {
            keys.add(Odata.key(fn));
            keys.add(deviceOfFunction(fn));
        }
        String serial = Odata.text(p.path("SerialNumber"));
        if (serial != null) keys.add("serial:" + serial.toUpperCase(Locale.ROOT));
        String uuid = Odata.text(p.path("UUID"));
        if (uuid != null) keys.add("uuid:" + uuid.toLowerCase(Locale.ROOT));
        return new Found(path, model, memoryGiB(p, model), serial, keys);
    }

    /**
     * A GPU processor's model name, or where its BMC put it instead: Cisco's CIMC states its own part number as
     * Model ({@code UCSC-GPU-T4-16}) and the product as Name; Lenovo's XCC states no Model and names the card on
     * the linked PCIe device. A model that names a maker and a GPU family wins, then one that names a family only.
     */
    private String processorModel(JsonNode p, String path) {
        String own = Odata.text(p.path("Model"));
        if (namesGpu(own)) return own;
        String id = SystemTarget.idOf(p, path == null ? "" : path);
        String name = Odata.text(p.path("Name"));
        if (namesGpu(name)) {
            gpuNote(id, "the processor's Model names no GPU; model taken from its Name");
            return name;
        }
        if (GpuFacts.looksLikeGpuModel(own)) return own;
        String devicePath = Odata.link(p.path("Links"), "PCIeDevice");
        JsonNode device = devicePath == null ? null : client.find(devicePath).orElse(null);
        if (device != null) {
            for (String field : List.of("Model", "Name")) {
                String text = Odata.text(device.path(field));
                if (namesGpu(text) || GpuFacts.looksLikeGpuModel(text)) {
                    gpuNote(id, "the processor states no GPU model; taken from its PCIe device's " + field);
                    return text;
                }
            }
        }
        if (own == null) gpuNote(id, "GPU model unknown: neither the processor" + (device == null ? "" : " nor its PCIe device") + " names one");
        return own; // a chip name the family list lacks (Nvidia(R) TU102) is still the BMC's best word
    }

    private static boolean namesGpu(String text) {
        return gpuMaker(text) && GpuFacts.looksLikeGpuModel(text);
    }

    /**
     * A GPU processor's memory: {@code ProcessorMemory}, {@code MemorySummary}, linked Memory resources, an OEM
     * size, then the size its model name states, then the size of a one-size model; 0 and a warning otherwise.
     */
    private int memoryGiB(JsonNode p, String model) {
        long mib = 0;
        for (JsonNode m : p.path("ProcessorMemory")) mib += m.path("CapacityMiB").asLong(0);
        if (mib == 0) mib = p.path("MemorySummary").path("TotalMemorySizeMiB").asLong(0);
        if (mib == 0) {
            List<String> memory = new ArrayList<>(Odata.links(p.path("Links"), "Memory"));
            String collection = Odata.link(p, "Memory");
            if (collection != null) memory.addAll(client.members(collection));
            for (String m : memory) mib += client.find(m).map(r -> r.path("CapacityMiB").asLong(0)).orElse(0L);
        }
        if (mib == 0) mib = oemMemoryMiB(p.path("Oem"));
        if (mib > 0) return (int) Math.round(mib / 1024.0);
        String id = SystemTarget.idOf(p, path(p));
        int fromName = GpuFacts.memoryFromName(model);
        if (fromName > 0) {
            gpuNote(id, model + " reports no memory; " + fromName + " GiB taken from the model name");
            return fromName;
        }
        int known = GpuFacts.memoryOfOneSizeModel(model);
        if (known > 0) {
            gpuNote(id, model + " reports no memory; " + known + " GiB, the only size it comes in");
            return known;
        }
        gpuNote(id, model + ": memory unknown (no ProcessorMemory, MemorySummary or Memory links, and the model name states none)");
        return 0;
    }

    private void gpuNote(String id, String what) {
        gpuNotes.computeIfAbsent(what, k -> new ArrayList<>()).add(id);
    }

    private static String path(JsonNode r) {
        String p = Odata.id(r);
        return p == null ? "" : p;
    }

    /** An OEM memory size in MiB or GiB, wherever the vendor put it. */
    private static long oemMemoryMiB(JsonNode oem) {
        for (var it = oem.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey().toLowerCase(Locale.ROOT);
            JsonNode v = e.getValue();
            if (v.isNumber() && name.contains("memory") && (name.endsWith("mib") || name.endsWith("mb"))) return v.asLong();
            if (v.isNumber() && name.contains("memory") && (name.endsWith("gib") || name.endsWith("gb"))) return v.asLong() * 1024;
            if (v.isObject()) {
                long inner = oemMemoryMiB(v);
                if (inner > 0) return inner;
            }
        }
        return 0;
    }

    /** Graphics controllers: those linking a GPU processor extend its claim; a GPU maker's unlinked one is a candidate. */
    private void graphicsControllers(JsonNode system, List<Found> gpus, Set<String> claimed, List<Found> unclaimed) {
        String collection = Odata.link(system, "GraphicsControllers");
        if (collection == null) return;
        for (String path : client.members(collection)) {
            JsonNode gc = client.find(path).orElse(null);
            if (gc == null) continue;
            List<String> processors = Odata.links(gc.path("Links"), "Processors");
            Found owner = gpus.stream().filter(g -> processors.stream().anyMatch(p -> g.keys().contains(Odata.key(p)))).findFirst().orElse(null);
            String device = Odata.link(gc.path("Links"), "PCIeDevice");
            if (owner != null) {
                owner.keys().add(Odata.key(path));
                if (device != null) owner.keys().add(Odata.key(device));
                claimed.addAll(owner.keys());
                continue;
            }
            String maker = Odata.text(gc.path("Manufacturer"));
            if (gpuMaker(maker) && !GpuFacts.namesSomethingElse(label(gc, path))) {
                Found f = candidate(gc, path, -1);
                if (device != null) f.keys().add(Odata.key(device));
                addUnlessClaimed(f, claimed, unclaimed);
            } else {
                notes.warn("graphics controller " + label(gc, path) + " is not counted: no GPU processor links it and "
                        + (maker == null ? "it names no maker" : maker + " is no GPU maker"));
            }
        }
    }

    private void pcieDevices(List<JsonNode> systems, List<String> chassisPaths, Set<String> claimed, List<Found> unclaimed) {
        Map<String, String> devices = new LinkedHashMap<>();
        boolean anyCollection = false;
        List<JsonNode> holders = new ArrayList<>(systems);
        for (String chassis : chassisPaths) client.find(chassis).ifPresent(holders::add);
        for (JsonNode holder : holders) {
            anyCollection |= holder.has("PCIeDevices");
            for (String d : pcieDeviceLinks(holder)) devices.putIfAbsent(Odata.key(d), d);
        }
        if (!anyCollection) notes.missing("PCIeDevices: neither the system nor its chassis list any; GPUs can only be read from Processors");
        for (String path : devices.values()) {
            JsonNode device = client.find(path).orElse(null);
            if (device == null || Odata.is(device.path("Status"), "State", "Absent")) continue;
            List<JsonNode> functions = new ArrayList<>();
            List<String> functionPaths = new ArrayList<>(Odata.links(device.path("Links"), "PCIeFunctions"));
            String fnCollection = Odata.link(device, "PCIeFunctions");
            if (fnCollection != null) functionPaths.addAll(client.members(fnCollection));
            for (String fn : functionPaths) client.find(fn).ifPresent(functions::add);
            int vendor = -1;
            boolean gpu = false;
            for (JsonNode fn : functions) {
                if (isGpuFunction(fn)) {
                    gpu = true;
                    vendor = GpuFacts.pciId(fn.has("VendorId") ? fn.get("VendorId") : fn.get("VendorID"));
                }
            }
            if (functions.isEmpty()) { // no functions listed: judge by the device's own make and model
                gpu = gpuMaker(Odata.text(device.path("Manufacturer"))) && GpuFacts.looksLikeGpuModel(
                        Odata.text(device.path("Model")) + " " + Odata.text(device.path("Name")));
            }
            if (!gpu || GpuFacts.namesSomethingElse(label(device, path))) continue;
            Found f = candidate(device, path, vendor);
            functionPaths.forEach(fn -> f.keys().add(Odata.key(fn)));
            for (String p : Odata.links(device.path("Links"), "Processors")) f.keys().add(Odata.key(p));
            addUnlessClaimed(f, claimed, unclaimed);
        }
    }

    /**
     * A system's or chassis' PCIe devices. The schema has an array of links on ComputerSystem and a link to a
     * collection on Chassis; BMCs mix the two up, so either shape is read on either resource.
     */
    private List<String> pcieDeviceLinks(JsonNode holder) {
        JsonNode n = holder.path("PCIeDevices");
        if (n.isArray()) return Odata.links(holder, "PCIeDevices");
        String collection = Odata.link(holder, "PCIeDevices");
        return collection == null ? List.of() : client.members(collection);
    }

    /** PCI devices a vendor lists under the system's Oem (HPE's PCIDevices, for one), judged by class and vendor. */
    private void oemDevices(JsonNode host, Set<String> claimed, List<Found> unclaimed) {
        List<String> collections = new ArrayList<>();
        collectOemLinks(host.path("Oem"), collections, 0);
        for (String collection : collections) {
            for (String path : client.members(collection)) {
                JsonNode d = client.find(path).orElse(null);
                if (d == null || !isGpuFunction(d) || GpuFacts.namesSomethingElse(label(d, path))) continue;
                Found f = candidate(d, path, GpuFacts.pciId(d.has("VendorId") ? d.get("VendorId") : d.get("VendorID")));
                addUnlessClaimed(f, claimed, unclaimed);
            }
        }
    }

    private static void collectOemLinks(JsonNode node, List<String> out, int depth) {
        if (depth > 3 || !node.isObject()) return;
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String link = Odata.text(e.getValue().path("@odata.id"));
            if (link != null && (name.contains("pci") || name.contains("gpu") || name.contains("accelerator"))) out.add(link);
            else collectOemLinks(e.getValue(), out, depth + 1);
        }
    }

    /** A display controller or processing accelerator made by a GPU maker. */
    private static boolean isGpuFunction(JsonNode fn) {
        int vendor = GpuFacts.pciId(fn.has("VendorId") ? fn.get("VendorId") : fn.get("VendorID"));
        if (vendor != GpuFacts.NVIDIA && vendor != GpuFacts.AMD) return false;
        String deviceClass = String.valueOf(Odata.text(fn.path("DeviceClass")));
        int base = GpuFacts.baseClass(fn.get("ClassCode"));
        return deviceClass.equalsIgnoreCase("DisplayController") || deviceClass.equalsIgnoreCase("ProcessingAccelerators")
                || base == 0x03 || base == 0x12;
    }

    private Found candidate(JsonNode r, String path, int vendor) {
        String rawModel = Odata.text(r.path("Model"));
        if (rawModel == null || !GpuFacts.looksLikeGpuModel(rawModel)) {
            String name = Odata.text(r.path("Name"));
            if (GpuFacts.looksLikeGpuModel(name)) rawModel = name;
        }
        String model = GpuFacts.normalize(rawModel, Odata.text(r.path("Manufacturer")), vendor);
        Set<String> keys = new HashSet<>();
        keys.add(Odata.key(path));
        String serial = Odata.text(r.path("SerialNumber"));
        if (serial != null) keys.add("serial:" + serial.toUpperCase(Locale.ROOT));
        String uuid = Odata.text(r.path("UUID"));
        if (uuid != null) keys.add("uuid:" + uuid.toLowerCase(Locale.ROOT));
        int memory = GpuFacts.memoryFromName(model);
        if (memory == 0) memory = GpuFacts.memoryOfOneSizeModel(model);
        if (memory == 0) gpuNote(SystemTarget.idOf(r, path), model + ": memory unknown (a PCIe device states none, nor does its model name)");
        return new Found(path, model, memory, serial, keys);
    }

    private static void addUnlessClaimed(Found f, Set<String> claimed, List<Found> unclaimed) {
        if (f.keys().stream().anyMatch(claimed::contains)) return;
        for (Found u : unclaimed) {
            if (f.keys().stream().anyMatch(u.keys()::contains)) { // the same GPU seen twice among the fallbacks
                u.keys().addAll(f.keys());
                return;
            }
        }
        unclaimed.add(f);
    }

    private static boolean gpuMaker(String text) {
        if (text == null) return false;
        String t = text.toLowerCase(Locale.ROOT);
        return t.contains("nvidia") || t.matches(".*\\b(amd|advanced micro devices)\\b.*");
    }

    private static String label(JsonNode r, String path) {
        String id = SystemTarget.idOf(r, path == null ? "" : path);
        String model = Odata.text(r.path("Model"));
        return model == null || model.equals(id) ? id : id + " (" + model + ")";
    }

    private static String deviceOfFunction(String functionPath) {
        String key = Odata.key(functionPath);
        int at = key.lastIndexOf("/pciefunctions/");
        return at < 0 ? key : key.substring(0, at);
    }

    /** Orders GPU2 before GPU10, the way people number them. */
    private static String naturalKey(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : Odata.key(path).split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)")) {
            sb.append(part.chars().allMatch(Character::isDigit) ? "%010d".formatted(Long.parseLong(part.length() > 18 ? part.substring(0, 18) : part)) : part);
        }
        return sb.toString();
    }
}
