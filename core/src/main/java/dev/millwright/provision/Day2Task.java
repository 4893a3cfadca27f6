package dev.millwright.provision;

import java.time.Duration;

/**
 * One task of a Day-2 transition: taking a joined node out of service (cordon, wait for its work, drain), powering it
 * as the operator asked, retiring it, or bringing it back (power on, uncordon). Each but {@link #WAIT} is one
 * operation of the infrastructure port, named by its operation kind so that one asked for before a crash is found
 * again; {@code WAIT} only lets the node's jobs checkpoint and its services' replicas move.
 */
public enum Day2Task {
    CORDON("cordon", "cordon", Duration.ofMinutes(1)),
    WAIT("wait", null, Duration.ZERO),
    DRAIN("drain", "drain", Duration.ofMinutes(5)),
    POWER_OFF("power-off", "power-off", Duration.ofMinutes(2)),
    POWER_ON("power-on", "power-on", Duration.ofMinutes(4)),
    UNCORDON("uncordon", "uncordon", Duration.ofMinutes(1));

    private final String wire;
    private final String operationKind;
    private final Duration nominal;

    Day2Task(String wire, String operationKind, Duration nominal) {
        this.wire = wire;
        this.operationKind = operationKind;
        this.nominal = nominal;
    }

    public String wire() {
        return wire;
    }

    /** The port's operation kind, or null for {@link #WAIT}. */
    public String operationKind() {
        return operationKind;
    }

    /** How people read it: "wait for work to leave", "power off". */
    public String title() {
        return this == WAIT ? "wait for work to leave" : wire.replace('-', ' ');
    }

    /**
     * How long it may run before it counts as failed: as a dock step, {@link Step#TIMEOUT_FACTOR} times its nominal
     * length (a drain's includes the grace its work is given), never less than {@link Step#MIN_TIMEOUT}.
     */
    public Duration timeout(Duration grace) {
        Duration t = (this == DRAIN ? nominal.plus(grace) : nominal).multipliedBy(Step.TIMEOUT_FACTOR);
        return t.compareTo(Step.MIN_TIMEOUT) < 0 ? Step.MIN_TIMEOUT : t;
    }

    public static Day2Task of(String wire) {
        for (Day2Task t : values()) if (t.wire.equals(wire)) return t;
        throw new IllegalArgumentException("unknown Day-2 task " + wire);
    }
}
