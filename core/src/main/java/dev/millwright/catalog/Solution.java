package dev.millwright.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The answer of a search over the catalog: a compatible stack, or the reasons none exists. */
public sealed interface Solution {
    /** The stack, when one was found. */
    Optional<Stack> found();

    /**
     * A compatible stack, with the end-of-life warnings for its packs.
     *
     * @param warnings sorted, soonest end of life first
     */
    record Found(Stack stack, List<Warning> warnings) implements Solution {
        public Found {
            Objects.requireNonNull(stack, "stack");
            warnings = List.copyOf(warnings);
        }

        @Override
        public Optional<Stack> found() {
            return Optional.of(stack);
        }
    }

    /**
     * No stack meets the request; the search was exhaustive, so none exists in this catalog.
     *
     * @param reasons one sentence each, the tightest the solver could name, never empty
     */
    record Unsolvable(List<String> reasons) implements Solution {
        public Unsolvable {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) throw new IllegalArgumentException("an unsolvable answer needs a reason");
        }

        @Override
        public Optional<Stack> found() {
            return Optional.empty();
        }
    }
}
