package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Rotating secrets: a value by writing it again ({@code set}), the encryption key by re-sealing every value ({@code rekey}). */
@Command(name = "secrets", description = "Rotate secret values (set) and the key that seals them (rekey).",
        subcommands = {SecretsCommand.Set.class, SecretsCommand.Rekey.class})
final class SecretsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Sets the keys given (a merge patch); other keys keep their values. */
    @Command(name = "set", description = "Set (rotate) values of an existing Secret, or of a PlatformSecret without -t; other keys are kept.")
    static final class Set implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", description = "secret name")
        String name;

        @Option(names = {"-t", "--tenant"}, description = "tenant of a Secret; none for a PlatformSecret")
        String tenant;

        @Mixin
        SecretValueOptions values;

        @Override
        public Integer call() {
            if (values.isEmpty()) throw new CliException(ExitCodes.USAGE, "error: give the values to set with --from-literal, --from-file or --from-env-file");
            ApiClient api = client.client();
            ApiClient.Kind kind = api.kind(tenant == null ? "PlatformSecret" : "Secret");
            ObjectNode patch = Json.object();
            patch.putObject("spec").set("data", values.data());
            JsonNode before = api.get(ApiClient.item(kind, tenant, name));
            JsonNode after = ApiClient.expectOk(api.send("PATCH", ApiClient.item(kind, tenant, name), Json.bytes(patch), "application/merge-patch+json"));
            List<String> changed = new ArrayList<>();
            after.path("status").path("keys").fields().forEachRemaining(e -> {
                if (!e.getValue().equals(before.path("status").path("keys").path(e.getKey()))) changed.add(e.getKey());
            });
            System.out.println(describe(kind, after) + (changed.isEmpty() ? " unchanged" : " rotated: " + String.join(", ", changed)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rekey", description = "Seal every secret value under the primary key of the server's keyring (platform admins).")
    static final class Rekey implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            JsonNode r = ApiClient.expectOk(client.client().send("POST", "/api/v1/secrets/rekey", new byte[0], "application/json"));
            System.out.println("re-sealed " + r.path("values").asInt() + " values in " + r.path("objects").asInt()
                    + " objects under key " + r.path("primaryKeyId").asText());
            List<String> byKey = new ArrayList<>();
            r.path("valuesByKeyId").fields().forEachRemaining(e -> byKey.add(e.getKey() + ": " + e.getValue().asLong()));
            System.out.println("values by key id: " + (byKey.isEmpty() ? "none" : String.join(", ", byKey)));
            r.path("failed").forEach(f -> System.err.println("error: " + f.asText()));
            return r.path("failed").isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }

    /** "secret acme/hub (keys token, user)": a secret as the CLI names it, with its keys and never a value. */
    static String describe(ApiClient.Kind kind, JsonNode secret) {
        String tenant = secret.path("metadata").path("tenant").asText("");
        return kind.kind().toLowerCase(java.util.Locale.ROOT) + " " + (tenant.isEmpty() ? "" : tenant + "/")
                + secret.path("metadata").path("name").asText() + " (keys " + String.join(", ", CreateCommand.keyNames(secret)) + ")";
    }
}
