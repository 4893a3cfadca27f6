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

/** Issues, lists and revokes bearer tokens. */
@Command(name = "token", description = "Issue, list and revoke bearer tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints the new token's secret once, on stdout, so it can be piped into a file. */
    @Command(name = "create", description = "Issue a token for a user or a service account; prints the secret once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--user", description = "user name")
        String user;

        @Option(names = "--service-account", description = "service account name (with --tenant)")
        String serviceAccount;

        @Option(names = {"-t", "--tenant"}, description = "tenant of the service account")
        String tenant;

        @Option(names = "--ttl-seconds", description = "lifetime; none for a token that does not expire")
        Long ttlSeconds;

        @Option(names = "--description", description = "what the token is for")
        String description;

        @Override
        public Integer call() {
            ObjectNode body = Json.object();
            if (user != null) body.put("user", user);
            if (serviceAccount != null) body.put("serviceAccount", serviceAccount);
            if (tenant != null) body.put("tenant", tenant);
            if (ttlSeconds != null) body.put("ttlSeconds", ttlSeconds);
            if (description != null) body.put("description", description);
            JsonNode r = ApiClient.expectOk(client.client().send("POST", "/api/v1/tokens", Json.bytes(body), "application/json"));
            System.out.println(r.path("token").asText());
            System.err.println("token " + r.path("id").asText() + " for " + r.path("subjectKind").asText() + " " + r.path("subject").asText()
                    + ": store it now, it is not shown again");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List the tokens you may manage.")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode t : client.client().get("/api/v1/tokens").path("items")) {
                String subject = (t.has("tenant") ? t.path("tenant").asText() + "/" : "") + t.path("subject").asText();
                String state = t.has("revokedAt") ? "revoked" : t.has("expiresAt") ? "expires " + t.path("expiresAt").asText() : "active";
                rows.add(List.of(t.path("id").asText(), t.path("subjectKind").asText(), subject, state, t.path("createdAt").asText(),
                        t.path("description").asText()));
            }
            Output.printTable(System.out, List.of("ID", "KIND", "SUBJECT", "STATE", "CREATED", "DESCRIPTION"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke a token by id.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", description = "token id (see token list)")
        String id;

        @Override
        public Integer call() {
            ApiClient.expectOk(client.client().send("DELETE", "/api/v1/tokens/" + ApiClient.enc(id), null, null));
            System.out.println("token " + id + " revoked");
            return ExitCodes.OK;
        }
    }
}
