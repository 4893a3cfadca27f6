package dev.millwright.provision;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One burn-in gate: a check the port runs, and the criteria its measurements must meet. A gate fails on any
 * finding of the check itself (a DCGM test that failed, a link that is down, an Xid under load) and on figures
 * outside its criteria; the evidence names the figures and the criteria either way.
 *
 * @param check dcgm, nvlink, infiniband, nccl or stress
 * @param level the DCGM diagnostic level (1 quick, 2 medium, 3 long); 0 for other checks
 * @param minBusBwGBps NCCL: the least all-reduce bus bandwidth; 0 for the GPU model's default ({@link #defaultBusBw})
 * @param minRateGbps InfiniBand: the least rate every port must train at; 0 for the port's own speed
 * @param length stress: how long the GPUs run at full load; null elsewhere
 * @param maxTemperatureC stress: the hottest a GPU may get
 */
public record Gate(String check, int level, double minBusBwGBps, int minRateGbps, Duration length, double maxTemperatureC) {
    /** The checks a gate may run. */
    public static final java.util.List<String> CHECKS = java.util.List.of("dcgm", "nvlink", "infiniband", "nccl", "stress");
    /** A GPU hotter than this under a stress run is throttling (H100 SXM slows down from about 87 °C). */
    public static final double DEFAULT_MAX_TEMPERATURE_C = 87;

    public Gate {
        Objects.requireNonNull(check, "check");
        if (!CHECKS.contains(check)) throw new IllegalArgumentException("unknown check " + check);
        if (check.equals("dcgm") && (level < 1 || level > 3)) throw new IllegalArgumentException("a DCGM level is 1, 2 or 3");
    }

    public static Gate dcgm(int level) {
        return new Gate("dcgm", level, 0, 0, null, 0);
    }

    public static Gate simple(String check) {
        return new Gate(check, 0, 0, 0, null, 0);
    }

    public static Gate stress(Duration length) {
        return new Gate("stress", 0, 0, 0, length, DEFAULT_MAX_TEMPERATURE_C);
    }

    /** The name of the port's check: dcgm-r3, nccl... */
    public String portCheck() {
        return check.equals("dcgm") ? "dcgm-r" + level : check;
    }

    /** How this gate is named to people: "DCGM r3", "NCCL all-reduce"... */
    public String title() {
        return switch (check) {
            case "dcgm" -> "DCGM r" + level;
            case "nvlink" -> "NVLink";
            case "infiniband" -> "InfiniBand";
            case "nccl" -> "NCCL all-reduce";
            case "stress" -> "stress";
            default -> throw new IllegalStateException("unknown check " + check);
        };
    }

    /** Judges a reading of this gate's check on a machine whose first GPU is {@code gpuModel}. */
    public Verdict judge(CheckReading r, String gpuModel) {
        String findings = String.join("; ", r.findings());
        switch (check) {
            case "dcgm" -> {
                int tested = (int) r.metric("gpusTested", 0);
                return r.findings().isEmpty() ? Verdict.pass(title() + ": " + tested + " GPUs passed")
                        : Verdict.fail(title() + " failed: " + findings);
            }
            case "nvlink" -> {
                int up = (int) r.metric("linksUp", 0);
                int expected = (int) r.metric("linksExpected", 0);
                String figures = "NVLink: " + up + "/" + expected + " links up";
                return up >= expected && r.findings().isEmpty() ? Verdict.pass(figures)
                        : Verdict.fail(figures + (findings.isEmpty() ? "" : ": " + findings));
            }
            case "infiniband" -> {
                int active = (int) r.metric("portsActive", 0);
                int expected = (int) r.metric("portsExpected", 0);
                int rate = (int) r.metric("minRateGbps", 0);
                int wanted = minRateGbps;
                String figures = "InfiniBand: " + active + "/" + expected + " ports active, slowest " + rate + " Gb/s"
                        + (wanted > 0 ? " (at least " + wanted + ")" : "");
                boolean ok = active >= expected && (wanted == 0 || expected == 0 || rate >= wanted) && r.findings().isEmpty();
                return ok ? Verdict.pass(figures) : Verdict.fail(figures + (findings.isEmpty() ? "" : ": " + findings));
            }
            case "nccl" -> {
                double busBw = r.metric("busBwGBps", 0);
                double min = minBusBwGBps > 0 ? minBusBwGBps : defaultBusBw(gpuModel);
                String figures = String.format(Locale.ROOT, "NCCL all-reduce bus bandwidth %.1f GB/s (at least %.1f)", busBw, min);
                return busBw >= min && r.findings().isEmpty() ? Verdict.pass(figures)
                        : Verdict.fail(figures + (findings.isEmpty() ? "" : ": " + findings));
            }
            case "stress" -> {
                double hottest = r.metric("maxTemperatureC", 0);
                String figures = String.format(Locale.ROOT, "stress %d min: hottest GPU %.0f °C (at most %.0f)",
                        length == null ? 0 : length.toMinutes(), hottest, maxTemperatureC);
                return hottest <= maxTemperatureC && r.findings().isEmpty() ? Verdict.pass(figures)
                        : Verdict.fail(figures + (findings.isEmpty() ? "" : ": " + findings));
            }
            default -> throw new IllegalStateException("unknown check " + check);
        }
    }

    /**
     * The least all-reduce bus bandwidth a healthy server of this GPU model shows, in GB/s: some 85% of what
     * nccl-tests' all_reduce_perf reaches on one HGX board (about 480 GB/s over NVLink 4 for H100 and H200, 820 over
     * NVLink 5 for B200; an L40S server over PCIe about 22).
     */
    public static double defaultBusBw(String gpuModel) {
        String m = gpuModel == null ? "" : gpuModel.toUpperCase(Locale.ROOT);
        if (m.contains("B200")) return 700;
        if (m.contains("H100") || m.contains("H200")) return 400;
        if (m.contains("L40")) return 18;
        return 50;
    }
}
