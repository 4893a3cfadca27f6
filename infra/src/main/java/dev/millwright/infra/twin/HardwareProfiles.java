package dev.millwright.infra.twin;

import dev.millwright.infra.Inventory;
import dev.millwright.infra.Inventory.Firmware;
import dev.millwright.infra.Inventory.Gpu;
import dev.millwright.infra.Inventory.Nic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine models the twin can simulate, named in BMC endpoints as {@code twin://<profile>}. Their
 * figures are those of the real servers: an HGX board's 8 SXM GPUs share one NVLink domain and each has its
 * own 400 Gb/s InfiniBand rail. Rails are cabled rail-optimised: rail i of every server of one scalable unit
 * goes to that unit's leaf switch i. An endpoint {@code twin://hgx-h100/n07?unit=su2} puts the server in unit su2
 * (leaves {@code su2-leaf-0..7}); without a unit, all servers share one unit's leaves.
 */
public final class HardwareProfiles {
    private interface Profile {
        Inventory build(String machine, int seed, String leafPrefix);
    }

    private static final Map<String, Profile> PROFILES = Map.of(
            "hgx-h100", (name, seed, leaf) -> hgx(name, seed, leaf, "NVIDIA H100 80GB HBM3", 80, "96.00.99.00.01"),
            "hgx-h200", (name, seed, leaf) -> hgx(name, seed, leaf, "NVIDIA H200 141GB HBM3e", 141, "96.00.AF.00.01"),
            "hgx-b200", (name, seed, leaf) -> hgx(name, seed, leaf, "NVIDIA B200 180GB HBM3e", 180, "97.00.52.00.01"),
            "l40s-4x", (name, seed, leaf) -> l40s(name, seed));

    private HardwareProfiles() {
    }

    /** The profile named by a {@code twin://<profile>[/...]} endpoint. */
    public static String profileOf(String endpoint) {
        if (!endpoint.startsWith("twin://")) throw new IllegalArgumentException("not a twin endpoint: " + endpoint);
        String rest = endpoint.substring("twin://".length());
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) if (rest.indexOf(c) >= 0) end = Math.min(end, rest.indexOf(c));
        return rest.substring(0, end).toLowerCase(Locale.ROOT);
    }

    public static boolean exists(String profile) {
        return PROFILES.containsKey(profile);
    }

    public static List<String> names() {
        return PROFILES.keySet().stream().sorted().toList();
    }

    /** The scalable unit a {@code twin://<profile>/...?unit=<unit>} endpoint names, or null. */
    static String unitOf(String endpoint) {
        String unit = param(endpoint, "unit");
        return unit != null && unit.matches("[a-z0-9-]{1,40}") ? unit : null;
    }

    /** A query parameter of a twin endpoint ({@code twin://hgx-h100/n07?unit=su2&bmc=unreachable}), or null. */
    static String param(String endpoint, String key) {
        int q = endpoint.indexOf('?');
        if (q < 0) return null;
        for (String pair : endpoint.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) return pair.substring(eq + 1);
        }
        return null;
    }

    static Inventory build(String profile, String machine, int serialSeed) {
        return build(profile, machine, serialSeed, null);
    }

    static Inventory build(String profile, String machine, int serialSeed, String unit) {
        var f = PROFILES.get(profile);
        if (f == null) throw new IllegalArgumentException("unknown twin hardware profile " + profile + "; known: " + names());
        return f.build(machine, serialSeed, unit == null ? "leaf-" : unit + "-leaf-");
    }

    private static Inventory hgx(String name, int seed, String leafPrefix, String gpuModel, int gpuMemory, String vbios) {
        List<Gpu> gpus = new ArrayList<>();
        List<Nic> nics = new ArrayList<>();
        List<Firmware> fw = new ArrayList<>(List.of(new Firmware("BMC", "24.09.12"), new Firmware("BIOS", "2.4.1"),
                new Firmware("NVSwitch", "96.10.6F.00.01")));
        for (int i = 0; i < 8; i++) {
            gpus.add(new Gpu(i, gpuModel, gpuMemory, true, true, name + "-nvl", serial(seed, i)));
            nics.add(new Nic("ib" + i, "infiniband", 400, i, leafPrefix + i));
            fw.add(new Firmware("GPU" + i + " VBIOS", vbios));
        }
        nics.add(new Nic("eth0", "ethernet", 200, -1, null));
        nics.add(new Nic("eth1", "ethernet", 200, -1, null));
        fw.add(new Firmware("ConnectX-7", "28.42.1000"));
        return new Inventory("Intel Xeon Platinum 8480+", 2, 112, 2048, gpus, nics, fw);
    }

    private static Inventory l40s(String name, int seed) {
        List<Gpu> gpus = new ArrayList<>();
        List<Firmware> fw = new ArrayList<>(List.of(new Firmware("BMC", "3.12"), new Firmware("BIOS", "1.9.2")));
        for (int i = 0; i < 4; i++) {
            gpus.add(new Gpu(i, "NVIDIA L40S", 48, false, false, null, serial(seed, i)));
            fw.add(new Firmware("GPU" + i + " VBIOS", "95.02.66.00.02"));
        }
        List<Nic> nics = List.of(new Nic("eth0", "ethernet", 100, -1, null), new Nic("eth1", "ethernet", 100, -1, null));
        return new Inventory("AMD EPYC 9354", 1, 32, 512, gpus, nics, fw);
    }

    private static String serial(int seed, int gpu) {
        return String.format(Locale.ROOT, "%013d", (Integer.toUnsignedLong(seed) * 8 + gpu) % 10_000_000_000_000L);
    }
}
