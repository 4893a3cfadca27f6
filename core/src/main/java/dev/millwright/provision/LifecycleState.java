package dev.millwright.provision;

/**
 * Where a machine is between the loading dock and production, modelled on Metal3's BareMetalHost provisioning
 * states (registering, inspecting, available, provisioning, provisioned, deprovisioning) and MAAS's (New,
 * Commissioning, Testing, Ready, Deploying, Deployed, Failed, Broken), with a burn-in of its own and a Joined state
 * for a node of a cluster.
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
    /** Work is leaving it before maintenance or retirement. */
    DRAINING("Draining"),
    /** Out of service by an operator's choice. */
    MAINTENANCE("Maintenance"),
    /** Gone for good. */
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

    public static LifecycleState of(String wire) {
        for (LifecycleState s : values()) if (s.wire.equals(wire)) return s;
        throw new IllegalArgumentException("unknown lifecycle state " + wire);
    }
}
