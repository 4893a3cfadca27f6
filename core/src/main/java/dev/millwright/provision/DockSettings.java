package dev.millwright.provision;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a DockBatch runs, read from its spec once per pass: the gates, the expected hardware, the concurrency limits,
 * retries, and what is installed. Validated where it is read: a value that cannot work is an error under its path.
 *
 * @param perBmcNetwork machines powering on or being inspected at once on one BMC network
 * @param perRackPower machines in burn-in at once in one rack
 * @param perImageServer OS installs at once from the batch's image server
 * @param attempts how many times a step is tried before the machine fails (a failed or timed-out operation)
 * @param backoff the wait before the second try; it doubles for each further one
 */
public record DockSettings(List<Gate> gates, HardwareExpectation expected, int perBmcNetwork, int perRackPower, int perImageServer,
                           int attempts, Duration backoff, String image, String kubernetes) {
    public static final String DEFAULT_IMAGE = "ubuntu-24.04";
    public static final String DEFAULT_KUBERNETES = "1.33.4";
    /** A burn-in of every check, DCGM at its long level, and an hour at full load. */
    public static final List<Gate> DEFAULT_GATES = List.of(Gate.dcgm(3), Gate.simple("nvlink"), Gate.simple("infiniband"),
            Gate.simple("nccl"), Gate.stress(Duration.ofMinutes(60)));

    public DockSettings {
        gates = List.copyOf(gates);
        if (perBmcNetwork < 1 || perRackPower < 1 || perImageServer < 1) throw new IllegalArgumentException("limits must be at least 1");
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
    }

    /** Power on and inspect, the burn-in's gates, install, join: every machine's steps, in order. */
    public List<Step> plan() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(Step.Kind.POWER_ON, LifecycleState.INSPECTING, LifecycleState.REGISTERED, Limit.BMC_NETWORK, null, null, Duration.ofMinutes(4)));
        steps.add(new Step(Step.Kind.INSPECT, LifecycleState.INSPECTING, LifecycleState.INSPECTING, Limit.BMC_NETWORK, null, null, Duration.ofMinutes(6)));
        for (Gate g : gates) {
            steps.add(new Step(Step.Kind.CHECK, LifecycleState.VALIDATING, LifecycleState.VALIDATING, Limit.RACK_POWER, g, null, nominal(g)));
        }
        steps.add(new Step(Step.Kind.INSTALL, LifecycleState.PROVISIONING, LifecycleState.AVAILABLE, Limit.IMAGE_SERVER, null, image, Duration.ofMinutes(18)));
        steps.add(new Step(Step.Kind.JOIN, LifecycleState.DEPLOYED, LifecycleState.DEPLOYED, Limit.NONE, null, kubernetes, Duration.ofMinutes(6)));
        return steps;
    }

    /** What each check takes on a healthy 8-GPU server (the figures of DCGM's, nccl-tests' and ibdiagnet's documentation). */
    static Duration nominal(Gate g) {
        return switch (g.check()) {
            case "dcgm" -> Duration.ofMinutes(g.level() == 1 ? 1 : g.level() == 2 ? 3 : 30);
            case "nvlink" -> Duration.ofMinutes(2);
            case "infiniband" -> Duration.ofMinutes(3);
            case "nccl" -> Duration.ofMinutes(10);
            case "stress" -> g.length();
            default -> throw new IllegalStateException("unknown check " + g.check());
        };
    }

    public int limit(Limit l) {
        return switch (l) {
            case BMC_NETWORK -> perBmcNetwork;
            case RACK_POWER -> perRackPower;
            case IMAGE_SERVER -> perImageServer;
            case NONE -> Integer.MAX_VALUE;
        };
    }

    /** Reads a DockBatch spec; errors go under their field paths. */
    public static DockSettings of(JsonNode spec, Map<String, List<String>> errors) {
        List<Gate> gates = new ArrayList<>();
        JsonNode g = spec.path("gates");
        if (!g.isArray() || g.isEmpty()) {
            gates.addAll(DEFAULT_GATES);
        } else {
            for (int i = 0; i < g.size(); i++) {
                JsonNode n = g.get(i);
                String path = "spec.gates[" + i + "]";
                String check = n.path("check").asText();
                if (!Gate.CHECKS.contains(check)) {
                    add(errors, path + ".check", "must be one of " + Gate.CHECKS + ", got \"" + check + "\"");
                    continue;
                }
                int level = check.equals("dcgm") ? n.path("level").asInt(3) : 0;
                if (check.equals("dcgm") && (level < 1 || level > 3)) {
                    add(errors, path + ".level", "must be 1, 2 or 3 (DCGM's run levels), got " + level);
                    continue;
                }
                long minutes = n.path("minutes").asLong(60);
                if (check.equals("stress") && (minutes < 1 || minutes > 7 * 24 * 60)) {
                    add(errors, path + ".minutes", "must be from 1 to 10080, got " + minutes);
                    continue;
                }
                gates.add(new Gate(check, level, n.path("minBusBwGBps").asDouble(0), n.path("minRateGbps").asInt(0),
                        check.equals("stress") ? Duration.ofMinutes(minutes) : null,
                        n.path("maxTemperatureC").asDouble(Gate.DEFAULT_MAX_TEMPERATURE_C)));
            }
        }
        JsonNode e = spec.path("expected");
        Map<String, String> firmware = new TreeMap<>();
        e.path("firmware").fields().forEachRemaining(f -> firmware.put(f.getKey(), f.getValue().asText()));
        HardwareExpectation expected = new HardwareExpectation(e.hasNonNull("gpuModel") ? e.get("gpuModel").asText() : null,
                e.path("gpuCount").asInt(-1), e.path("gpuMemoryGiB").asInt(0), firmware);
        JsonNode l = spec.path("limits");
        int bmc = positive(l, "perBmcNetwork", 16, errors);
        int rack = positive(l, "perRackPower", 4, errors);
        int image = positive(l, "perImageServer", 32, errors);
        int attempts = spec.path("attempts").asInt(3);
        if (attempts < 1 || attempts > 10) {
            add(errors, "spec.attempts", "must be from 1 to 10, got " + attempts);
            attempts = 3;
        }
        return new DockSettings(gates, expected, bmc, rack, image, attempts, Duration.ofSeconds(spec.path("retryBackoffSeconds").asLong(60)),
                spec.path("image").asText(DEFAULT_IMAGE), spec.path("kubernetes").asText(DEFAULT_KUBERNETES));
    }

    private static int positive(JsonNode limits, String field, int otherwise, Map<String, List<String>> errors) {
        int v = limits.path(field).asInt(otherwise);
        if (v < 1) {
            add(errors, "spec.limits." + field, "must be at least 1, got " + v);
            return otherwise;
        }
        return v;
    }

    static void add(Map<String, List<String>> errors, String path, String message) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(message);
    }
}
