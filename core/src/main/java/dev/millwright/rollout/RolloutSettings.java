package dev.millwright.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a rollout goes, read from its spec and resolved against the environment's node count.
 *
 * @param canary nodes in the first wave, which must all pass before any other node starts
 * @param maxUnavailable nodes that may be out of service at once, whatever runs on them
 * @param maxSurge further nodes that may be out at once, but only while what runs on them has room elsewhere:
 *                 their work is moved first, so serving capacity is not reduced
 * @param failureBudget nodes that may fail (rolled back or lost) before the rollout halts; a failed canary always halts
 * @param nodeTimeout how long a node may stay in one state before it is failed: nothing waits forever
 * @param drainGrace what a drain gives each workload still on the node
 * @param validation how long the GPU health check (burn-in) runs on an upgraded node
 * @param maxErrorRate the workloads' error rate above which a wave fails its gate
 * @param maxLatencyMs the workloads' p99 latency above which a wave fails its gate
 */
public record RolloutSettings(int canary, int maxUnavailable, int maxSurge, int failureBudget, Duration nodeTimeout,
                              Duration drainGrace, Duration validation, double maxErrorRate, double maxLatencyMs,
                              boolean paused, boolean aborted) {
    /** Nodes out at once at most. */
    public int parallel() {
        return maxUnavailable + maxSurge;
    }

    /**
     * Reads a Rollout's spec for an environment of {@code nodes} nodes (0: not known yet); what cannot work (nothing may ever be
     * taken out, a canary larger than the environment) is an error under its field path.
     */
    public static RolloutSettings of(JsonNode spec, int nodes, Map<String, List<String>> errors) {
        int canary = spec.path("canary").asInt(1);
        int unavailable = count(spec.path("maxUnavailable"), nodes, false, 1, "spec.maxUnavailable", errors);
        int surge = count(spec.path("maxSurge"), nodes, true, 0, "spec.maxSurge", errors);
        int budget = count(spec.path("failureBudget"), nodes, true, 1, "spec.failureBudget", errors);
        if (unavailable == 0 && surge == 0 && !errors.containsKey("spec.maxUnavailable") && !errors.containsKey("spec.maxSurge")) {
            add(errors, "spec.maxUnavailable", "is 0 and spec.maxSurge is 0: no node could ever be taken out, so nothing would be upgraded");
        }
        if (nodes > 0 && canary > nodes) add(errors, "spec.canary", "is " + canary + " nodes but the environment has " + nodes);
        JsonNode v = spec.path("validation");
        return new RolloutSettings(canary, unavailable, surge, budget,
                Duration.ofMinutes(spec.path("nodeTimeoutMinutes").asLong(60)),
                Duration.ofSeconds(spec.path("drainGraceSeconds").asLong(300)),
                Duration.ofSeconds(v.path("burnInSeconds").asLong(120)),
                v.path("maxErrorRate").asDouble(0.05), v.path("maxLatencyMs").asDouble(1000),
                spec.path("paused").asBoolean(false), spec.path("abort").asBoolean(false));
    }

    /** The errors {@link #of} finds, alone. */
    public static Map<String, List<String>> check(JsonNode spec, int nodes) {
        Map<String, List<String>> errors = new TreeMap<>();
        of(spec, nodes, errors);
        return errors;
    }

    /** A count of nodes, or a percentage of them: rounded up for surge and budgets, down for unavailable, as Kubernetes does. */
    private static int count(JsonNode value, int nodes, boolean roundUp, int otherwise, String path, Map<String, List<String>> errors) {
        if (value.isMissingNode() || value.isNull()) return otherwise;
        if (value.isIntegralNumber() && value.asInt() >= 0) return value.asInt();
        String text = value.asText();
        if (value.isTextual() && text.matches("(100|[1-9]?[0-9])%")) {
            double share = Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0;
            if (nodes <= 0) return share > 0 ? 1 : 0; // the node count is not known yet: only 0% is surely nothing
            return (int) (roundUp ? Math.ceil(share * nodes) : Math.floor(share * nodes));
        }
        add(errors, path, "must be a number of nodes or a percentage such as 25%");
        return otherwise;
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
