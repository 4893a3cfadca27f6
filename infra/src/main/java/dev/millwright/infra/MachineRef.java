package dev.millwright.infra;

import java.util.Objects;

/**
 * How to reach one machine.
 *
 * @param bmcEndpoint {@code https://...} for Redfish, {@code twin://<profile>} for the digital twin
 * @param credentialsRef the name of the secret with the BMC credentials (null when none are needed)
 */
public record MachineRef(String name, String bmcEndpoint, String credentialsRef) {
    public MachineRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bmcEndpoint, "bmcEndpoint");
    }
}
