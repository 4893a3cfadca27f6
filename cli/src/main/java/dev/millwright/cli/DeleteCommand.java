package dev.millwright.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Deletes objects by name or from the files that describe them. */
@Command(name = "delete", description = "Delete an object (KIND NAME), or the objects in files (-f), last first.")
final class DeleteCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", arity = "0..1", description = "kind")
    String kind;

    @Parameters(index = "1", arity = "0..1", description = "object name")
    String name;

    @Option(names = {"-t", "--tenant"}, description = "tenant of a tenant-scoped kind")
    String tenant;

    @Option(names = {"-f", "--filename"}, description = "delete the objects described in this file or directory")
    String filename;

    @Option(names = "--ignore-not-found", description = "succeed when the object does not exist")
    boolean ignoreNotFound;

    @Override
    public Integer call() {
        ApiClient api = client.client();
        if (filename != null) {
            int exit = ExitCodes.OK;
            // apply goes in file order, so what an object needs (its tenant) comes first: delete in reverse
            List<Manifests.Doc> docs = new ArrayList<>(Manifests.read(filename, false, System.in));
            Collections.reverse(docs);
            for (Manifests.Doc doc : docs) {
                try {
                    ApiClient.Kind k = api.kind(doc.object().path("kind").asText());
                    String t = doc.object().path("metadata").path("tenant").asText(tenant == null ? "" : tenant);
                    delete(api, k, t, doc.object().path("metadata").path("name").asText());
                } catch (CliException e) {
                    System.err.println(doc.source() + ": " + e.getMessage());
                    exit = e.exitCode();
                }
            }
            return exit;
        }
        if (kind == null || name == null) throw new CliException(ExitCodes.USAGE, "error: give KIND NAME, or -f FILE");
        delete(api, api.kind(kind), tenant, name);
        return ExitCodes.OK;
    }

    private void delete(ApiClient api, ApiClient.Kind k, String t, String n) {
        ApiClient.Reply r = api.send("DELETE", ApiClient.item(k, t, n), null, null);
        if (r.status() == 404 && ignoreNotFound) return;
        ApiClient.expectOk(r);
        System.out.println(k.plural() + "/" + (k.tenantScoped() ? t + "/" : "") + n + " deleted");
    }
}
