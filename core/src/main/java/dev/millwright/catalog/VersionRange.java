package dev.millwright.catalog;

import java.util.Objects;
import java.util.regex.Pattern;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;

/**
 * A set of versions in npm-style range syntax: {@code >=570.26}, {@code >=12.0 <13.0}, {@code 1.29 - 1.33},
 * {@code ^2.4}, alternatives joined by {@code ||}. {@code *} is every version.
 */
public final class VersionRange {
    private final String text;
    private final RangesList ranges;
    /** Exactly these versions, or null for a range in the syntax. */
    private final java.util.Set<Version> exactly;

    private VersionRange(String text, RangesList ranges, java.util.Set<Version> exactly) {
        this.text = text;
        this.ranges = ranges;
        this.exactly = exactly;
    }

    /**
     * Zeros that open a number ("580.65.06"). semver4j drops a comparator whose version has them, silently:
     * {@code >=580.65.06 <600} would mean {@code <600}. Versions parse them as numbers, so ranges do too.
     */
    private static final Pattern LEADING_ZEROS = Pattern.compile("(?<!\\d)0+(?=\\d)");

    public static final VersionRange ANY = of("*");

    /** @throws IllegalArgumentException when the text is no range */
    public static VersionRange of(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        RangesList r;
        try {
            r = RangesListFactory.create(LEADING_ZEROS.matcher(t).replaceAll(""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a version range: " + e.getMessage());
        }
        if (r == null || (r.get().isEmpty() && !t.equals("*") && !t.isEmpty())) {
            throw new IllegalArgumentException("\"" + text + "\" is not a version range");
        }
        return new VersionRange(t, r, null);
    }

    /**
     * Exactly the given versions, such as those of a pack that fix a vulnerability: they need not be contiguous
     * (a later release may bring the hole back), and vendor versions ("580.95.05") read as written.
     *
     * @throws IllegalArgumentException when there are none
     */
    public static VersionRange anyOf(java.util.Collection<Version> versions) {
        if (versions.isEmpty()) throw new IllegalArgumentException("versions: must hold at least one version");
        java.util.List<Version> sorted = versions.stream().distinct().sorted().toList();
        String text = "one of " + String.join(", ", sorted.stream().map(Version::toString).toList());
        return new VersionRange(text, null, java.util.Set.copyOf(sorted));
    }

    public boolean contains(Version v) {
        return exactly != null ? exactly.contains(v) : ranges.isSatisfiedBy(v.semver());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionRange r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
