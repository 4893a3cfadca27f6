package dev.millwright.control;

import java.time.Duration;
import java.util.Objects;

/**
 * What a reconcile pass asks for next. Level-triggered: a pass that returns {@link #done()} is run again
 * only when something it watches changes, or at the periodic resync.
 */
public record Result(Duration requeueAfter) {
    private static final Result DONE = new Result(Duration.ZERO);

    public Result {
        Objects.requireNonNull(requeueAfter, "requeueAfter");
        if (requeueAfter.isNegative()) throw new IllegalArgumentException("requeueAfter must not be negative");
    }

    public static Result done() {
        return DONE;
    }

    /** Run again after {@code delay}, for state that changes without a write (a timer, an outside system). */
    public static Result requeueAfter(Duration delay) {
        return new Result(delay);
    }

    public boolean isDone() {
        return requeueAfter.isZero();
    }
}
