package dev.millwright.fleet;

/**
 * GPU model names. Machines report the full product name ("NVIDIA H100 80GB HBM3", what GPU Feature Discovery
 * puts on nodes); people write the short one ("H100 80GB"). Quotas, templates and workloads accept both.
 */
public final class GpuModels {
    private GpuModels() {
    }

    /** "NVIDIA H100 80GB HBM3" -> "H100 80GB"; "NVIDIA L40S" -> "L40S". */
    public static String shortName(String model) {
        String m = model.startsWith("NVIDIA ") ? model.substring(7) : model;
        String[] words = m.split(" ");
        return words.length >= 2 && words[1].matches("\\d+GB") ? words[0] + " " + words[1] : words[0];
    }

    /** Whether {@code written} (full or short, any case) names the {@code reported} model. */
    public static boolean matches(String written, String reported) {
        return written.equalsIgnoreCase(reported) || written.equalsIgnoreCase(shortName(reported));
    }

    /** The node label value GPU Feature Discovery gives the model: spaces become dashes. */
    public static String productLabel(String reported) {
        return reported.trim().replace(' ', '-');
    }
}
