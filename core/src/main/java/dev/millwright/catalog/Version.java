package dev.millwright.catalog;

import java.util.Objects;
import org.semver4j.Semver;

/**
 * A component's version as its vendor writes it ("570.86.15", "12.8", "v24.3.0", "1.33"), ordered as
 * semantic versions: missing minor and patch numbers count as 0 and a leading "v" is ignored. The text is
 * kept as written, for people; the order uses the parsed form.
 */
public final class Version implements Comparable<Version> {
    private final String text;
    private final Semver semver;

    private Version(String text, Semver semver) {
        this.text = text;
        this.semver = semver;
    }

    /** Digits first (after an optional "v"), up to four numbers, then an optional pre-release or build part. */
    private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile("^[vV]?\\d+(\\.\\d+){0,3}([-+~][0-9A-Za-z.+~-]*)?$");

    /** @throws IllegalArgumentException when the text holds no version number */
    public static Version of(String text) {
        Objects.requireNonNull(text, "text");
        if (!SHAPE.matcher(text.trim()).matches()) throw new IllegalArgumentException("\"" + text + "\" is not a version");
        Semver s = Semver.coerce(text.trim());
        if (s == null) throw new IllegalArgumentException("\"" + text + "\" is not a version");
        return new Version(text.trim(), s);
    }

    Semver semver() {
        return semver;
    }

    public int major() {
        return semver.getMajor();
    }

    public int minor() {
        return semver.getMinor();
    }

    public int patch() {
        return semver.getPatch();
    }

    /** By version only: "12.8" and "12.8.0" are the same version, written two ways. */
    @Override
    public int compareTo(Version o) {
        return semver.compareTo(o.semver);
    }

    /** Consistent with {@link #compareTo}: equal versions are equal however they are written. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && v.semver.compareTo(semver) == 0;
    }

    /** Over what {@link #equals} compares: build metadata ("+b1") is not part of a version's identity. */
    @Override
    public int hashCode() {
        return Objects.hash(semver.getMajor(), semver.getMinor(), semver.getPatch(), semver.getPreRelease());
    }

    @Override
    public String toString() {
        return text;
    }
}
