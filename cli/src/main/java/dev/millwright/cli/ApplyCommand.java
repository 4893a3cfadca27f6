package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Creates or updates objects from files, idempotently: applying the same files twice changes nothing. */
@Command(name = "apply", description = "Create or update objects from YAML or JSON (multi-document files, directories, or - for stdin).")
final class ApplyCommand implements Callable<Integer> {
    /** How often a write that lost a race is retried against the newer object. */
    static final int RETRIES = 5;

    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--filename"}, required = true, description = "file, directory, or - for stdin")
    String filename;

    @Option(names = {"-R", "--recursive"}, description = "read directories recursively")
    boolean recursive;

    @Option(names = {"-t", "--tenant"}, description = "tenant of tenant-scoped objects that do not name one")
    String tenant;

    @Override
    public Integer call() {
        ApiClient api = client.client();
        int exit = ExitCodes.OK;
        for (Manifests.Doc doc : Manifests.read(filename, recursive, System.in)) {
            try {
                System.out.println(apply(api, doc.object()));
            } catch (CliException e) {
                System.err.println(doc.source() + ": " + e.getMessage());
                exit = e.exitCode();
            }
        }
        return exit;
    }

    private String apply(ApiClient api, JsonNode object) {
        ApiClient.Kind kind = api.kind(requireText(object, "kind"));
        ObjectNode doc = object.deepCopy();
        ObjectNode meta = doc.with("metadata");
        String name = requireText(meta, "name");
        String t = meta.path("tenant").asText("");
        if (t.isEmpty() && tenant != null && kind.tenantScoped()) {
            t = tenant;
            meta.put("tenant", t);
        }
        doc.put("apiVersion", "millwright.dev/v1");
        doc.remove("status");
        String label = kind.plural() + "/" + (kind.tenantScoped() ? t + "/" : "") + name;
        byte[] body;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            ApiClient.Reply current = api.send("GET", ApiClient.item(kind, t, name), null, null);
            if (current.status() == 404) {
                body = Json.bytes(doc);
                ApiClient.Reply created = api.send("POST", ApiClient.collection(kind, kind.tenantScoped() ? t : null), body, "application/json");
                if (created.status() == 409) continue; // created meanwhile: update it instead
                ApiClient.expectOk(created);
                created.warnings().forEach(w -> System.err.println("warning: " + label + ": " + w));
                return label + " created";
            }
            ApiClient.expectOk(current);
            String rv = current.body().path("metadata").path("resourceVersion").asText();
            meta.put("resourceVersion", rv);
            ApiClient.Reply updated = api.send("PUT", ApiClient.item(kind, t, name), Json.bytes(doc), "application/json");
            if (updated.status() == 409 && attempt < RETRIES) continue;
            JsonNode result = ApiClient.expectOk(updated);
            return label + (result.path("metadata").path("resourceVersion").asText().equals(rv) ? " unchanged" : " configured");
        }
        throw new CliException(ExitCodes.CONFLICT, "error: " + label + " kept changing; gave up after " + RETRIES + " retries");
    }

    private static String requireText(JsonNode node, String field) {
        String v = node.path(field).asText("");
        if (v.isEmpty()) throw new CliException(ExitCodes.INVALID, "error: " + field + " is missing");
        return v;
    }
}
