package dev.millwright.vulns;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic Versioning 2.0 precedence (semver.org, section 11): numeric major.minor.patch, then a version with a
 * pre-release sorts before the release, pre-release identifiers compare one by one (numeric ones as numbers and
 * below alphanumeric ones), and build metadata is ignored. A leading "v" is accepted, as Go and Kubernetes write
 * versions. Go's pseudo-versions ({@code v0.0.0-20210101000000-abcdef123456}) and {@code +incompatible} are
 * ordinary SemVer and order as Go intends. Numbers are compared as digit strings, so no size overflows.
 *
 * <p>Not semver4j (which the catalog uses for its own versions): it refuses valid versions whose numbers pass an
 * int (3000000000.0.0) and throws NumberFormatException comparing long numeric pre-release identifiers, and
 * advisories and queries come from outside.
 */
public final class SemVer implements VersionScheme {
    public static final SemVer INSTANCE = new SemVer();

    private static final String NUMBER = "0|[1-9]\\d*";
    private static final String IDENTIFIER = "0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*";
    private static final Pattern FORM = Pattern.compile("v?(" + NUMBER + ")\\.(" + NUMBER + ")\\.(" + NUMBER + ")"
            + "(?:-((?:" + IDENTIFIER + ")(?:\\.(?:" + IDENTIFIER + "))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    private SemVer() {
    }

    @Override
    public String name() {
        return "SemVer 2.0";
    }

    @Override
    public Parsed parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) throw new InvalidVersionException(text, name(), "expected MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return new Version(m.group(1), m.group(2), m.group(3), pre);
    }

    record Version(String major, String minor, String patch, List<String> pre) implements Parsed {
        @Override
        public int compareTo(Parsed other) {
            Version o = (Version) other;
            int c = numeric(major, o.major);
            if (c == 0) c = numeric(minor, o.minor);
            if (c == 0) c = numeric(patch, o.patch);
            if (c != 0) return c;
            if (pre.isEmpty() || o.pre.isEmpty()) return Boolean.compare(pre.isEmpty(), o.pre.isEmpty());
            for (int i = 0; i < Math.min(pre.size(), o.pre.size()); i++) {
                c = identifier(pre.get(i), o.pre.get(i));
                if (c != 0) return c;
            }
            return Integer.compare(pre.size(), o.pre.size());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Version v && compareTo(v) == 0;
        }

        @Override
        public int hashCode() {
            return List.of(major, minor, patch, new ArrayList<>(pre)).hashCode();
        }
    }

    /** Digit strings without leading zeros: the longer is larger, else they compare as text. */
    static int numeric(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static int identifier(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) return numeric(a, b);
        if (an != bn) return an ? -1 : 1; // numeric identifiers have lower precedence
        return a.compareTo(b); // ASCII order
    }
}
