package dev.millwright.vulns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which vulnerabilities each subject (an environment: its stack's packs and its workloads' images) is exposed
 * to, through which package. Pure. Subjects share most of their packages (environments on one template version
 * run the same ones), so each distinct package version is matched once however many subjects hold it; packages
 * of ecosystems the matcher does not order (container images, Helm charts) are not matched.
 */
public final class Exposure {
    private Exposure() {
    }

    /** A package version a subject contains. */
    public record Package(String ecosystem, String name, String version) {
    }

    /**
     * One vulnerability a subject is exposed to, and the package that brings it.
     *
     * @param fixedIn the lowest version of the package that all of the finding's records that name a fix agree
     *                fixes it, or null when none names one (no fixed version is known)
     */
    public record Hit(Findings.Finding finding, Package pkg, String fixedIn) {
    }

    /** What one distinct package version is exposed to. */
    private record Found(Findings.Finding finding, String fixedIn) {
    }

    /** Each subject's hits, most severe first; subjects with none map to an empty list. */
    public static Map<String, List<Hit>> of(Matcher matcher, Findings findings, Map<String, ? extends Collection<Package>> subjects) {
        Map<Package, List<Found>> seen = new HashMap<>();
        Map<String, List<Hit>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends Collection<Package>> s : subjects.entrySet()) {
            List<Hit> hits = new ArrayList<>();
            for (Package p : s.getValue()) {
                List<Found> found = seen.computeIfAbsent(p, k -> {
                    Optional<Ecosystem> ecosystem = Ecosystem.of(k.ecosystem());
                    if (ecosystem.isEmpty()) return List.of();
                    Matcher.Answer a = matcher.affecting(k.ecosystem(), k.name(), k.version());
                    if (a.error() != null || a.ids().isEmpty()) return List.of();
                    List<Found> exposedTo = new ArrayList<>();
                    for (Findings.Finding f : findings.of(a.ids())) exposedTo.add(new Found(f, fix(ecosystem.get(), f, a.fixedIn())));
                    return exposedTo;
                });
                for (Found f : found) hits.add(new Hit(f.finding(), p, f.fixedIn()));
            }
            hits.sort(java.util.Comparator.comparing((Hit h) -> h.finding().score().orElse(-1.0)).reversed()
                    .thenComparing(h -> h.finding().name()));
            out.put(s.getKey(), hits);
        }
        return out;
    }

    /** The highest of the fixes the finding's matching records name: each of them must be past. */
    private static String fix(Ecosystem ecosystem, Findings.Finding finding, Map<String, String> fixedIn) {
        String best = null;
        for (Advisory a : finding.records()) {
            String f = fixedIn.get(a.id());
            if (f == null) continue;
            try {
                if (best == null || ecosystem.versions().parse(f).compareTo(ecosystem.versions().parse(best)) > 0) best = f;
            } catch (InvalidVersionException e) {
                if (best == null) best = f; // a SEMVER fix over an ecosystem with its own order: kept as written
            }
        }
        return best;
    }
}
