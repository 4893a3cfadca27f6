package dev.millwright.provision;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a machine's way from the dock to its cluster, carried out by one operation of the infrastructure
 * port. A machine's steps are fixed by its batch ({@link DockSettings#plan()}); its progress is the index of the
 * step it is at, so a step that completed is never asked for again.
 *
 * @param state the machine's state while the step runs
 * @param waiting the machine's state while it waits for the step's {@link Limit}
 * @param gate the gate it judges (checks of the burn-in), or null
 * @param argument the image to install, or the Kubernetes version to join with; else null
 * @param nominal how long the step takes on a healthy machine: for timeouts and estimates
 */
public record Step(Kind kind, LifecycleState state, LifecycleState waiting, Limit limit, Gate gate, String argument, Duration nominal) {
    /** What a step does. */
    public enum Kind { POWER_ON, INSPECT, CHECK, INSTALL, JOIN }

    /** A step may run this many times its nominal length before it counts as failed. */
    static final int TIMEOUT_FACTOR = 3;
    /** ...but never less than this: a short check on a slow BMC is not a failure. */
    static final Duration MIN_TIMEOUT = Duration.ofMinutes(10);

    public Step {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(nominal, "nominal");
        if (kind == Kind.CHECK) Objects.requireNonNull(gate, "gate");
    }

    /** The operation kind the port names it with, so that one asked for before a crash is found again. */
    public String operationKind() {
        return switch (kind) {
            case POWER_ON -> "power-on";
            case INSPECT -> "check:inspect";
            case CHECK -> "check:" + gate.portCheck();
            case INSTALL -> "install";
            case JOIN -> "install:kubernetes@" + argument;
        };
    }

    /** How people read it: "power on", "DCGM r3", "install ubuntu-24.04". */
    public String title() {
        return switch (kind) {
            case POWER_ON -> "power on";
            case INSPECT -> "inspect";
            case CHECK -> gate.title();
            case INSTALL -> "install " + argument;
            case JOIN -> "join (kubernetes " + argument + ")";
        };
    }

    public Duration timeout() {
        Duration t = nominal.multipliedBy(TIMEOUT_FACTOR);
        return t.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : t;
    }
}
