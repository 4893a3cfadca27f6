package dev.millwright.infra.redfish;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a read of a BMC could not find or had to guess: optional resources that were absent, and warnings (a value
 * taken from a fallback, a device left out of the GPU count and why). Kept in the order found, without repeats.
 */
final class Notes {
    private final Set<String> missing = new LinkedHashSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    void missing(String what) {
        missing.add(what);
    }

    void warn(String what) {
        warnings.add(what);
    }

    List<String> missing() {
        return List.copyOf(missing);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
