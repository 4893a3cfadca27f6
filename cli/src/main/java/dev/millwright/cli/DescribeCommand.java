package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows one object in full, with the events recorded about it. */
@Command(name = "describe", description = "Show one object with its status and recent events.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", description = "kind")
    String kind;

    @Parameters(index = "1", description = "object name")
    String name;

    @Option(names = {"-t", "--tenant"}, description = "tenant of a tenant-scoped kind")
    String tenant;

    @Override
    public Integer call() {
        ApiClient api = client.client();
        ApiClient.Kind k = api.kind(kind);
        JsonNode item = api.get(ApiClient.item(k, tenant, name));
        System.out.print(Json.yaml(item));
        StringBuilder q = new StringBuilder("/api/v1/events?kind=").append(ApiClient.enc(k.kind())).append("&name=").append(ApiClient.enc(name));
        if (k.tenantScoped()) q.append("&tenant=").append(ApiClient.enc(tenant));
        JsonNode events = api.get(q.toString()).path("items");
        System.out.println("events:");
        if (events.isEmpty()) {
            System.out.println("  <none>");
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (JsonNode e : events) {
            rows.add(List.of("  " + e.path("type").asText(), e.path("reason").asText(), Integer.toString(e.path("count").asInt()),
                    Output.age(e.path("lastTimestamp").asText(""), now), e.path("source").asText(), e.path("message").asText()));
        }
        Output.printTable(System.out, List.of("  TYPE", "REASON", "COUNT", "LAST SEEN", "FROM", "MESSAGE"), rows);
        return ExitCodes.OK;
    }
}
