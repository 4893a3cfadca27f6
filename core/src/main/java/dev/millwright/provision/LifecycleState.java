package dev.millwright.provision;

/**
 * Where a machine is between the loading dock and production, modelled on Metal3's BareMetalHost provisioning
 * states (registering, inspecting, available, provisioning, provisioned, deprovisioning) and MAAS's (New,
 * Commissioning, Testing, Ready, Deploying, Deployed, Failed, Broken), with a burn-in of its own and a Joined state
 * for a node of a cluster; and, for Day-2, Ironic's and MAAS's ways out of service: a node is drained before
 * maintenance or retirement, and a retired one is gone for good.
 */
public enum LifecycleState {
    /** Known from the manifest; nothing was done yet (or it waits for a BMC network slot). */
    REGISTERED("Registered"),
    /** Powered on and booted into inspection: the hardware is read and compared with what was ordered. */
    INSPECTING("Inspecting"),
    /** The burn-in: the profile's gates, one after another (or waiting for the rack's power budget). */
    VALIDATING("Validating"),
    /** Passed every gate; waits for the image server. */
    AVAILABLE("Available"),
    /** The operating system image is being installed. */
    PROVISIONING("Provisioning"),
    /** Installed; joining its cluster. */
    DEPLOYED("Deployed"),
    /** A node of its pool's cluster: done. */
    JOINED("Joined"),
    /** Cordoned; its work checkpoints or moves, then it is drained, before maintenance or retirement (or back to Joined). */
    DRAINING("Draining"),
    /** Out of service by an operator's choice: cordoned and empty, powered as the operator asked. */
    MAINTENANCE("Maintenance"),
    /** Gone for good: out of its pool, powered off, released; never provisioned again unless registered anew. */
    RETIRED("Retired"),
    /** Could not be driven (BMC unreachable, credentials refused, a step that kept failing or timing out); says why. */
    FAILED("Failed"),
    /** The hardware failed a gate; held out of every cluster with the evidence. */
    QUARANTINED("Quarantined");

    private final String wire;

    LifecycleState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Nothing more happens to a machine in this state without an operator. */
    public boolean settled() {
        return this == JOINED || this == MAINTENANCE || this == RETIRED || this == FAILED || this == QUARANTINED;
    }

    /** A Day-2 state, entered only by an operator's ask: the dock leaves such a machine alone. */
    public boolean dayTwo() {
        return this == DRAINING || this == MAINTENANCE || this == RETIRED;
    }

    public static LifecycleState of(String wire) {
        for (LifecycleState s : values()) if (s.wire.equals(wire)) return s;
        throw new IllegalArgumentException("unknown lifecycle state " + wire);
    }
}
