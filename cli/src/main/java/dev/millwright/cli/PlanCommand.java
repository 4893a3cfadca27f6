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
        "  plan upgrade ENVIRONMENT --to TEMPLATE@VERSION   the packs that change, the steps on each node, the estimate",
        "    --save NAME keeps it as an UpgradePlan, which `rollout start --plan NAME` executes"})
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

    @Option(names = "--save", paramLabel = "NAME", description = "keep it as an UpgradePlan object, kept up to date; `rollout start --plan NAME` executes it")
    String save;

    /** How long a saved plan's first status is waited for. */
    static final java.time.Duration PLANNED = java.time.Duration.ofSeconds(10);

    @Override
    public Integer call() throws InterruptedException {
        if (!what.equals("upgrade")) throw new CliException(ExitCodes.USAGE, "error: plan takes upgrade ENVIRONMENT --to TEMPLATE@VERSION, not " + what);
        ApiClient api = client.client();
        String path = "/api/v1/tenants/" + ApiClient.enc(tenant) + "/environments/" + ApiClient.enc(environment) + "/upgrade-plan?to="
                + ApiClient.enc(to) + (parallel == null ? "" : "&parallel=" + parallel);
        JsonNode plan = api.get(path);
        if (save != null) plan = save(api, plan);
        System.out.print(output.equals("json") ? dev.millwright.resource.Json.string(plan) + "\n" : plan.path("text").asText());
        return ExitCodes.OK;
    }

    /** Creates the UpgradePlan and returns its status once the controller has planned it (or what was planned here). */
    private JsonNode save(ApiClient api, JsonNode planned) throws InterruptedException {
        int at = to.indexOf('@');
        var body = dev.millwright.resource.Json.object().put("apiVersion", "millwright.dev/v1").put("kind", "UpgradePlan");
        body.putObject("metadata").put("name", save);
        var spec = body.putObject("spec").put("environment", environment);
        spec.putObject("template").put("name", to.substring(0, at)).put("version", to.substring(at + 1));
        if (parallel != null) spec.put("parallel", parallel);
        String collection = "/api/v1/tenants/" + ApiClient.enc(tenant) + "/upgradeplans";
        ApiClient.expectOk(api.send("POST", collection, dev.millwright.resource.Json.bytes(body), "application/json"));
        System.err.println("saved as UpgradePlan " + save + "; run it with: millwright rollout start --plan " + save + " -t " + tenant);
        long deadline = System.nanoTime() + PLANNED.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = api.get(collection + "/" + ApiClient.enc(save)).path("status");
            if (status.has("phase")) return status;
            Thread.sleep(200);
        }
        return planned;
    }
}
