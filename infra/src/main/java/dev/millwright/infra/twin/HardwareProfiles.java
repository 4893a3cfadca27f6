package dev.millwright.infra.twin;

import dev.millwright.infra.Inventory;
import dev.millwright.infra.Inventory.Firmware;
import dev.millwright.infra.Inventory.Gpu;
import dev.millwright.infra.Inventory.Nic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The machine models the twin can simulate, named in BMC endpoints as {@code twin://<profile>}. Their
 * figures are those of the real servers: an HGX board's 8 SXM GPUs share one NVLink domain and each has its
 * own 400 Gb/s InfiniBand rail.
 */
public final class HardwareProfiles {
    private static final Map<String, BiFunction<String, Integer, Inventory>> PROFILES = Map.of(
            "hgx-h100", (name, seed) -> hgx(name, seed, "NVIDIA H100 80GB HBM3", 80, "96.00.99.00.01"),
            "hgx-h200", (name, seed) -> hgx(name, seed, "NVIDIA H200 141GB HBM3e", 141, "96.00.AF.00.01"),
            "hgx-b200", (name, seed) -> hgx(name, seed, "NVIDIA B200 180GB HBM3e", 180, "97.00.52.00.01"),
            "l40s-4x", HardwareProfiles::l40s);

    private HardwareProfiles() {
    }

    /** The profile named by a {@code twin://<profile>[/...]} endpoint. */
    public static String profileOf(String endpoint) {
        if (!endpoint.startsWith("twin://")) throw new IllegalArgumentException("not a twin endpoint: " + endpoint);
        String rest = endpoint.substring("twin://".length());
        int slash = rest.indexOf('/');
        return (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    public static boolean exists(String profile) {
        return PROFILES.containsKey(profile);
    }

    public static List<String> names() {
        return PROFILES.keySet().stream().sorted().toList();
    }

    static Inventory build(String profile, String machine, int serialSeed) {
        var f = PROFILES.get(profile);
        if (f == null) throw new IllegalArgumentException("unknown twin hardware profile " + profile + "; known: " + names());
        return f.apply(machine, serialSeed);
    }

    private static Inventory hgx(String name, int seed, String gpuModel, int gpuMemory, String vbios) {
        List<Gpu> gpus = new ArrayList<>();
        List<Nic> nics = new ArrayList<>();
        List<Firmware> fw = new ArrayList<>(List.of(new Firmware("BMC", "24.09.12"), new Firmware("BIOS", "2.4.1"),
                new Firmware("NVSwitch", "96.10.6F.00.01")));
        for (int i = 0; i < 8; i++) {
            gpus.add(new Gpu(i, gpuModel, gpuMemory, true, true, name + "-nvl", serial(seed, i)));
            nics.add(new Nic("ib" + i, "infiniband", 400, i, "leaf-" + i));
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
