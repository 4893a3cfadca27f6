package dev.millwright.infra.twin;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The twin's clock: it moves only when the simulation advances it. */
public final class VirtualClock extends Clock {
    private final Instant epoch;
    private volatile long nanos;

    public VirtualClock(Instant epoch) {
        this.epoch = epoch;
    }

    @Override
    public Instant instant() {
        return epoch.plusNanos(nanos);
    }

    /** Nanoseconds since the epoch of the simulation. */
    public long nanos() {
        return nanos;
    }

    void set(long nanos) {
        if (nanos < this.nanos) throw new IllegalStateException("the virtual clock cannot go backwards");
        this.nanos = nanos;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the virtual clock is UTC");
    }
}
