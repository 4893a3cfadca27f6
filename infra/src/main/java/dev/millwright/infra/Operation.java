package dev.millwright.infra;

import java.time.Instant;

/**
 * Something that takes time on a machine: power, install, burn-in, a layer, a drain, a workload start.
 *
 * @param kind what it does ("power-on", "install", "burn-in", "install:gpu-driver@570.172.08", "drain", ...)
 * @param message why it failed, or what it is doing
 * @param finished null while running
 * @param refused it failed for a reason that asking again cannot change (the BMC refused the credentials): callers
 *                fail at once with the message instead of retrying; false for every other failure (a timeout, a 5xx)
 */
public record Operation(String id, String machine, String kind, State state, String message, Instant started,
                        Instant finished, boolean refused) {
    public enum State { RUNNING, SUCCEEDED, FAILED }

    /** An operation that, if it fails, may succeed when asked again. */
    public Operation(String id, String machine, String kind, State state, String message, Instant started, Instant finished) {
        this(id, machine, kind, state, message, started, finished, false);
    }

    public boolean done() {
        return state != State.RUNNING;
    }
}
