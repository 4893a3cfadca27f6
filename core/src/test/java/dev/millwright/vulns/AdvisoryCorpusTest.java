package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every record of the real advisory corpus (src/test/resources/vulns: PyPA, Go, the Kubernetes feed, vLLM)
 * against a table of cases derived from the records themselves: every version they list, and every version
 * their range events name. What each case should be is worked out independently of the matcher's timeline walk:
 * a range becomes the union of half-open intervals [introduced, fixed), closed ones [introduced, last_affected]
 * and open-ended ones [introduced, ...), and a version is affected when it is listed or falls in one. The two
 * must never disagree.
 */
class AdvisoryCorpusTest {
    private record Case(Advisory advisory, String ecosystem, String pkg, String version, boolean affected) {
    }

    private record Interval(VersionScheme.Parsed from, VersionScheme.Parsed to, boolean toInclusive) {
        boolean contains(VersionScheme.Parsed v) {
            if (from != null && v.compareTo(from) < 0) return false;
            if (to == null) return true;
            int c = v.compareTo(to);
            return toInclusive ? c <= 0 : c < 0;
        }
    }

    /** Listed versions read once: the torch records list hundreds. */
    private static final java.util.Map<String, Optional<VersionScheme.Parsed>> READ = new java.util.HashMap<>();

    @Test
    void everyRecordReadsAndTheMatcherAgreesWithEveryCaseItsRangesAndListsImply() throws URISyntaxException {
        Path corpus = Path.of(getClass().getResource("/vulns").toURI());
        OsvFiles.Result read = OsvFiles.read(corpus);
        assertThat(read.problems()).as("records that could not be read").isEmpty();
        assertThat(read.advisories()).hasSizeGreaterThan(500);
        Matcher matcher = new Matcher(read.advisories());

        List<Case> cases = new ArrayList<>();
        for (Advisory a : read.advisories()) {
            if (a.isWithdrawn()) continue;
            for (Advisory.Affected affected : a.affected()) {
                Optional<Ecosystem> ecosystem = Ecosystem.of(affected.ecosystem());
                if (ecosystem.isEmpty()) continue;
                List<String> versions = new ArrayList<>(affected.versions());
                for (Advisory.Range r : affected.ranges()) {
                    if (r.type() == Advisory.Type.GIT) continue;
                    r.events().forEach(e -> {
                        if (!e.version().equals("0") && !e.version().contains("*")) versions.add(e.version());
                    });
                }
                for (String v : versions) {
                    VersionScheme.Parsed parsed;
                    try {
                        parsed = ecosystem.get().versions().parse(v);
                    } catch (InvalidVersionException e) {
                        continue; // a version its own ecosystem cannot read is no case for it
                    }
                    cases.add(new Case(a, affected.ecosystem(), affected.name(), v, expected(a, ecosystem.get(), affected.name(), v, parsed)));
                }
            }
        }

        List<String> disagreements = new ArrayList<>();
        long affectedCases = 0;
        for (Case c : cases) {
            Matcher.Answer answer = matcher.affecting(c.ecosystem(), c.pkg(), c.version());
            boolean says = answer.error() == null && answer.ids().contains(c.advisory().id());
            if (c.affected()) affectedCases++;
            if (says != c.affected()) {
                disagreements.add(c.advisory().id() + " " + c.ecosystem() + " " + c.pkg() + " " + c.version() + ": expected "
                        + (c.affected() ? "affected" : "not affected") + (answer.error() == null ? "" : " (" + answer.error() + ")"));
            }
        }
        System.out.printf("advisory corpus: %d records, %d cases (%d affected, %d not), %d disagreements%n",
                read.advisories().size(), cases.size(), affectedCases, cases.size() - affectedCases, disagreements.size());
        assertThat(cases).hasSizeGreaterThan(2000);
        assertThat(affectedCases).isPositive().isLessThan(cases.size());
        assertThat(disagreements).isEmpty();
    }

    /** Whether the record affects the version, by intervals: listed, or inside one of its ranges' intervals. */
    private static boolean expected(Advisory a, Ecosystem ecosystem, String pkg, String text, VersionScheme.Parsed v) {
        for (Advisory.Affected affected : a.affected()) {
            if (!Ecosystem.of(affected.ecosystem()).equals(Optional.of(ecosystem))
                    || !ecosystem.packageKey(affected.name()).equals(ecosystem.packageKey(pkg))) {
                continue;
            }
            for (String listed : affected.versions()) {
                if (listed.equals(text)) return true;
                VersionScheme.Parsed p = READ.computeIfAbsent(ecosystem.osvName() + " " + listed, k -> {
                    try {
                        return Optional.of(ecosystem.versions().parse(listed));
                    } catch (InvalidVersionException e) {
                        return Optional.empty(); // compared as text above
                    }
                }).orElse(null);
                if (p != null && p.compareTo(v) == 0) return true;
            }
            for (Advisory.Range r : affected.ranges()) {
                if (r.type() == Advisory.Type.GIT || r.events().stream().anyMatch(e -> e.kind() == Advisory.Kind.LIMIT)) continue;
                VersionScheme scheme = r.type() == Advisory.Type.SEMVER ? SemVer.INSTANCE : ecosystem.versions();
                VersionScheme.Parsed in = v;
                if (scheme != ecosystem.versions()) {
                    try {
                        in = scheme.parse(text);
                    } catch (InvalidVersionException e) {
                        continue;
                    }
                }
                for (Interval interval : intervals(r, scheme)) if (interval.contains(in)) return true;
            }
        }
        return false;
    }

    private static List<Interval> intervals(Advisory.Range r, VersionScheme scheme) {
        record Point(Advisory.Kind kind, VersionScheme.Parsed at) {
        }
        List<Point> points = new ArrayList<>();
        for (Advisory.Event e : r.events()) points.add(new Point(e.kind(), e.version().equals("0") ? null : scheme.parse(e.version())));
        points.sort(Comparator.comparing(Point::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<Interval> out = new ArrayList<>();
        VersionScheme.Parsed open = null;
        boolean isOpen = false;
        for (Point p : points) {
            if (p.kind() == Advisory.Kind.INTRODUCED && !isOpen) {
                open = p.at();
                isOpen = true;
            } else if (p.kind() != Advisory.Kind.INTRODUCED && isOpen) {
                out.add(new Interval(open, p.at(), p.kind() == Advisory.Kind.LAST_AFFECTED));
                isOpen = false;
            }
        }
        if (isOpen) out.add(new Interval(open, null, false));
        return out;
    }
}
