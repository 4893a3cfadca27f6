package dev.millwright.vulns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** One vulnerability a subject is exposed to, and the package that brings it. */
    public record Hit(Findings.Finding finding, Package pkg) {
    }

    /** Each subject's hits, most severe first; subjects with none map to an empty list. */
    public static Map<String, List<Hit>> of(Matcher matcher, Findings findings, Map<String, ? extends Collection<Package>> subjects) {
        Map<Package, List<Findings.Finding>> seen = new HashMap<>();
        Map<String, List<Hit>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends Collection<Package>> s : subjects.entrySet()) {
            List<Hit> hits = new ArrayList<>();
            for (Package p : s.getValue()) {
                List<Findings.Finding> found = seen.computeIfAbsent(p, k -> {
                    if (Ecosystem.of(k.ecosystem()).isEmpty()) return List.of();
                    Matcher.Answer a = matcher.affecting(k.ecosystem(), k.name(), k.version());
                    return a.error() != null || a.ids().isEmpty() ? List.of() : findings.of(a.ids());
                });
                for (Findings.Finding f : found) hits.add(new Hit(f, p));
            }
            hits.sort(java.util.Comparator.comparing((Hit h) -> h.finding().score().orElse(-1.0)).reversed()
                    .thenComparing(h -> h.finding().name()));
            out.put(s.getKey(), hits);
        }
        return out;
    }
}
