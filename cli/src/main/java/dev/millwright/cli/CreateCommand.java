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

/** Creates objects from command-line values: secrets, whose values should not sit in a manifest file. */
@Command(name = "create", description = "Create a secret from literals or files, without writing a manifest.",
        subcommands = {CreateCommand.Secret.class, CreateCommand.PlatformSecret.class})
final class CreateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "secret", description = "Create a tenant's Secret (model-hub token, registry credentials); tenant admins.")
    static final class Secret implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", description = "secret name")
        String name;

        @Option(names = {"-t", "--tenant"}, required = true, description = "tenant")
        String tenant;

        @Option(names = "--type", description = "what the values are for, e.g. hub-token, registry-credentials (default Opaque)")
        String type;

        @Mixin
        SecretValueOptions values;

        @Override
        public Integer call() {
            return create(client.client(), "Secret", tenant, name, type, values);
        }
    }

    @Command(name = "platformsecret", description = "Create a PlatformSecret (BMC credentials); platform admins.")
    static final class PlatformSecret implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", description = "secret name")
        String name;

        @Option(names = "--type", description = "what the values are for, e.g. bmc-credentials (default Opaque)")
        String type;

        @Mixin
        SecretValueOptions values;

        @Override
        public Integer call() {
            return create(client.client(), "PlatformSecret", null, name, type, values);
        }
    }

    private static int create(ApiClient api, String kindName, String tenant, String name, String type, SecretValueOptions values) {
        ApiClient.Kind kind = api.kind(kindName);
        ObjectNode body = Json.object();
        body.put("apiVersion", "millwright.dev/v1");
        body.put("kind", kind.kind());
        ObjectNode meta = body.putObject("metadata");
        meta.put("name", name);
        if (tenant != null) meta.put("tenant", tenant);
        ObjectNode spec = body.putObject("spec");
        if (type != null) spec.put("type", type);
        spec.set("data", values.data());
        JsonNode created = ApiClient.expectOk(api.send("POST", ApiClient.collection(kind, tenant), Json.bytes(body), "application/json"));
        System.out.println(SecretsCommand.describe(kind, created) + " created");
        return ExitCodes.OK;
    }

    /** The key names of a secret's status, sorted (PostgreSQL's jsonb keeps keys in an order of its own). */
    static List<String> keyNames(JsonNode secret) {
        List<String> out = new ArrayList<>();
        secret.path("status").path("keys").fieldNames().forEachRemaining(out::add);
        return out.stream().sorted().toList();
    }
}
