package dev.millwright.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an environment moves from one template version to another: the packs that change (and only those) and
 * the ordered steps that change them. Immutable; estimates are computed on demand for a fleet size.
 *
 * @param from the running template, as "llm 1.0.0"
 * @param to the target template, as "llm 1.1.0"
 * @param changes the packs whose version changes, is added or removed, in layer order
 * @param steps what is done, in order
 */
public record UpgradePlan(String from, String to, List<PackChange> changes, List<UpgradeStep> steps) {
    public UpgradePlan {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        changes = List.copyOf(changes);
        steps = List.copyOf(steps);
    }

    /**
     * The versions a pack passes through on the workers before its target, in order: Kubernetes one minor at a
     * time ({@code kubernetes -> [1.32.9, 1.33.5]} on the way to 1.34.1). Packs that go straight are absent.
     */
    public java.util.Map<String, List<String>> intermediateVersions() {
        java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
        for (UpgradeStep s : steps) {
            if (s.nodes() != UpgradeStep.Nodes.WORKERS || s.change().to() == null) continue;
            out.computeIfAbsent(s.change().pack(), k -> new java.util.ArrayList<>()).add(s.change().to().toString());
        }
        out.values().forEach(versions -> versions.remove(versions.size() - 1)); // the last is the target itself
        out.values().removeIf(List::isEmpty);
        return out;
    }

    /** How long one worker node spends in all its steps, one after the other. */
    public Duration perNode() {
        return total(UpgradeStep.Nodes.WORKERS);
    }

    /**
     * How long the control-plane steps take: they run before the workers of each Kubernetes minor, one
     * control-plane node (HA peers are not counted).
     */
    public Duration controlPlane() {
        return total(UpgradeStep.Nodes.CONTROL_PLANE);
    }

    /**
     * The whole plan for {@code nodes} workers changed {@code parallel} at a time:
     * control plane + ceil(nodes / parallel) x {@link #perNode()}.
     *
     * @throws IllegalArgumentException when nodes is negative or parallel is not positive
     */
    public Duration duration(int nodes, int parallel) {
        if (nodes < 0) throw new IllegalArgumentException("nodes must not be negative");
        if (parallel < 1) throw new IllegalArgumentException("parallel must be at least 1");
        return controlPlane().plus(perNode().multipliedBy(waves(nodes, parallel)));
    }

    /** How many groups of at most {@code parallel} nodes the workers are changed in. */
    public static int waves(int nodes, int parallel) {
        return (nodes + parallel - 1) / parallel;
    }

    /** The plan as {@code millwright plan upgrade ENV --to TEMPLATE@VERSION} prints it, without an estimate. */
    public String describe() {
        StringBuilder out = new StringBuilder("Upgrade " + from + " -> " + to + "\n\nChanges (other layers are not touched):\n");
        for (PackChange c : changes) out.append("  ").append(c.layer().wireName()).append(": ").append(c).append('\n');
        out.append("\nSteps:\n");
        for (int i = 0; i < steps.size(); i++) {
            UpgradeStep s = steps.get(i);
            out.append("  ").append(i + 1).append(". ").append(s.change()).append(" on ").append(s.nodes().label())
                    .append(" (~").append(minutes(s.procedure().perNode())).append(" per node)\n")
                    .append("     ").append(s.procedure()).append('\n');
        }
        return out.toString();
    }

    /** {@link #describe()} with the estimate for {@code nodes} workers, {@code parallel} at a time. */
    public String describe(int nodes, int parallel) {
        Duration total = duration(nodes, parallel);
        return describe() + "\nEstimate: " + nodes + " worker nodes, " + parallel + " at a time: "
                + (controlPlane().isZero() ? "" : minutes(controlPlane()) + " control plane + ")
                + waves(nodes, parallel) + " waves x " + minutes(perNode()) + " per node = " + minutes(total) + "\n";
    }

    private Duration total(UpgradeStep.Nodes nodes) {
        Duration total = Duration.ZERO;
        for (UpgradeStep s : steps) if (s.nodes() == nodes) total = total.plus(s.procedure().perNode());
        return total;
    }

    /** "2h 8m", "32m": estimates are whole minutes. */
    private static String minutes(Duration d) {
        long m = d.toMinutes();
        return m >= 60 ? (m / 60) + "h " + (m % 60) + "m" : m + "m";
    }
}
