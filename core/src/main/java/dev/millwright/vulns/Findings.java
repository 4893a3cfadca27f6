package dev.millwright.vulns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Records that describe one vulnerability under several names (a CVE, its GHSA, a PYSEC, a GO id) made into one
 * finding. Two records are the same vulnerability when one names the other, or both name a third, in their ids
 * and aliases (transitively).
 */
public final class Findings {
    /**
     * One vulnerability.
     *
     * @param name the CVE id when there is one, else the first id in order
     * @param ids every id and alias it is known by, sorted
     * @param records the records that describe it
     * @param score the highest CVSS v3 base score among them, if any
     */
    public record Finding(String name, List<String> ids, List<Advisory> records, Optional<Double> score) {
        public Optional<Cvss.Rating> rating() {
            return score.map(Cvss::rating);
        }
    }

    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, Advisory> byId = new HashMap<>();

    public Findings(Collection<Advisory> advisories) {
        for (Advisory a : advisories) {
            byId.put(a.id(), a);
            find(a.id());
            for (String alias : a.aliases()) union(a.id(), alias);
        }
    }

    /** The findings the given record ids make, each vulnerability once, most severe first. */
    public List<Finding> of(Collection<String> recordIds) {
        Map<String, List<Advisory>> groups = new LinkedHashMap<>();
        for (String id : new TreeSet<>(recordIds)) {
            Advisory a = byId.get(id);
            if (a != null) groups.computeIfAbsent(find(id), k -> new ArrayList<>()).add(a);
        }
        List<Finding> out = new ArrayList<>();
        for (List<Advisory> records : groups.values()) {
            TreeSet<String> ids = new TreeSet<>();
            for (Advisory a : records) {
                ids.add(a.id());
                ids.addAll(a.aliases());
            }
            String name = ids.stream().filter(i -> i.startsWith("CVE-")).findFirst().orElse(ids.first());
            Optional<Double> score = records.stream().map(Cvss::highest).flatMap(Optional::stream).max(Double::compare);
            out.add(new Finding(name, List.copyOf(ids), List.copyOf(records), score));
        }
        out.sort(Comparator.comparing((Finding f) -> f.score().orElse(-1.0)).reversed().thenComparing(Finding::name));
        return out;
    }

    private String find(String id) {
        String p = parent.computeIfAbsent(id, k -> k);
        if (p.equals(id)) return id;
        String root = find(p);
        parent.put(id, root);
        return root;
    }

    private void union(String a, String b) {
        String ra = find(a);
        String rb = find(b);
        if (!ra.equals(rb)) parent.put(ra, rb);
    }
}
