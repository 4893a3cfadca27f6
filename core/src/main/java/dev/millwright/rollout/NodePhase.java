package dev.millwright.rollout;

/**
 * Where one node is in a rollout, as its status says at every moment: a node is Upgraded only once it runs the
 * target, passed its GPU health check and takes work again; never while anything on it is still changing.
 */
public enum NodePhase {
    /** Not touched yet: runs the version the environment ran. */
    PENDING("Pending"),
    CORDONING("Cordoning"),
    /** Cordoned; its jobs are checkpointing and its services moving elsewhere. */
    WAITING_FOR_JOBS("WaitingForJobs"),
    DRAINING("Draining"),
    /** Packs change, one at a time (toward the previous version when rolling back). */
    UPGRADING("Upgrading"),
    /** The GPU health check runs. */
    VALIDATING("Validating"),
    UNCORDONING("Uncordoning"),
    /** Runs the target, healthy, in service. */
    UPGRADED("Upgraded"),
    /** Runs the previous version again, in service: its upgrade failed, or the rollout was aborted. */
    ROLLED_BACK("RolledBack"),
    /** Left out of service for a person: it could not be upgraded nor rolled back, or it was lost. */
    FAILED("Failed");

    private final String wire;

    NodePhase(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static NodePhase of(String wire) {
        for (NodePhase p : values()) if (p.wire.equals(wire)) return p;
        throw new IllegalArgumentException("unknown node phase " + wire);
    }

    /** Out of service and being worked on. */
    public boolean active() {
        return this != PENDING && this != UPGRADED && this != ROLLED_BACK && this != FAILED;
    }

    /** In service now (when healthy): not yet touched, or done. */
    public boolean inService() {
        return this == PENDING || this == UPGRADED || this == ROLLED_BACK;
    }
}
