package dev.millwright.catalog;

import dev.millwright.catalog.Pack.Requirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The solver's sentences for "no stack exists": a name the catalog cannot fill, or the dead end where the
 * rules left a name without a candidate. Each names the packs and the rule, reusing {@link Rules}'s words.
 */
final class Reasons {
    private Reasons() {
    }

    /**
     * A name's candidates, newest first: its catalog versions within {@code within} that run on every GPU model and
     * whose requirements stay among the {@code requested} names. When none is left, adds the reason and returns an
     * empty list.
     *
     * @param within the pin or target; null for none
     * @param what how messages call {@code within}: "pin", "target"
     */
    static List<Pack> candidates(String name, List<Pack> versions, VersionRange within, String what,
                                 Set<String> gpuModels, Set<String> requested, List<String> reasons) {
        if (versions.isEmpty()) {
            reasons.add("the catalog has no pack named " + name);
            return List.of();
        }
        List<Pack> inRange = within == null ? versions
                : versions.stream().filter(p -> within.contains(p.version())).toList();
        if (inRange.isEmpty()) {
            reasons.add("no " + name + " version in the catalog is within the " + what + " " + within
                    + "; the catalog has " + span(versions));
            return List.of();
        }
        List<Pack> supported = inRange.stream().filter(p -> Rules.supports(p, gpuModels)).toList();
        if (supported.isEmpty()) {
            reasons.add("no " + name + " version" + (within == null ? "" : " within the " + what + " " + within)
                    + " supports every target GPU model (" + String.join(", ", new TreeSet<>(gpuModels)) + ")");
            return List.of();
        }
        List<Pack> complete = supported.stream().filter(p -> absent(p, requested).isEmpty()).toList();
        if (complete.isEmpty()) {
            TreeSet<String> missing = new TreeSet<>();
            for (Pack p : supported) absent(p, requested).forEach(r -> missing.add(r.pack()));
            Pack newest = supported.get(0);
            reasons.add("every " + name + " version left requires a pack that was not requested ("
                    + String.join(", ", missing) + "); for example, "
                    + Rules.missing(newest, absent(newest, requested).get(0)).message());
        }
        return complete;
    }

    /** The requirements of p on names outside the request. */
    static List<Requirement> absent(Pack p, Set<String> requested) {
        List<Requirement> out = new ArrayList<>();
        for (Requirement r : p.requires()) {
            if (!r.pack().equals(p.name()) && !requested.contains(r.pack())) out.add(r);
        }
        return out;
    }

    /**
     * Why a group of names has no solution. A dead end before any choice means the rules alone, with the pins,
     * exclude every candidate of one name; later, it is the deepest point the exhaustive search reached.
     *
     * @param notes per name, what narrowed it by request ("pinned to >=1.36")
     */
    static String noSolution(Problem p, int[] group, Search.DeadEnd end, Map<String, String> notes) {
        String why = deadEnd(p, end, notes);
        if (end.depth() == 0) return why;
        String names = Arrays.stream(group).mapToObj(p.names::get).collect(Collectors.joining(", "));
        return "no combination of " + names + " is compatible, and every one was tried; the deepest dead end: " + why;
    }

    private static String deadEnd(Problem p, Search.DeadEnd end, Map<String, String> notes) {
        int j = end.emptied();
        int k = end.against();
        List<String> chosen = new ArrayList<>();
        for (int v = 0; v < p.size(); v++) {
            if (end.chosen()[v] >= 0 && v != j && v != k) chosen.add(p.pack(v, end.chosen()[v]).id());
        }
        String prefix = chosen.isEmpty() ? "" : "with " + String.join(", ", chosen) + " chosen, ";
        String them = (end.againstDomain().cardinality() == 1 ? "" : "any of ") + describe(p, k, end.againstDomain(), notes);
        String core = end.before().cardinality() == 1
                ? describe(p, j, end.before(), notes) + " is not compatible with " + them
                : "none of " + describe(p, j, end.before(), notes) + " is compatible with " + them;
        Pack newest = p.pack(j, end.before().nextSetBit(0));
        Pack other = p.pack(k, end.againstDomain().nextSetBit(0));
        List<Conflict> example = Rules.between(newest, other);
        return prefix + core + (example.isEmpty() ? "" : "; for example, " + example.get(0).message());
    }

    /** "kubernetes 1.34.0 to 1.36.2 (3 versions, pinned to >=1.34)", or "kubernetes 1.36.2". */
    static String describe(Problem p, int v, BitSet domain, Map<String, String> notes) {
        String name = p.names.get(v);
        String note = notes.get(name);
        int count = domain.cardinality();
        if (count == 1) {
            return p.pack(v, domain.nextSetBit(0)).id() + (note == null ? "" : " (" + note + ")");
        }
        Pack newest = p.pack(v, domain.nextSetBit(0));
        Pack oldest = p.pack(v, domain.previousSetBit(domain.length() - 1));
        return name + " " + oldest.version() + " to " + newest.version() + " (" + count + " versions"
                + (note == null ? "" : ", " + note) + ")";
    }

    /** "cuda 11.8 to 13.1" for a name's versions, newest first. */
    static String span(List<Pack> versions) {
        Pack newest = versions.get(0);
        Pack oldest = versions.get(versions.size() - 1);
        return versions.size() == 1 ? newest.id() : newest.name() + " " + oldest.version() + " to " + newest.version();
    }
}
