package dev.millwright.vulns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which advisories affect a package version, by the OSV evaluation rules: a version is affected when an
 * affected entry for its package lists it in {@code versions}, or one of its ranges holds it: walking the
 * range's events in version order, an introduced at or below the version opens it, a fixed at or below closes
 * it, a last_affected below closes it, and limit events (when present) bound the range from above. SEMVER
 * ranges are read as SemVer, ECOSYSTEM ranges in the ecosystem's order; GIT ranges need the repository's commit
 * graph, so they are left to the {@code versions} list that OSV requires with them. Withdrawn records never
 * match. Immutable once built, and safe to share between threads.
 */
public final class Matcher {
    /** One affected package of one advisory, its ranges read once. */
    private record Entry(Advisory advisory, List<Range> ranges, Set<VersionScheme.Parsed> versions, Set<String> unreadable) {
    }

    private record Range(VersionScheme scheme, List<Bound> events, List<VersionScheme.Parsed> limits) {
    }

    /** An event whose version is read; {@code at} null means "0", before every version. */
    private record Bound(Advisory.Kind kind, VersionScheme.Parsed at, String text) {
    }

    /**
     * The answer for one query: the ids of the records that affect it, sorted, or why it cannot be answered.
     *
     * @param fixedIn for each affecting record that names one, the lowest version above the query that its
     *                ranges say is fixed; a record absent here has no fixed version (last_affected, or still open)
     */
    public record Answer(List<String> ids, String error, Map<String, String> fixedIn) {
        public Answer(List<String> ids, String error) {
            this(ids, error, Map.of());
        }

        static Answer error(String why) {
            return new Answer(List.of(), why);
        }
    }

    private final Map<String, List<Entry>> byPackage = new HashMap<>();
    private final int advisories;

    public Matcher(Collection<Advisory> records) {
        int n = 0;
        for (Advisory a : records) {
            if (a.isWithdrawn()) continue;
            n++;
            for (Advisory.Affected affected : a.affected()) {
                Optional<Ecosystem> ecosystem = Ecosystem.of(affected.ecosystem());
                if (ecosystem.isEmpty()) continue; // no query can name it: refused as an unknown ecosystem
                List<Range> ranges = new ArrayList<>();
                for (Advisory.Range r : affected.ranges()) {
                    VersionScheme scheme = switch (r.type()) {
                        case SEMVER -> SemVer.INSTANCE;
                        case ECOSYSTEM -> ecosystem.get().versions();
                        case GIT -> null;
                    };
                    if (scheme != null) ranges.add(compile(r, scheme));
                }
                // listed versions are read once; one the ecosystem cannot read matches only itself, as text
                Set<VersionScheme.Parsed> listed = new HashSet<>();
                Set<String> unreadable = new HashSet<>();
                for (String v : affected.versions()) {
                    try {
                        listed.add(ecosystem.get().versions().parse(v));
                    } catch (InvalidVersionException e) {
                        unreadable.add(v);
                    }
                }
                byPackage.computeIfAbsent(key(ecosystem.get(), affected.name()), k -> new ArrayList<>())
                        .add(new Entry(a, ranges, listed, unreadable));
            }
        }
        this.advisories = n;
    }

    /** The records this matcher evaluates (withdrawn ones are not). */
    public int size() {
        return advisories;
    }

