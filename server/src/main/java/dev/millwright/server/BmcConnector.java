package dev.millwright.server;

import dev.millwright.infra.CredentialsException;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.redfish.BmcConnection;
import dev.millwright.infra.redfish.RedfishInfrastructure;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ResourceKey;
import dev.millwright.secrets.SecretReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the server reaches a machine's BMC: its endpoint, and what the PlatformSecret its {@code credentialsRef}
 * names holds: {@code username} and {@code password}, and optionally {@code caCertificate} (PEM, for a BMC whose
 * certificate a private CA signed) or {@code insecure: "true"} (labs). Values are read when a machine is
 * enrolled, never kept beyond its connection, and never logged.
 */
final class BmcConnector implements RedfishInfrastructure.Connector {
    private final SecretReader secrets;

    BmcConnector(SecretReader secrets) {
        this.secrets = secrets;
    }

    @Override
    public BmcConnection connection(MachineRef machine) {
        BmcConnection c = BmcConnection.of(machine.bmcEndpoint());
        String ref = machine.credentialsRef();
        if (ref == null || ref.isBlank()) return c;
        ResourceKey key = ResourceKey.platform(dev.millwright.secrets.SecretKinds.PLATFORM_SECRET, ref);
        try {
            c = c.withCredentials(secrets.reveal(key, "username"), secrets.reveal(key, "password"));
        } catch (NotFoundException e) {
            // not an adapter problem: the machine's status says which secret or key is missing
            throw new CredentialsException("credentials " + ref + ": " + e.getMessage() + " (a PlatformSecret with username and password)");
        }
        if ("true".equals(optional(key, "insecure"))) c = c.withInsecure(true);
        String ca = optional(key, "caCertificate");
        if (ca != null) c = c.withCaFile(pem(ref, ca));
        return c;
    }

    private String optional(ResourceKey key, String name) {
        try {
            return secrets.reveal(key, name);
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** The CA certificate as a file the TLS setup reads: private to this process, deleted on exit. */
    private static Path pem(String ref, String ca) {
        try {
            Path file = Files.createTempFile("bmc-ca-" + ref + "-", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, ca);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CA certificate of " + ref, e);
        }
    }
}
