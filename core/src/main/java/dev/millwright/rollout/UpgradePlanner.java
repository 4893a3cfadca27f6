package dev.millwright.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.KubernetesSkew;
import dev.millwright.catalog.Layer;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.catalog.Version;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Plans moving an environment from its running StackTemplate version to a newer one. Pure: the catalog, both
 * template specs and the day come in; either refusals keyed by field path or a plan come out.
 *
 * <p>Refused: a target the template check rejects, an older or equal template version, any pack moving to an
 * older version, a target that changes nothing. Planned: only the packs whose version changes, in layer order
 * (driver before CUDA before frameworks, as {@link dev.millwright.catalog.NodeStack} installs them), with
 * Kubernetes moved one minor at a time, control plane before workers, as the version-skew policy requires.
 * Removals come last, top layer first, so nothing is removed while a pack above may still use it.
 */
public final class UpgradePlanner {
    private UpgradePlanner() {
    }

    /** Either refusals (field path to reasons) or a plan, never both. */
    public record Result(Map<String, List<String>> refusals, UpgradePlan plan) {
        public Result {
            refusals = java.util.Collections.unmodifiableMap(new TreeMap<>(refusals));
        }

        public boolean refused() {
            return plan == null;
        }

        public Optional<UpgradePlan> planned() {
            return Optional.ofNullable(plan);
        }
    }

    /**
     * @param from the spec of the StackTemplate the environment runs
     * @param to the spec of the StackTemplate version to move to; refusal keys name its fields ("to.spec.layers[1].version")
     * @param today the day the target's end-of-life rules are checked against
     */
    public static Result plan(Catalog catalog, JsonNode from, JsonNode to, LocalDate today) {
        Map<String, List<String>> refusals = new TreeMap<>();
        TemplateCheck.Result check = TemplateCheck.check(catalog, to, today);
        check.errors().forEach((path, reasons) -> refusals.put("to." + path, reasons));
        if (!refusals.isEmpty()) return refused(refusals);
        Optional<List<Pack>> running = TemplateCheck.packs(catalog, from);
        if (running.isEmpty()) return refused(Map.of("from.spec.layers", List.of("the running template names a pack version the catalog no longer has")));
        List<Pack> target = TemplateCheck.packs(catalog, to).orElseThrow(); // the check above resolved every layer

        String fromName = label(from);
        String toName = label(to);
        checkTemplateVersion(from, to, refusals);
        List<PackChange> changes = diff(byName(running.get()), target, refusals);
        if (refusals.isEmpty() && changes.isEmpty()) add(refusals, "to.spec.layers", "every pack of " + toName + " is the version " + fromName + " runs: nothing to do");
        if (!refusals.isEmpty()) return refused(refusals);
        return new Result(Map.of(), new UpgradePlan(fromName, toName, changes, steps(catalog, changes)));
    }

    /** Templates are immutable and move forward: the same or an older version of the same template is refused. */
    private static void checkTemplateVersion(JsonNode from, JsonNode to, Map<String, List<String>> refusals) {
        if (!from.path("template").asText().equals(to.path("template").asText())) return;
        Version was = version(from);
        Version next = version(to);
        if (was == null || next == null) return;
        int order = next.compareTo(was);
        if (order == 0) add(refusals, "to.spec.version", label(to) + " is the version running: nothing to do");
        if (order < 0) add(refusals, "to.spec.version", label(to) + " is older than the running " + label(from) + " (templates only move forward)");
    }

