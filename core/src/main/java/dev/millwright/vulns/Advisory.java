package dev.millwright.vulns;

import java.util.List;
import java.util.Objects;

/**
 * One OSV record, as imported: who it is (its id and aliases), what it says, how severe it is, and which
 * package versions it affects.
 *
 * @param withdrawn when the record was withdrawn (it never matches then), or null
 * @param severity the record's severity entries, and those of its affected packages
 */
public record Advisory(String id, List<String> aliases, String summary, String published, String modified, String withdrawn,
                       List<Severity> severity, List<Affected> affected) {
    public Advisory {
        Objects.requireNonNull(id, "id");
        aliases = List.copyOf(aliases);
        severity = List.copyOf(severity);
        affected = List.copyOf(affected);
    }

    /** A CVSS vector ({@code CVSS_V3}, {@code CVSS_V4}) or an ecosystem's own rating. */
    public record Severity(String type, String score) {
    }

    /**
     * One affected package.
     *
     * @param ecosystem OSV's ecosystem name as written ("PyPI", "Go", "kubernetes", "Debian:12")
     * @param versions the explicitly listed affected versions
     */
    public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions) {
        public Affected {
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
        }
    }

    /** One range of versions, as a timeline of events. */
    public record Range(Type type, String repo, List<Event> events) {
        public Range {
            events = List.copyOf(events);
        }
    }

    public enum Type { SEMVER, ECOSYSTEM, GIT }

    /** One event; exactly one kind per event, as OSV requires. */
    public record Event(Kind kind, String version) {
    }

    public enum Kind { INTRODUCED, FIXED, LAST_AFFECTED, LIMIT }

    public boolean isWithdrawn() {
        return withdrawn != null;
    }
}
