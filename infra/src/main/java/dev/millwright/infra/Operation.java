package dev.millwright.infra;

import java.time.Instant;

/**
 * Something that takes time on a machine: power, install, burn-in, a layer, a drain, a workload start.
 *
 * @param kind what it does ("power-on", "install", "burn-in", "install:gpu-driver@570.172.08", "drain", ...)
 * @param message why it failed, or what it is doing
 * @param finished null while running
 */
public record Operation(String id, String machine, String kind, State state, String message, Instant started,
                        Instant finished) {
    public enum State { RUNNING, SUCCEEDED, FAILED }

    public boolean done() {
        return state != State.RUNNING;
    }
}
