package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists objects of a kind, or shows one. */
@Command(name = "get", description = "List objects of a kind, or show one object.")
final class GetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", description = "kind, e.g. tenants, projects")
    String kind;

    @Parameters(index = "1", arity = "0..1", description = "object name")
    String name;

    @Option(names = {"-o", "--output"}, description = "table, wide, yaml, json or name (default ${DEFAULT-VALUE})", defaultValue = "table")
    String output;

    @Option(names = {"-l", "--selector"}, description = "label selector, e.g. env=prod,tier!=web")
    String selector;

    @Option(names = {"-t", "--tenant"}, description = "tenant of a tenant-scoped kind (default: every tenant you may see)")
    String tenant;

    @Override
    public Integer call() {
        ApiClient api = client.client();
        ApiClient.Kind k = api.kind(kind);
        if (name != null) {
            JsonNode item = api.get(ApiClient.item(k, tenant, name));
            Output.print(System.out, output, k, List.of(item), true);
            return ExitCodes.OK;
        }
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        do {
            StringBuilder path = new StringBuilder(ApiClient.collection(k, tenant)).append("?limit=500");
            if (selector != null) path.append("&labelSelector=").append(ApiClient.enc(selector));
            if (token != null) path.append("&continue=").append(ApiClient.enc(token));
            JsonNode page = api.get(path.toString());
            page.path("items").forEach(items::add);
            token = page.path("metadata").path("continue").asText(null);
        } while (token != null);
        Output.print(System.out, output, k, items, false);
        return ExitCodes.OK;
    }
}
