package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Shows what changes between two template versions, layer by layer. */
@Command(name = "diff", description = "Show the per-layer difference of two template versions: diff template a@1.2.0 b@1.3.0")
final class DiffCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", description = "what to compare: template")
    String what;

    @Parameters(index = "1", description = "the first version, as TEMPLATE@VERSION")
    String from;

    @Parameters(index = "2", description = "the second version, as TEMPLATE@VERSION")
    String to;

    @Override
    public Integer call() {
        if (!what.equals("template") && !what.equals("templates") && !what.equals("stacktemplate")) {
            throw new CliException(ExitCodes.USAGE, "error: diff compares templates: millwright diff template a@1.2.0 b@1.3.0");
        }
        ApiClient api = client.client();
        JsonNode a = fetch(api, from);
        JsonNode b = fetch(api, to);
        System.out.println("--- " + from);
        System.out.println("+++ " + to);
        for (String line : diff(a.path("spec"), b.path("spec"))) System.out.println(line);
        return ExitCodes.OK;
    }

    private static JsonNode fetch(ApiClient api, String ref) {
        int at = ref.lastIndexOf('@');
        if (at <= 0 || at == ref.length() - 1) throw new CliException(ExitCodes.USAGE, "error: \"" + ref + "\" is not TEMPLATE@VERSION");
        String name = ref.substring(0, at) + "-" + ref.substring(at + 1).replace('.', '-');
        return api.get("/api/v1/stacktemplates/" + ApiClient.enc(name));
    }

    /** A variable as it may be shown: the default of a sensitive one is never printed. */
    static JsonNode shown(JsonNode variable) {
        if (!variable.path("sensitive").asBoolean(false) || !variable.has("default")) return variable;
        com.fasterxml.jackson.databind.node.ObjectNode copy = variable.deepCopy();
        copy.put("default", "(sensitive)");
        return copy;
    }

    /** One line per changed, added or removed layer, in the newer template's order, then changed variables. */
    static List<String> diff(JsonNode a, JsonNode b) {
        Map<String, JsonNode> before = byKey(a.path("layers"), "pack");
        Map<String, JsonNode> after = byKey(b.path("layers"), "pack");
        List<String> out = new ArrayList<>();
        after.forEach((pack, layer) -> {
            JsonNode old = before.get(pack);
            String version = layer.path("version").asText();
            if (old == null) {
                out.add("+ " + pack + " " + version);
            } else {
                String oldVersion = old.path("version").asText();
                boolean values = !Json.equivalent(old.path("values"), layer.path("values"));
                if (!oldVersion.equals(version)) out.add("~ " + pack + " " + oldVersion + " -> " + version + (values ? " (values changed)" : ""));
                else if (values) out.add("~ " + pack + " " + version + " (values changed: " + Json.string(old.path("values")) + " -> " + Json.string(layer.path("values")) + ")");
                else out.add("  " + pack + " " + version);
            }
        });
        before.forEach((pack, layer) -> {
            if (!after.containsKey(pack)) out.add("- " + pack + " " + layer.path("version").asText());
        });
        Map<String, JsonNode> varsBefore = byKey(a.path("variables"), "name");
        Map<String, JsonNode> varsAfter = byKey(b.path("variables"), "name");
        varsAfter.forEach((name, v) -> {
            JsonNode old = varsBefore.get(name);
            if (old == null) out.add("+ variable " + name + " (" + v.path("type").asText() + ")");
            else if (!Json.equivalent(old, v)) out.add("~ variable " + name + ": " + Json.string(shown(old)) + " -> " + Json.string(shown(v)));
        });
        varsBefore.keySet().stream().filter(n -> !varsAfter.containsKey(n)).forEach(n -> out.add("- variable " + n));
        return out;
    }

    private static Map<String, JsonNode> byKey(JsonNode list, String key) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        list.forEach(n -> out.put(n.path(key).asText(), n));
        return out;
    }
}
