package dev.millwright.catalog;

import java.util.Comparator;
import java.util.Objects;

/**
 * One broken rule in a stack, explained in one sentence that names both sides and the rule.
 *
 * @param rule which kind of rule is broken
 * @param pack the pack whose rule is broken, as "cuda 12.8"
 * @param other the other side: a pack ("gpu-driver 550.54.15"), the name of a missing pack ("cuda"), or a GPU model
 * @param message the sentence for people, with the reason the catalog gives for the rule
 */
public record Conflict(Rule rule, String pack, String other, String message) implements Comparable<Conflict> {
    /** Conflicts come out grouped by rule, then by pack, so a report reads the same on every run. */
    private static final Comparator<Conflict> ORDER = Comparator.comparing(Conflict::rule)
            .thenComparing(Conflict::pack).thenComparing(Conflict::other).thenComparing(Conflict::message);

    public Conflict {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(pack, "pack");
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(message, "message");
    }

    /** The kinds of rule a stack can break, in the order reports list them. */
    public enum Rule {
        /** The stack holds two versions of one pack. */
        DUPLICATE,
        /** A pack requires another that the stack does not hold. */
        MISSING,
        /** A pack requires another in a version range, and the stack holds a version outside it. */
        REQUIRES,
        /** A pack rules out versions of another, and the stack holds one of them. */
        CONFLICTS,
        /** A pack does not support one of the target's GPU models. */
        GPU_MODEL
    }

    @Override
    public int compareTo(Conflict o) {
        return ORDER.compare(this, o);
    }
}
