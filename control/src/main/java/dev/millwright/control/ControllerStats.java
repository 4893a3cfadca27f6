package dev.millwright.control;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one controller, read by the metrics endpoint. */
public final class ControllerStats {
    final AtomicLong reconciles = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong terminalErrors = new AtomicLong();
    volatile WorkQueue queue;

    public long reconciles() {
        return reconciles.get();
    }

    public long errors() {
        return errors.get();
    }

    public long terminalErrors() {
        return terminalErrors.get();
    }

    /** Keys waiting to be reconciled; 0 when this replica does not lead. */
    public int queueDepth() {
        WorkQueue q = queue;
        return q == null ? 0 : q.depth();
    }
}
