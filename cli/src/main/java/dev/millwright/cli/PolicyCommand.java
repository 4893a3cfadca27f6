package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millwright policy test}: what a policy would deny among the objects that exist, before it is stored or
 * changed. Takes a stored policy by name or manifests from a file; writes nothing.
 */
@Command(name = "policy", mixinStandardHelpOptions = true, description = {
        "CEL policies over templates, environments, workloads and placements.",
        "  millwright get policies                  the policies and how many existing objects each denies",
        "  millwright policy test -f my-policy.yaml what a new or changed policy would deny, before you apply it",
        "  millwright policy test fips-builds       what a stored policy denies among existing objects"},
        subcommands = {PolicyCommand.Test.class})
final class PolicyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new CliException(ExitCodes.USAGE, "error: policy takes a subcommand: test (see millwright policy --help)");
    }

    /** {@code policy test NAME | -f FILE}. */
    @Command(name = "test", mixinStandardHelpOptions = true, description = {
            "Judge policies against every existing object they cover, writing nothing (platform admins).",
            "Exit 0 when the policies pass every object, 1 when they would deny or warn about some."})
    static final class Test implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "a stored policy")
        String name;

        @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "Policy manifests (YAML or JSON; - for stdin)")
        String file;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE})")
        String output;

        @Override
        public Integer call() {
            if ((name == null) == (file == null)) throw new CliException(ExitCodes.USAGE, "error: give a policy NAME or -f FILE, not both or neither");
            ApiClient api = client.client();
            List<JsonNode> policies = new ArrayList<>();
            if (name != null) {
                policies.add(api.get("/api/v1/policies/" + ApiClient.enc(name)));
            } else {
                for (Manifests.Doc doc : Manifests.read(file, false, System.in)) {
                    if (!doc.object().path("kind").asText().equals("Policy")) {
                        throw new CliException(ExitCodes.INVALID, "error: " + doc.source() + ": is a " + doc.object().path("kind").asText() + ", not a Policy");
                    }
                    policies.add(doc.object());
                }
            }
            boolean clean = true;
            List<JsonNode> answers = new ArrayList<>();
            for (JsonNode policy : policies) {
                JsonNode answer = ApiClient.expectOk(api.send("POST", "/api/v1/policies/test", Json.bytes(policy), "application/json"));
                answers.add(answer);
                clean &= answer.path("violations").asInt() == 0;
            }
            if (output.equals("json")) {
                System.out.println(Json.string(answers.size() == 1 ? answers.get(0) : Json.MAPPER.valueToTree(answers)));
            } else {
                for (JsonNode a : answers) print(a);
            }
            return clean ? ExitCodes.OK : ExitCodes.ERROR;
        }

        private static void print(JsonNode a) {
            System.out.println("policy " + a.path("policy").asText() + " (" + a.path("subject").asText() + ", " + a.path("enforcement").asText()
                    + "): " + a.path("summary").asText());
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode v : a.path("violating")) rows.add(List.of(v.path("object").asText(), v.path("message").asText()));
            if (!rows.isEmpty()) Output.printTable(System.out, List.of("OBJECT", "WHY"), rows);
        }
    }
}