    /** The changed packs in layer order; a downgrade is refused under the target layer that asks for it. */
    private static List<PackChange> diff(Map<String, Pack> running, List<Pack> target, Map<String, List<String>> refusals) {
        List<PackChange> changes = new ArrayList<>();
        Map<String, Pack> wanted = new LinkedHashMap<>();
        for (int i = 0; i < target.size(); i++) {
            Pack next = target.get(i);
            if (wanted.putIfAbsent(next.name(), next) != null) continue;
            Pack was = running.get(next.name());
            if (was == null) {
                changes.add(new PackChange(next.layer(), next.name(), null, next.version()));
            } else if (next.version().compareTo(was.version()) < 0) {
                add(refusals, "to.spec.layers[" + i + "].version", next.name() + " " + next.version() + " is older than the running "
                        + next.name() + " " + was.version() + " (downgrades are not planned)");
            } else if (next.version().compareTo(was.version()) > 0) {
                if (next.name().equals("kubernetes") && next.version().major() != was.version().major()) {
                    add(refusals, "to.spec.layers[" + i + "].version", "kubernetes " + was.version() + " -> " + next.version() + " crosses a major version");
                } else {
                    changes.add(new PackChange(next.layer(), next.name(), was.version(), next.version()));
                }
            }
        }
        for (Pack was : running.values()) {
            if (!wanted.containsKey(was.name())) changes.add(new PackChange(was.layer(), was.name(), was.version(), null));
        }
        // stable: packs of one layer keep the target's order
        changes.sort(Comparator.comparing(PackChange::layer));
        return changes;
    }

    /** Installs bottom layer first, Kubernetes one minor at a time; then removals, top layer first. */
    private static List<UpgradeStep> steps(Catalog catalog, List<PackChange> changes) {
        List<UpgradeStep> steps = new ArrayList<>();
        for (PackChange c : changes) {
            if (c.kind() == PackChange.Kind.REMOVE) continue;
            if (c.kind() == PackChange.Kind.UPGRADE && c.layer() == Layer.KUBERNETES && c.pack().equals("kubernetes")) {
                Version at = c.from();
                for (Version minor : minors(catalog, c.from(), c.to())) {
                    PackChange hop = new PackChange(c.layer(), c.pack(), at, minor);
                    steps.add(new UpgradeStep(hop, UpgradeStep.Nodes.CONTROL_PLANE, NodeProcedure.controlPlane()));
                    steps.add(new UpgradeStep(hop, UpgradeStep.Nodes.WORKERS, NodeProcedure.worker(c.layer())));
                    at = minor;
                }
            } else {
                steps.add(new UpgradeStep(c, UpgradeStep.Nodes.WORKERS, NodeProcedure.worker(c.layer())));
            }
        }
        List<PackChange> removals = changes.stream().filter(c -> c.kind() == PackChange.Kind.REMOVE).toList();
        for (int i = removals.size() - 1; i >= 0; i--) {
            steps.add(new UpgradeStep(removals.get(i), UpgradeStep.Nodes.WORKERS, NodeProcedure.worker(removals.get(i).layer())));
        }
        return steps;
    }

    /**
     * Each minor after {@code from} up to {@code to}: an intermediate minor is its newest patch in the catalog
     * (or the bare minor when the catalog has none), the last is the target itself. A patch-only change is one hop.
     */
    private static List<Version> minors(Catalog catalog, Version from, Version to) {
        List<Version> hops = new ArrayList<>();
        List<String> path = KubernetesSkew.upgradePath(from, to);
        for (int i = 0; i < path.size() - 1; i++) {
            Version line = Version.of(path.get(i));
            hops.add(catalog.versions("kubernetes").stream()
                    .filter(p -> p.version().major() == line.major() && p.version().minor() == line.minor())
                    .map(Pack::version).findFirst().orElse(line));
        }
        hops.add(to);
        return hops;
    }

    private static Map<String, Pack> byName(List<Pack> packs) {
        Map<String, Pack> out = new LinkedHashMap<>();
        for (Pack p : packs) out.putIfAbsent(p.name(), p);
        return out;
    }

    private static Version version(JsonNode spec) {
        try {
            return Version.of(spec.path("version").asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** "llm 1.0.0": how messages name a template version. */
    private static String label(JsonNode spec) {
        return (spec.path("template").asText("template") + " " + spec.path("version").asText()).trim();
    }

    private static Result refused(Map<String, List<String>> refusals) {
        return new Result(refusals, null);
    }

    private static void add(Map<String, List<String>> refusals, String path, String reason) {
        refusals.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
