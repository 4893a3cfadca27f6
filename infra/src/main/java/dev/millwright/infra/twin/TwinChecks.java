package dev.millwright.infra.twin;

import dev.millwright.infra.CheckReport;
import dev.millwright.infra.Inventory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The twin's validation checks: how long each takes and what it measures. The outcome of a check is drawn when
 * it starts (so a run is a pure function of the seed and the calls), and the report is written when it ends, with
 * any GPU that failed meanwhile among its findings.
 *
 * <p>Durations follow what the tools take on an 8-GPU HGX server: DCGM {@code dcgmi diag -r 1} about a minute,
 * {@code -r 2} a few minutes, {@code -r 3} about half an hour; an NVLink status sweep and an {@code ibdiagnet} run a few
 * minutes; nccl-tests' all_reduce_perf over message sizes up to 8 GB some ten minutes; an inspection (boot an
 * inspection ramdisk, read the hardware, as Ironic's) six minutes.
 */
final class TwinChecks {
    static final Duration INSPECT = Duration.ofMinutes(6);
    static final Duration DCGM_R1 = Duration.ofMinutes(1);
    static final Duration DCGM_R2 = Duration.ofMinutes(3);
    static final Duration DCGM_R3 = Duration.ofMinutes(30);
    static final Duration NVLINK = Duration.ofMinutes(2);
    static final Duration INFINIBAND = Duration.ofMinutes(3);
    static final Duration NCCL = Duration.ofMinutes(10);
    static final Duration STRESS_DEFAULT = Duration.ofMinutes(30);
    /** NVLink links per GPU of an HGX board (NVLink 4 and 5: 18). */
    static final int LINKS_PER_GPU = 18;

    /** A check as drawn at its start: how long it runs and what it will report. */
    record Planned(Duration duration, TreeMap<String, Double> metrics, List<String> findings, int breaksGpu) {
    }

    private TwinChecks() {
    }

    static boolean known(String check) {
        return switch (check) {
            case "inspect", "dcgm-r1", "dcgm-r2", "dcgm-r3", "nvlink", "infiniband", "nccl", "stress" -> true;
            default -> false;
        };
    }

    static Planned plan(TwinMachine m, String check, Duration length, SplittableRandom random, GateRates rates) {
        Inventory inv = m.inventory;
        int gpus = m.gpus();
        // a forced failure still draws, so that the rest of the run is the same as without it
        double draw = random.nextDouble();
        if (m.failsCheck != null && check.startsWith(m.failsCheck)) draw = -1;
        int gpu = gpus == 0 ? 0 : random.nextInt(gpus);
        double noise = random.nextDouble();
        TreeMap<String, Double> metrics = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        int breaks = -1;
        Duration d;
        switch (check) {
            case "inspect" -> {
                d = INSPECT;
                metrics.put("gpuCount", (double) gpus);
                metrics.put("eccDisabledGpus", m.eccOff ? 1.0 : 0.0);
                metrics.put("eccUncorrectable", 0.0);
            }
            case "dcgm-r1", "dcgm-r2", "dcgm-r3" -> {
                int level = check.charAt(check.length() - 1) - '0';
                d = level == 1 ? DCGM_R1 : level == 2 ? DCGM_R2 : DCGM_R3;
                double rate = rates.dcgm() * (level == 1 ? 0.3 : level == 2 ? 0.6 : 1.0);
                metrics.put("gpusTested", (double) gpus);
                if (gpus > 0 && draw < rate) {
                    findings.add(noise < 0.5 ? "GPU " + gpu + ": DCGM memory test failed: " + (1 + (int) (noise * 8)) + " uncorrectable ECC errors"
                            : "GPU " + gpu + ": DCGM PCIe test failed: replay counter " + (200 + (int) (noise * 800)) + " over the threshold of 100");
                }
            }
            case "nvlink" -> {
                d = NVLINK;
                int expected = (int) inv.gpus().stream().filter(g -> g.nvlinkDomain() != null).count() * LINKS_PER_GPU;
                boolean down = expected > 0 && draw < rates.nvlink();
                metrics.put("linksExpected", (double) expected);
                metrics.put("linksUp", (double) (down ? expected - 1 : expected));
                if (down) findings.add("GPU " + gpu + " NVLink " + (int) (noise * LINKS_PER_GPU) + " is down");
            }
            case "infiniband" -> {
                d = INFINIBAND;
                List<Inventory.Nic> ports = inv.nics().stream().filter(n -> n.kind().equals("infiniband")).toList();
                boolean bad = !ports.isEmpty() && draw < rates.infiniband();
                int slowest = ports.stream().mapToInt(Inventory.Nic::speedGbps).min().orElse(0);
                metrics.put("portsExpected", (double) ports.size());
                metrics.put("portsActive", (double) (bad && noise < 0.5 ? ports.size() - 1 : ports.size()));
                metrics.put("minRateGbps", (double) (bad && noise >= 0.5 ? slowest / 2 : slowest));
                if (bad) {
                    String port = ports.get(gpu % ports.size()).name();
                    findings.add(noise < 0.5 ? port + " is Down (no physical link)" : port + " trained at " + slowest / 2 + " Gb/s instead of " + slowest);
                }
            }
            case "nccl" -> {
                d = NCCL;
                double nominal = nominalBusBw(gpus == 0 ? "" : inv.gpus().get(0).model());
                boolean slow = gpus > 1 && draw < rates.nccl();
                double factor = slow ? 0.45 + 0.25 * noise : 0.97 + 0.06 * noise;
                metrics.put("busBwGBps", Math.round(nominal * factor * 10) / 10.0);
            }
            case "stress" -> {
                d = length == null ? STRESS_DEFAULT : length;
                boolean fails = gpus > 0 && draw < rates.stress();
                boolean hot = fails && noise >= 0.5;
                metrics.put("maxTemperatureC", hot ? 91 + Math.floor(noise * 6) : 74 + Math.floor(noise * 8));
                if (fails && !hot) {
                    findings.add("GPU " + gpu + " failed under load: Xid 79: GPU has fallen off the bus");
                    breaks = gpu;
                }
            }
            default -> throw new IllegalArgumentException("unknown check " + check);
        }
        return new Planned(d, metrics, findings, breaks);
    }

    /** The report at the end: the planned figures, and any GPU of the machine that has failed by then. */
    static CheckReport report(TwinMachine m, String check, Planned p) {
        List<String> findings = new ArrayList<>(p.findings());
        if (!check.equals("inspect")) {
            for (int i = 0; i < m.gpus(); i++) {
                if (m.xid[i] != 0 && i != p.breaksGpu()) findings.add("GPU " + i + " failed: " + Faults.xidText(m.xid[i]));
            }
        }
        return new CheckReport(check, p.metrics(), findings);
    }

    /**
     * The all-reduce bus bandwidth nccl-tests reports across one server's GPUs, in GB/s: NVLink 4 (H100, H200) some
     * 480, NVLink 5 (B200) some 820, PCIe-only L40S about 22.
     */
    static double nominalBusBw(String model) {
        String m = model.toUpperCase(Locale.ROOT);
        if (m.contains("B200")) return 820;
        if (m.contains("H100") || m.contains("H200")) return 480;
        if (m.contains("L40")) return 22;
        return 100;
    }
}