    public Answer affecting(String ecosystemName, String pkg, String version) {
        Optional<Ecosystem> ecosystem = Ecosystem.of(ecosystemName);
        if (ecosystem.isEmpty()) {
            return Answer.error("unknown ecosystem \"" + ecosystemName + "\"; known: " + String.join(", ", Ecosystem.names()));
        }
        VersionScheme.Parsed v;
        try {
            v = ecosystem.get().versions().parse(version);
        } catch (InvalidVersionException e) {
            return Answer.error(e.getMessage());
        }
        VersionScheme.Parsed asSemVer = null;
        boolean semVerTried = false;
        TreeSet<String> ids = new TreeSet<>();
        Map<String, String> fixedIn = new TreeMap<>();
        for (Entry e : byPackage.getOrDefault(key(ecosystem.get(), pkg), List.of())) {
            if (ids.contains(e.advisory().id())) continue;
            boolean hit = e.versions().contains(v) || e.unreadable().contains(version);
            // the version as each range reads it: a SEMVER range over an ecosystem with its own order needs SemVer too
            List<VersionScheme.Parsed> as = new ArrayList<>();
            for (Range r : e.ranges()) {
                if (r.scheme() != ecosystem.get().versions() && !semVerTried) {
                    semVerTried = true;
                    try {
                        asSemVer = SemVer.INSTANCE.parse(version);
                    } catch (InvalidVersionException x) {
                        asSemVer = null;
                    }
                }
                as.add(r.scheme() == ecosystem.get().versions() ? v : asSemVer);
            }
            for (int i = 0; !hit && i < e.ranges().size(); i++) hit = as.get(i) != null && inRange(as.get(i), e.ranges().get(i));
            if (!hit) continue;
            ids.add(e.advisory().id());
            fix(e, as).ifPresent(f -> fixedIn.put(e.advisory().id(), f));
        }
        return new Answer(List.copyOf(ids), null, fixedIn);
    }

    /** The lowest fixed event above the version in the entry's ranges, if any names one. */
    private static Optional<String> fix(Entry e, List<VersionScheme.Parsed> as) {
        Bound best = null;
        for (int i = 0; i < e.ranges().size(); i++) {
            VersionScheme.Parsed in = as.get(i);
            if (in == null) continue;
            for (Bound b : e.ranges().get(i).events()) {
                if (b.kind() != Advisory.Kind.FIXED || b.at().compareTo(in) <= 0) continue;
                // versions of two schemes (a SEMVER and an ECOSYSTEM range) do not compare: the first found stands
                boolean comparable = best == null || best.at().getClass() == b.at().getClass();
                if (best == null || comparable && b.at().compareTo(best.at()) < 0) best = b;
            }
        }
        return Optional.ofNullable(best).map(Bound::text);
    }

    private static boolean inRange(VersionScheme.Parsed v, Range r) {
        if (!r.limits().isEmpty() && r.limits().stream().noneMatch(limit -> limit == null || v.compareTo(limit) < 0)) return false;
        boolean affected = false;
        for (Bound b : r.events()) {
            switch (b.kind()) {
                case INTRODUCED -> {
                    if (b.at() == null || v.compareTo(b.at()) >= 0) affected = true;
                }
                case FIXED -> {
                    if (v.compareTo(b.at()) >= 0) affected = false;
                }
                case LAST_AFFECTED -> {
                    if (v.compareTo(b.at()) > 0) affected = false;
                }
                default -> { }
            }
        }
        return affected;
    }

    /** Reads the range's versions once and sorts its events by version, "0" first, as OSV evaluates them. */
    private static Range compile(Advisory.Range r, VersionScheme scheme) {
        List<Bound> events = new ArrayList<>();
        List<VersionScheme.Parsed> limits = new ArrayList<>();
        for (Advisory.Event e : r.events()) {
            if (e.kind() == Advisory.Kind.LIMIT) {
                limits.add(e.version().contains("*") ? null : scheme.parse(e.version())); // null: no limit at all
                continue;
            }
            boolean zero = e.kind() == Advisory.Kind.INTRODUCED && e.version().equals("0");
            events.add(new Bound(e.kind(), zero ? null : scheme.parse(e.version()), e.version()));
        }
        // stable: events at one version keep the record's order
        events.sort(Comparator.comparing(Bound::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        return new Range(scheme, events, limits);
    }

    private static String key(Ecosystem e, String name) {
        return e.osvName() + "\u0000" + e.packageKey(name);
    }
}
