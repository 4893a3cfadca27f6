package dev.millwright.vulns;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The OSV ecosystems Millwright can order versions in, with how each names its packages. Names are OSV's own
 * ("PyPI", "Go", "kubernetes"). Records of other ecosystems are kept, but only their explicit {@code versions}
 * lists and SEMVER ranges could ever be evaluated, so a query in one is refused as unknown instead.
 */
public enum Ecosystem {
    PYPI("PyPI", Pep440.INSTANCE),
    GO("Go", SemVer.INSTANCE),
    KUBERNETES("kubernetes", SemVer.INSTANCE),
    NPM("npm", SemVer.INSTANCE),
    CRATES_IO("crates.io", SemVer.INSTANCE);

    private final String osvName;
    private final VersionScheme versions;

    Ecosystem(String osvName, VersionScheme versions) {
        this.osvName = osvName;
        this.versions = versions;
    }

    public String osvName() {
        return osvName;
    }

    /** How an ECOSYSTEM range, a {@code versions} list and a query version of this ecosystem are read. */
    public VersionScheme versions() {
        return versions;
    }

    /**
     * The name a package is known by, for matching: PyPI names are case-insensitive with runs of "-", "_" and
     * "." the same (PEP 503); the others are exact.
     */
    public String packageKey(String name) {
        return this == PYPI ? name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") : name;
    }

    /** The ecosystem of an OSV ecosystem name; a suffix (":3.18" for Alpine, say) names a release and is dropped. */
    public static Optional<Ecosystem> of(String osvName) {
        String base = osvName == null ? "" : osvName.split(":", 2)[0];
        for (Ecosystem e : values()) if (e.osvName.equals(base)) return Optional.of(e);
        return Optional.empty();
    }

    public static List<String> names() {
        return java.util.Arrays.stream(values()).map(Ecosystem::osvName).toList();
    }
}
