package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@link CompatibilitySolver#validate} found in a stack: every broken rule, and the warnings that do not
 * make it invalid. Both lists are sorted, so the same stack always gives the same report.
 */
public record StackValidation(List<Conflict> conflicts, List<Warning> warnings) {
    public StackValidation {
        conflicts = sorted(conflicts);
        warnings = sorted(warnings);
    }

    /** True when no rule is broken; warnings do not count. */
    public boolean compatible() {
        return conflicts.isEmpty();
    }

    private static <T extends Comparable<T>> List<T> sorted(List<T> items) {
        List<T> copy = new ArrayList<>(items);
        Collections.sort(copy);
        return List.copyOf(copy);
    }
}
