package dev.millwright.vulns;

/** A version string its ecosystem cannot read. */
public final class InvalidVersionException extends IllegalArgumentException {
    public InvalidVersionException(String version, String scheme, String why) {
        super("\"" + version + "\" is not a " + scheme + " version: " + why);
    }
}
