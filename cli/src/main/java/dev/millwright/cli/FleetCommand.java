package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The fleet in numbers: GPUs by model and state, by site, and machines by phase. */
@Command(name = "fleet", description = "Show the fleet: GPUs by model and state, GPUs by site, machines by phase.")
final class FleetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-o", "--output"}, description = "table or json (default ${DEFAULT-VALUE})", defaultValue = "table")
    String output;

    @Override
    public Integer call() {
        JsonNode f = client.client().get("/api/v1/fleet");
        if (output.equals("json")) {
            System.out.println(Json.string(f));
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        f.path("gpus").path("byModel").fields().forEachRemaining(e -> rows.add(row(e.getKey(), e.getValue())));
        rows.add(row("all", f.path("gpus")));
        Output.printTable(System.out, List.of("GPU MODEL", "TOTAL", "HEALTHY", "FAILED", "MAINTENANCE", "UNREACHABLE"), rows);
        System.out.println();
        List<List<String>> sites = new ArrayList<>();
        f.path("gpus").path("bySite").fields().forEachRemaining(e -> {
            List<String> parts = new ArrayList<>();
            e.getValue().fields().forEachRemaining(m -> parts.add(m.getValue().asInt() + "x " + m.getKey()));
            sites.add(List.of(e.getKey(), String.join(", ", parts)));
        });
        Output.printTable(System.out, List.of("SITE", "GPUS"), sites);
        System.out.println();
        List<List<String>> phases = new ArrayList<>();
        f.path("machines").path("byPhase").fields().forEachRemaining(e -> phases.add(List.of(e.getKey(), e.getValue().asText())));
        phases.add(List.of("all", f.path("machines").path("total").asText()));
        Output.printTable(System.out, List.of("MACHINE PHASE", "COUNT"), phases);
        return ExitCodes.OK;
    }

    private static List<String> row(String name, JsonNode c) {
        return List.of(name, c.path("total").asText(), c.path("healthy").asText(), c.path("failed").asText(),
                c.path("maintenance").asText(), c.path("unreachable").asText());
    }
}
