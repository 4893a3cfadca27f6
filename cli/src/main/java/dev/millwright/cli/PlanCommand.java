package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows what an upgrade would do before anything happens: the packs that change, each node's steps, the time it takes. */
@Command(name = "plan", description = {
        "Plan a change before making it:",
        "  plan upgrade ENVIRONMENT --to TEMPLATE@VERSION   the packs that change, the steps on each node, the estimate"})
final class PlanCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", description = "upgrade")
    String what;

    @Parameters(index = "1", description = "the environment")
    String environment;

    @Option(names = {"-t", "--tenant"}, required = true, description = "the tenant it belongs to")
    String tenant;

    @Option(names = "--to", required = true, description = "the template version to move to, as TEMPLATE@VERSION")
    String to;

    @Option(names = "--parallel", description = "nodes changed at once (default: a quarter of the environment's nodes)")
    Integer parallel;

    @Option(names = {"-o", "--output"}, description = "text (default) or json")
    String output = "text";

    @Override
    public Integer call() {
        if (!what.equals("upgrade")) throw new CliException(ExitCodes.USAGE, "error: plan takes upgrade ENVIRONMENT --to TEMPLATE@VERSION, not " + what);
        String path = "/api/v1/tenants/" + ApiClient.enc(tenant) + "/environments/" + ApiClient.enc(environment) + "/upgrade-plan?to="
                + ApiClient.enc(to) + (parallel == null ? "" : "&parallel=" + parallel);
        JsonNode plan = client.client().get(path);
        System.out.print(output.equals("json") ? dev.millwright.resource.Json.string(plan) + "\n" : plan.path("text").asText());
        return ExitCodes.OK;
    }
}
