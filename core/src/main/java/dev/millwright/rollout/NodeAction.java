package dev.millwright.rollout;

import java.time.Duration;

/**
 * One effect a rollout pass asks for on one node, carried out through the infrastructure port.
 *
 * @param pack the pack to install or remove, else null
 * @param version the version to install, else null
 * @param length the drain's grace period or the health check's length, else null
 */
public record NodeAction(String machine, Kind kind, String pack, String version, Duration length) {
    public enum Kind { CORDON, DRAIN, INSTALL, REMOVE, VALIDATE, UNCORDON }

    /** The operation kind the port names it with ("install:gpu-driver@580.95.05"), so that one in flight can be found again after a crash. */
    public String operationKind() {
        return switch (kind) {
            case CORDON -> "cordon";
            case DRAIN -> "drain";
            case INSTALL -> "install:" + pack + "@" + version;
            case REMOVE -> "remove:" + pack;
            case VALIDATE -> "burn-in";
            case UNCORDON -> "uncordon";
        };
    }
}
