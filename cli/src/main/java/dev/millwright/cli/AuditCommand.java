package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reads and verifies the audit log. */
@Command(name = "audit", description = "Query the audit log, or verify its hash chain (audit verify).",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-t", "--tenant"}, description = "only this tenant (required for tenant admins)")
    String tenant;

    @Option(names = "--actor", description = "only this caller, e.g. user:alice")
    String actor;

    @Option(names = "--kind", description = "only this kind")
    String kind;

    @Option(names = "--since", description = "ISO-8601 instant, e.g. 2026-11-27T00:00:00Z")
    String since;

    @Option(names = "--until", description = "ISO-8601 instant")
    String until;

    @Option(names = "--limit", description = "most records (default ${DEFAULT-VALUE})", defaultValue = "50")
    int limit;

    @Option(names = {"-o", "--output"}, description = "table or json (default ${DEFAULT-VALUE})", defaultValue = "table")
    String output;

    @Override
    public Integer call() {
        StringBuilder q = new StringBuilder("/api/v1/audit?limit=").append(limit);
        append(q, "tenant", tenant);
        append(q, "actor", actor);
        append(q, "kind", kind);
        append(q, "since", since);
        append(q, "until", until);
        ApiClient api = client.client();
        JsonNode items = api.get(q.toString()).path("items");
        if (output.equals("json")) {
            System.out.println(Json.string(items));
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : items) {
            String kindName = r.path("kind").asText();
            // records of a Tenant object are filed under the tenant itself; show them as Tenant/name
            boolean scoped = r.has("tenant") && api.findKind(kindName).map(ApiClient.Kind::tenantScoped).orElse(true);
            String object = kindName + "/" + (scoped ? r.path("tenant").asText() + "/" : "") + r.path("name").asText();
            rows.add(List.of(r.path("seq").asText(), r.path("at").asText(), r.path("actor").asText(), r.path("verb").asText(),
                    object, r.path("outcome").asText(), r.path("reason").asText("")));
        }
        Output.printTable(System.out, List.of("SEQ", "AT", "ACTOR", "VERB", "OBJECT", "OUTCOME", "REASON"), rows);
        return ExitCodes.OK;
    }

    private static void append(StringBuilder q, String name, String value) {
        if (value != null) q.append('&').append(name).append('=').append(ApiClient.enc(value));
    }

    /** Re-computes the chain on the server; exits 8 when it is broken. */
    @Command(name = "verify", description = "Re-compute the audit hash chain; exit 8 if any record was edited or removed.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            JsonNode v = client.client().get("/api/v1/audit/verify");
            if (v.path("intact").asBoolean()) {
                System.out.println("audit chain intact: " + v.path("checked").asLong() + " records, head " + v.path("headHash").asText());
                return ExitCodes.OK;
            }
            System.out.println("audit chain BROKEN at record " + v.path("firstBadSeq").asLong() + ": " + v.path("problem").asText());
            return ExitCodes.AUDIT_BROKEN;
        }
    }
}
