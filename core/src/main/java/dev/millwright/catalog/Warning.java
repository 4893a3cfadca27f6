package dev.millwright.catalog;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.Objects;

/**
 * Something that does not stop a stack from working but needs a person's attention: today, a component
 * past or near its vendor's end of life.
 *
 * @param pack the pack, as "gpu-driver 535.230.02"
 * @param endOfLife the day its vendor stops fixing it
 * @param message the sentence for people
 */
public record Warning(Kind kind, String pack, LocalDate endOfLife, String message) implements Comparable<Warning> {
    /** Soonest end of life first. */
    private static final Comparator<Warning> ORDER = Comparator.comparing(Warning::endOfLife)
            .thenComparing(Warning::pack).thenComparing(Warning::kind);

    public Warning {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pack, "pack");
        Objects.requireNonNull(endOfLife, "endOfLife");
        Objects.requireNonNull(message, "message");
    }

    public enum Kind {
        /** The end of life is before today. */
        END_OF_LIFE,
        /** The end of life is today or within {@link CompatibilitySolver#END_OF_LIFE_NOTICE_DAYS} days. */
        NEAR_END_OF_LIFE
    }

    @Override
    public int compareTo(Warning o) {
        return ORDER.compare(this, o);
    }
}
