package dev.millwright.infra.redfish;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a GPU's model name tells when the BMC says no more: its name as the driver prints it, its memory, and
 * whether the model can be split (MIG) or run confidential computing. BMCs spell models their own way
 * ({@code NVIDIA_A100-SXM4-40GB}, {@code Nvidia(R) TU102}); the normal form is nvidia-smi's
 * ({@code NVIDIA A100-SXM4-40GB}), which is what GPU Feature Discovery and the twin report.
 */
final class GpuFacts {
    /** PCI vendor ids of GPU makers; anything else in a display class is a board's VGA chip (ASPEED, Matrox). */
    static final int NVIDIA = 0x10de;
    static final int AMD = 0x1002;

    private static final Pattern MEMORY_IN_NAME = Pattern.compile("(?i)(?<![\\w.])(\\d{1,3})\\s*G(?:i)?B\\b");
    private static final Pattern MIG = Pattern.compile("\\b(A100|A30|A800|H100|H800|H200|H20|GH200|B100|B200|GB200|B300|GB300)\\b");
    private static final Pattern CONFIDENTIAL = Pattern.compile("\\b(H100|H800|H200|H20|GH200|B100|B200|GB200|B300|GB300)\\b");
    /** Families whose name is a GPU on its own, for accelerators a BMC types OEM or Accelerator. */
    private static final Pattern GPU_FAMILY = Pattern.compile(
            "(?i)\\b(A100|A800|A30|A40|A10G?|A16|A2|H100|H800|H200|H20|GH200|B100|B200|GB200|B300|GB300|L40S?|L4|L20|T4|V100|P100|"
                    + "TESLA|QUADRO|RTX|GEFORCE|TITAN|INSTINCT|MI\\d{2,3}X?|RADEON)\\b");
    /** Parts that sit beside GPUs on a board or a bus and are no GPU. */
    private static final Pattern NOT_A_GPU = Pattern.compile("(?i)(nvswitch|switch|bridge|baseboard|retimer|cpld|fpga|erot|hmc|bmc)");
    /**
     * Memory of models that come in one size only, for BMCs that name the model but not its memory. Models sold in
     * several sizes (A100 40/80 GB, H100 80/94/96 GB, B200 180/192 GB) are left out on purpose: a wrong figure
     * would be worse than an unknown one.
     */
    private static final Map<String, Integer> ONE_SIZE_GIB = Map.of(
            "H200", 141, "L40S", 48, "L40", 48, "L4", 24, "A10", 24, "A10G", 24, "A30", 24, "A40", 48, "T4", 16, "MI300X", 192);

    private GpuFacts() {
    }

    /** {@code NVIDIA_A100-SXM4-40GB} -> {@code NVIDIA A100-SXM4-40GB}; {@code Nvidia(R) TU102} -> {@code NVIDIA TU102}. */
    static String normalize(String model, String manufacturer, int vendorId) {
        String m = model == null ? "" : model;
        m = m.replace('_', ' ').replaceAll("(?i)\\((r|tm|c)\\)|[®™]", "").replaceAll("\\s+", " ").trim();
        m = m.replaceFirst("(?i)^nvidia( corporation)?\\b", "NVIDIA").replaceFirst("(?i)^amd\\b", "AMD");
        boolean nvidia = vendorId == NVIDIA || (manufacturer != null && manufacturer.toLowerCase(Locale.ROOT).contains("nvidia"));
        boolean amd = vendorId == AMD || (manufacturer != null && manufacturer.toLowerCase(Locale.ROOT).matches(".*\\b(amd|advanced micro devices)\\b.*"));
        if (m.isEmpty()) return nvidia ? "NVIDIA GPU" : amd ? "AMD GPU" : "GPU";
        if (nvidia && !m.toUpperCase(Locale.ROOT).startsWith("NVIDIA")) m = "NVIDIA " + m;
        if (amd && !m.toUpperCase(Locale.ROOT).startsWith("AMD")) m = "AMD " + m;
        return m;
    }

    /** The memory a model's name states ({@code A100-SXM4-40GB}, {@code H100 80GB HBM3}), or 0. */
    static int memoryFromName(String model) {
        Matcher m = MEMORY_IN_NAME.matcher(model);
        int found = 0;
        while (m.find()) found = Integer.parseInt(m.group(1)); // the last size named is the GPU's, not a bus width
        return found;
    }

    /** The memory of a model sold in one size only, or 0. */
    static int memoryOfOneSizeModel(String model) {
        String[] words = model.toUpperCase(Locale.ROOT).replace('-', ' ').split(" ");
        for (String w : words) {
            Integer gib = ONE_SIZE_GIB.get(w);
            if (gib != null) return gib;
        }
        return 0;
    }

    static boolean mig(String model) {
        return MIG.matcher(model.toUpperCase(Locale.ROOT)).find();
    }

    static boolean confidentialComputing(String model) {
        return CONFIDENTIAL.matcher(model.toUpperCase(Locale.ROOT)).find();
    }

    static boolean looksLikeGpuModel(String text) {
        return text != null && GPU_FAMILY.matcher(text.replace('_', ' ')).find();
    }

    static boolean namesSomethingElse(String text) {
        return text != null && NOT_A_GPU.matcher(text).find();
    }

    /** A PCI id written as {@code "0x10DE"}, {@code "10de"} or the number 4318; -1 when absent or unreadable. */
    static int pciId(com.fasterxml.jackson.databind.JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return -1;
        if (n.isNumber()) return n.asInt();
        String s = n.asText().trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("0x")) s = s.substring(2);
        try {
            return s.isEmpty() ? -1 : Integer.parseInt(s, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The base class of a PCI class code: {@code "0x030200"} -> 0x03; a bare base class (3) stays as it is. */
    static int baseClass(com.fasterxml.jackson.databind.JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return -1;
        if (n.isNumber()) {
            int v = n.asInt();
            return v > 0xffff ? v >> 16 : v > 0xff ? v >> 8 : v;
        }
        String s = n.asText().trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("0x")) s = s.substring(2);
        try {
            int v = Integer.parseInt(s, 16);
            return s.length() > 4 ? v >> 16 : s.length() > 2 ? v >> 8 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
