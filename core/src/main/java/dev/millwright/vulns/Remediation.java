package dev.millwright.vulns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.CompatibilitySolver;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.Solution;
import dev.millwright.catalog.Stack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.catalog.Version;
import dev.millwright.catalog.VersionRange;
import dev.millwright.rollout.PackChange;
import dev.millwright.rollout.UpgradePlan;
import dev.millwright.rollout.UpgradePlanner;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What fixes an environment's findings. Two answers, both checked against the catalog's rules:
 * <ul>
 *   <li>the smallest compatible change of its stack: the catalog's solver, holding each pack that carries an
 *       affected package to its newer versions the findings no longer affect, and every other pack to its version
 *       or a newer one (a plan never moves a pack back);</li>
 *   <li>the published version of its template with the fewest pack changes that has such a fix and that the
 *       upgrade planner accepts: what an UpgradePlan can move the environment to today.</li>
 * </ul>
 * Pure. It never invents a fix: when no record names a fixed version, when the catalog has no pack version
 * without the hole, or when no compatible stack holds one, the answer says which.
 */
public final class Remediation {
    private final Catalog catalog;
    private final Matcher matcher;
    private final LocalDate today;

    public Remediation(Catalog catalog, Matcher matcher, LocalDate today) {
        this.catalog = catalog;
        this.matcher = matcher;
        this.today = today;
    }

    /** A published template version that fixes the findings, and the packs moving to it. */
    public record Published(String template, String version, List<PackChange> changes) {
        public Published {
            changes = List.copyOf(changes);
        }
    }

    /**
     * @param fixed the findings this answer is about (those with a known fixed version)
     * @param published the published template version with the fewest changes that fixes them, if any
     * @param smallest the solver's smallest compatible change of packs; empty when there is none
     * @param reasons why some or all findings have no fix here, one sentence each
     */
    public record Answer(List<Findings.Finding> fixed, Optional<Published> published, List<PackChange> smallest, List<String> reasons) {
        public Answer {
            fixed = List.copyOf(fixed);
            smallest = List.copyOf(smallest);
            reasons = List.copyOf(reasons);
        }

        /** Whether anything fixes the findings in {@link #fixed}. */
        public boolean fixable() {
            return !smallest.isEmpty() || published.isPresent();
        }
    }

    /**
     * What fixes the given hits of one environment together.
     *
     * @param runningSpec the spec of the StackTemplate version the environment runs
     * @param published the specs of every published StackTemplate version (other families are ignored)
     */
    public Answer fix(JsonNode runningSpec, Collection<Exposure.Hit> hits, Collection<JsonNode> published) {
        List<String> reasons = new ArrayList<>();
        Map<String, Findings.Finding> findings = new LinkedHashMap<>();
        for (Exposure.Hit h : hits) {
            if (h.fixedIn() == null) {
                reasons.add(h.finding().name() + ": no fixed version of " + h.pkg().name() + " is known");
            } else {
                findings.putIfAbsent(h.finding().name(), h.finding());
            }
        }
        Optional<List<Pack>> running = TemplateCheck.packs(catalog, runningSpec);
        if (running.isEmpty()) {
            reasons.add("the running template names a pack version the catalog no longer has");
            return new Answer(List.copyOf(findings.values()), Optional.empty(), List.of(), reasons);
        }
        // a finding no catalog version fixes is said once, and does not keep the others from their fix
        List<Findings.Finding> fixed = new ArrayList<>();
        for (Findings.Finding f : findings.values()) {
            Set<String> own = recordIds(List.of(f));
            Optional<Pack> unfixable = running.get().stream().filter(p -> affects(p, own) && fixes(p, own).isEmpty()).findFirst();
            if (unfixable.isPresent()) reasons.add(noFixedPack(unfixable.get(), hits.stream().filter(h -> h.finding().name().equals(f.name())).toList()));
            else fixed.add(f);
        }
        if (fixed.isEmpty()) return new Answer(fixed, Optional.empty(), List.of(), reasons.stream().distinct().toList());
        Set<String> ids = recordIds(fixed);
        List<PackChange> smallest = smallestChange(running.get(), ids, reasons);
        Optional<Published> template = publishedFix(runningSpec, running.get(), ids, published);
        return new Answer(fixed, template, smallest, reasons.stream().distinct().toList());
    }

    /** The solver's smallest change that moves every affected pack to a version without the findings. */
    private List<PackChange> smallestChange(List<Pack> running, Set<String> ids, List<String> reasons) {
        Map<String, VersionRange> targets = new LinkedHashMap<>();
        for (Pack p : running) {
            if (affects(p, ids)) {
                List<Version> fixes = fixes(p, ids);
                if (fixes.isEmpty()) {
                    // each finding has a fixed version on its own, but no one version fixes them all
                    reasons.add("no " + p.name() + " version in the catalog fixes all of them at once; fix them one by one");
                    return List.of();
                }
                targets.put(p.name(), VersionRange.anyOf(fixes));
            } else {
                targets.put(p.name(), notOlderThan(p));
            }
        }
        Solution solution = CompatibilitySolver.smallestChange(catalog, new Stack(running), targets, Set.of(), today);
        if (solution instanceof Solution.Unsolvable u) {
            reasons.add("no compatible stack holds a fixed version: " + String.join("; ", u.reasons()));
            return List.of();
        }
        List<PackChange> changes = new ArrayList<>();
        for (Pack was : running) {
            Pack now = solution.found().orElseThrow().get(was.name()).orElseThrow();
            if (now.version().compareTo(was.version()) != 0) changes.add(new PackChange(was.layer(), was.name(), was.version(), now.version()));
        }
        return changes;
    }

