package dev.millwright.vulns;

/**
 * How one ecosystem writes and orders its versions. {@link #parse} refuses what the ecosystem cannot read, so a
 * matcher answers "cannot parse" instead of guessing.
 */
public interface VersionScheme {
    /** A version of this scheme; ordered, equal when the ecosystem treats them as the same version. */
    interface Parsed extends Comparable<Parsed> {
    }

    /** @throws InvalidVersionException with the reason, for text the ecosystem does not accept as a version */
    Parsed parse(String text);

    /** The scheme's name, for messages ("PEP 440", "SemVer 2.0"). */
    String name();
}
