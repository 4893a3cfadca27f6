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

/**
 * {@code millwright vulns fix ENV}: what fixes an environment's findings, and with {@code --save} the UpgradePlan
 * that does it. The plan moves to the published template version with the fewest changes that has the fix; when
 * none is published, a platform admin adds {@code --publish} to publish the solver's smallest compatible change as
 * the template's next patch version first.
 */
@Command(name = "fix", mixinStandardHelpOptions = true, description = {
        "What fixes an environment's findings, as an UpgradePlan with --save.",
        "  millwright vulns fix ENV -t TENANT                         the remediation of every finding with a known fix",
        "  millwright vulns fix ENV -t TENANT --finding CVE-2025-1 --save fix-cve   an UpgradePlan to the published version that fixes it",
        "  millwright vulns fix ENV -t TENANT --publish --save fix     publish the smallest change as a new template version (platform admins), then plan it",
        "Run the plan with: millwright rollout start --plan NAME -t TENANT"})
final class VulnsFixCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ENVIRONMENT", description = "the environment")
    String environment;

    @Option(names = {"-t", "--tenant"}, required = true, paramLabel = "TENANT", description = "the tenant it belongs to")
    String tenant;

    @Option(names = "--finding", paramLabel = "ID", description = "a finding to fix, by any of its ids (repeatable; default every finding with a known fix)")
    List<String> findings = new ArrayList<>();

    @Option(names = "--save", paramLabel = "NAME", description = "create an UpgradePlan of this name that applies the fix")
    String save;

    @Option(names = "--publish", description = "publish the smallest compatible change as the template's next patch version (platform admins)")
    boolean publish;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE})")
    String output;

    @Override
    public Integer call() {
        if (!output.equals("text") && !output.equals("json")) {
            throw new CliException(ExitCodes.USAGE, "error: unknown output format \"" + output + "\"; use text or json");
        }
        ApiClient api = client.client();
        StringBuilder path = new StringBuilder("/api/v1/tenants/" + ApiClient.enc(tenant) + "/environments/" + ApiClient.enc(environment) + "/remediation");
        for (int i = 0; i < findings.size(); i++) path.append(i == 0 ? "?" : "&").append("finding=").append(ApiClient.enc(findings.get(i)));
        JsonNode answer = api.get(path.toString());
        if (output.equals("json")) System.out.println(Json.string(answer));
        else print(answer);

        JsonNode remediation = answer.path("remediation");
        String target = null;
        if (publish) {
            JsonNode manifest = answer.path("newTemplate");
            if (manifest.isMissingNode()) throw nothingToPublish(remediation);
            ApiClient.expectOk(api.send("POST", "/api/v1/stacktemplates", Json.bytes(manifest), "application/json"));
            target = manifest.path("spec").path("version").asText();
            System.err.println("published StackTemplate " + manifest.path("spec").path("template").asText() + "@" + target);
        } else if (save != null) {
            if (!remediation.has("template")) throw remediation.has("smallestChange")
                    ? new CliException(ExitCodes.INVALID, "error: no published version of " + answer.path("template").path("name").asText()
                            + " has the fix; a platform admin publishes the smallest change with --publish (it becomes "
                            + answer.path("newTemplate").path("spec").path("template").asText() + "@"
                            + answer.path("newTemplate").path("spec").path("version").asText() + ")")
                    : nothingToPublish(remediation);
            target = remediation.path("template").path("version").asText();
        }
        if (save != null) savePlan(api, answer.path("template").path("name").asText(), target);
        return ExitCodes.OK;
    }

    private static CliException nothingToPublish(JsonNode remediation) {
        return new CliException(ExitCodes.INVALID, "error: nothing fixes it: " + remediation.path("summary").asText());
    }

    private void savePlan(ApiClient api, String template, String version) {
        ObjectNode body = Json.object().put("apiVersion", "millwright.dev/v1").put("kind", "UpgradePlan");
        body.putObject("metadata").put("name", save);
        ObjectNode spec = body.putObject("spec").put("environment", environment);
        spec.putObject("template").put("name", template).put("version", version);
        ApiClient.expectOk(api.send("POST", "/api/v1/tenants/" + ApiClient.enc(tenant) + "/upgradeplans", Json.bytes(body), "application/json"));
        System.err.println("saved as UpgradePlan " + save + " (to " + template + "@" + version + "); run it with: millwright rollout start --plan "
                + save + " -t " + tenant);
    }

    private void print(JsonNode answer) {
        JsonNode r = answer.path("remediation");
        List<String> names = new ArrayList<>();
        answer.path("findings").forEach(f -> names.add(f.asText()));
        System.out.println(tenant + "/" + environment + " (" + answer.path("template").path("name").asText() + "@"
                + answer.path("template").path("version").asText() + "): " + (names.isEmpty() ? "no finding with a known fix" : String.join(", ", names)));
        if (r.has("template")) {
            System.out.println("  published fix:   " + r.path("template").path("name").asText() + "@" + r.path("template").path("version").asText()
                    + "  " + changes(r.path("template").path("changes")));
        }
        if (r.has("smallestChange")) {
            JsonNode next = answer.path("newTemplate").path("spec");
            System.out.println("  smallest change: " + changes(r.path("smallestChange")) + "  (not published; --publish makes it "
                    + next.path("template").asText() + "@" + next.path("version").asText() + ")");
        }
        r.path("reasons").forEach(reason -> System.out.println("  not fixed:       " + reason.asText()));
    }

    private static String changes(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : list) out.add(c.path("pack").asText() + " " + c.path("from").asText("-") + " -> " + c.path("to").asText("-"));
        return String.join(", ", out);
    }
}