    /** The catalog's versions of the pack newer than it that list their contents and carry none of the records. */
    private List<Version> fixes(Pack p, Set<String> ids) {
        return catalog.versions(p.name()).stream()
                .filter(c -> c.version().compareTo(p.version()) > 0 && !c.packages().isEmpty() && !affects(c, ids))
                .map(Pack::version).toList();
    }

    /** "CVE-2025-1: the catalog has no vllm version newer than 0.9.2 without it (fixed in PyPI vllm 0.10.1; ...)". */
    private String noFixedPack(Pack p, Collection<Exposure.Hit> hits) {
        List<String> fixedIn = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Exposure.Hit h : hits) {
            if (h.fixedIn() == null || !p.packages().stream().anyMatch(sp -> same(sp, h.pkg()))) continue;
            if (!names.contains(h.finding().name())) names.add(h.finding().name());
            String f = h.pkg().ecosystem() + " " + h.pkg().name() + " " + h.fixedIn();
            if (!fixedIn.contains(f)) fixedIn.add(f);
        }
        String newest = catalog.versions(p.name()).isEmpty() ? "none" : catalog.versions(p.name()).get(0).version().toString();
        return String.join(", ", names) + ": the catalog has no " + p.name() + " version newer than " + p.version()
                + " without it (fixed in " + String.join(", ", fixedIn) + "; the catalog's newest " + p.name() + " is " + newest
                + "); a platform team can add one as a Pack";
    }

    /** The published version of the same template with the fewest pack changes that fixes the findings. */
    private Optional<Published> publishedFix(JsonNode runningSpec, List<Pack> running, Set<String> ids, Collection<JsonNode> published) {
        String family = runningSpec.path("template").asText();
        Published best = null;
        Version bestVersion = null;
        for (JsonNode spec : published) {
            if (!spec.path("template").asText().equals(family)) continue;
            Optional<List<Pack>> packs = TemplateCheck.packs(catalog, spec);
            // a version without the affected pack at all fixes it too; the planner judges the removal
            if (packs.isEmpty() || packs.get().stream().anyMatch(p -> affects(p, ids))) continue;
            UpgradePlanner.Result plan = UpgradePlanner.plan(catalog, runningSpec, spec, today);
            if (plan.refused()) continue;
            UpgradePlan p = plan.plan();
            Version v = Version.of(spec.path("version").asText());
            if (best == null || p.changes().size() < best.changes().size()
                    || (p.changes().size() == best.changes().size() && v.compareTo(bestVersion) < 0)) {
                best = new Published(family, spec.path("version").asText(), p.changes());
                bestVersion = v;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The spec of a new version of the running template with the given changes: what a platform team publishes
     * when no published version has the fix. Layers keep their order and variables; moved packs name their exact
     * version.
     */
    public static ObjectNode newVersion(JsonNode runningSpec, List<PackChange> changes, String version) {
        ObjectNode spec = runningSpec.deepCopy();
        spec.put("version", version);
        spec.put("description", "Fixes vulnerabilities of " + runningSpec.path("template").asText() + " " + runningSpec.path("version").asText()
                + ": " + String.join(", ", changes.stream().map(PackChange::toString).toList()));
        for (JsonNode layer : spec.path("layers")) {
            for (PackChange c : changes) {
                if (c.pack().equals(layer.path("pack").asText()) && c.to() != null) ((ObjectNode) layer).put("version", c.to().toString());
            }
        }
        return spec;
    }

    /** The next free patch version above every published version of the template ("1.0.0" and "1.1.0" give "1.1.1"). */
    public static String nextPatch(String family, Collection<JsonNode> published) {
        Version highest = null;
        for (JsonNode spec : published) {
            if (!spec.path("template").asText().equals(family)) continue;
            Version v = Version.of(spec.path("version").asText());
            if (highest == null || v.compareTo(highest) > 0) highest = v;
        }
        if (highest == null) return "1.0.0";
        return highest.major() + "." + highest.minor() + "." + (highest.patch() + 1);
    }

    private boolean affects(Pack pack, Set<String> ids) {
        for (Pack.SoftwarePackage sp : pack.packages()) {
            Matcher.Answer a = matcher.affecting(sp.ecosystem(), sp.name(), sp.version());
            if (a.error() == null && a.ids().stream().anyMatch(ids::contains)) return true;
        }
        return false;
    }

    private static boolean same(Pack.SoftwarePackage sp, Exposure.Package p) {
        return sp.ecosystem().equals(p.ecosystem()) && sp.name().equals(p.name()) && sp.version().equals(p.version());
    }

    /** Its version or a newer one: a plan moves packs forward only. */
    private VersionRange notOlderThan(Pack p) {
        List<Version> forward = new ArrayList<>();
        forward.add(p.version());
        catalog.versions(p.name()).stream().map(Pack::version).filter(v -> v.compareTo(p.version()) > 0).forEach(forward::add);
        return VersionRange.anyOf(forward);
    }

    private static Set<String> recordIds(List<Findings.Finding> findings) {
        Set<String> ids = new HashSet<>();
        for (Findings.Finding f : findings) f.records().forEach(a -> ids.add(a.id()));
        return ids;
    }
}
