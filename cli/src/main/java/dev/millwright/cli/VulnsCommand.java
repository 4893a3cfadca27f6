package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.millwright.resource.Json;
import dev.millwright.vulns.Matcher;
import dev.millwright.vulns.MatchQueries;
import dev.millwright.vulns.OsvFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code millwright vulns}: vulnerability advisories (OSV). Without a subcommand it shows what environments are
 * exposed to; {@code import} loads advisories into the server; {@code match} runs the matcher locally.
 */
@Command(name = "vulns", mixinStandardHelpOptions = true, description = {
        "Vulnerability advisories (OSV) and what each environment is exposed to.",
        "  millwright vulns [ENVIRONMENT] -t TENANT     the findings of one environment, or a line per environment",
        "  millwright vulns import DIR|FILE|ZIP          load OSV records into the server (all or nothing)",
        "  millwright vulns fix ENVIRONMENT -t TENANT    what fixes its findings; --save NAME makes it an UpgradePlan",
        "  millwright vulns match --advisories DIR --queries FILE.csv -o json   the matcher alone, locally"},
        subcommands = {VulnsCommand.Match.class, VulnsCommand.Import.class, VulnsFixCommand.class})
final class VulnsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ClientOptions client;

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "ENVIRONMENT", description = "one environment's findings")
    String environment;

    @Option(names = {"-t", "--tenant"}, paramLabel = "TENANT", description = "the tenant (all you can see when left out, without ENVIRONMENT)")
    String tenant;

    @Override
    public Integer call() {
        ApiClient api = client.client();
        if (environment != null) {
            if (tenant == null) throw new CliException(ExitCodes.USAGE, "error: vulns ENVIRONMENT needs -t TENANT");
            JsonNode env = api.get("/api/v1/tenants/" + ApiClient.enc(tenant) + "/environments/" + ApiClient.enc(environment));
            JsonNode v = env.path("status").path("vulnerabilities");
            System.out.println(tenant + "/" + environment + " (" + env.path("spec").path("template").path("name").asText() + "@"
                    + env.path("spec").path("template").path("version").asText() + "): " + v.path("summary").asText("not computed yet"));
            List<List<String>> rows = new java.util.ArrayList<>();
            for (JsonNode f : v.path("findings")) {
                rows.add(List.of(f.path("name").asText(), f.path("rating").asText(), f.has("score") ? f.path("score").asText() : "-",
                        f.path("package").asText(), f.has("fixedIn") ? f.path("fixedIn").asText() : "no fix known", remedy(f.path("remediation")),
                        join(f.path("ids"))));
            }
            if (!rows.isEmpty()) Output.printTable(System.out, List.of("FINDING", "RATING", "SCORE", "PACKAGE", "FIXED IN", "REMEDY", "IDS"), rows);
            return ExitCodes.OK;
        }
        String path = tenant == null ? "/api/v1/environments" : "/api/v1/tenants/" + ApiClient.enc(tenant) + "/environments";
        List<List<String>> rows = new java.util.ArrayList<>();
        for (JsonNode env : api.get(path).path("items")) {
            rows.add(List.of(env.path("metadata").path("tenant").asText(), env.path("metadata").path("name").asText(),
                    env.path("spec").path("template").path("name").asText() + "@" + env.path("spec").path("template").path("version").asText(),
                    env.path("status").path("vulnerabilities").path("summary").asText("not computed yet")));
        }
        Output.printTable(System.out, List.of("TENANT", "ENVIRONMENT", "TEMPLATE", "VULNERABILITIES"), rows);
        return ExitCodes.OK;
    }

    /** "serve@1.0.1", "publish: vllm 0.7.3, cuda 12.4.0" or "none"; the details and reasons with vulns fix ENV. */
    private static String remedy(JsonNode r) {
        if (r.has("template")) return r.path("template").path("name").asText() + "@" + r.path("template").path("version").asText();
        if (r.has("smallestChange")) {
            List<String> moves = new java.util.ArrayList<>();
            r.path("smallestChange").forEach(c -> moves.add(c.path("pack").asText() + " " + c.path("to").asText()));
            return "publish: " + String.join(", ", moves);
        }
        return r.isMissingNode() ? "-" : "none";
    }

    private static String join(JsonNode ids) {
        StringBuilder out = new StringBuilder();
        ids.forEach(i -> out.append(out.length() == 0 ? "" : " ").append(i.asText()));
        return out.toString();
    }

    /** {@code vulns import PATH}: every record is read first; one that cannot be read stops the import before anything is sent. */
    @Command(name = "import", mixinStandardHelpOptions = true, description = {
            "Load OSV records into the server as Advisory objects: a directory (any depth), a file or a zip, JSON or YAML.",
            "All or nothing: a record that cannot be read is named with its field, and nothing is sent."})
    static final class Import implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClientOptions client;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "DIR|FILE|ZIP", description = "OSV records")
        Path source;

        @Override
        public Integer call() {
            if (!Files.exists(source)) throw new CliException(ExitCodes.INVALID, "error: " + source + ": no such file or directory");
            OsvFiles.Result read = OsvFiles.read(source);
            if (!read.problems().isEmpty()) {
                read.problems().forEach(p -> System.err.println("error: " + p));
                throw new CliException(ExitCodes.INVALID, "error: " + read.problems().size() + " records cannot be read; nothing was imported");
            }
            ApiClient api = client.client();
            ApiClient.Kind kind = api.kind(dev.millwright.vulns.VulnKinds.ADVISORY);
            int created = 0;
            int updated = 0;
            for (JsonNode record : read.records()) {
                String name = dev.millwright.vulns.VulnKinds.nameOf(record.path("id").asText());
                var doc = Json.object().put("apiVersion", "millwright.dev/v1").put("kind", dev.millwright.vulns.VulnKinds.ADVISORY);
                doc.putObject("metadata").put("name", name);
                doc.set("spec", record);
                ApiClient.Reply current = api.send("GET", ApiClient.item(kind, "", name), null, null);
                if (current.status() == 404) {
                    ApiClient.expectOk(api.send("POST", ApiClient.collection(kind, null), Json.bytes(doc), "application/json"));
                    created++;
                } else {
                    ApiClient.expectOk(current);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("metadata"))
                            .put("resourceVersion", current.body().path("metadata").path("resourceVersion").asText());
                    ApiClient.expectOk(api.send("PUT", ApiClient.item(kind, "", name), Json.bytes(doc), "application/json"));
                    updated++;
                }
            }
            System.out.println("imported " + read.records().size() + " advisories: " + created + " new, " + updated + " updated");
            return ExitCodes.OK;
        }
    }

    /**
     * {@code vulns match}: the matcher alone, in this process, no server. The output's shape is an interface other
     * checks rely on: one object per query row, in order, with {@code ecosystem}, {@code package}, {@code version}
     * and either {@code ids} (sorted) or {@code error}.
     */
    @Command(name = "match", mixinStandardHelpOptions = true, description = {
            "Which OSV records affect each package version of a CSV (header ecosystem,package,version).",
            "Advisories: a directory (searched to any depth), a file or a zip of OSV records, JSON or YAML.",
            "Records that cannot be read are named on stderr with the field and the reason, and left out; withdrawn ones never match.",
            "  millwright vulns match --advisories ../shared/data/vulns --queries q.csv -o json"})
    static final class Match implements Callable<Integer> {
        @Option(names = "--advisories", required = true, paramLabel = "DIR|FILE|ZIP", description = "OSV records")
        Path advisories;

        @Option(names = "--queries", required = true, paramLabel = "FILE.csv", description = "rows of ecosystem,package,version")
        Path queries;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE})")
        String output;

        @Override
        public Integer call() throws IOException {
            if (!output.equals("text") && !output.equals("json")) {
                throw new CliException(ExitCodes.USAGE, "error: unknown output format \"" + output + "\"; use text or json");
            }
            if (!Files.exists(advisories)) throw new CliException(ExitCodes.INVALID, "error: --advisories " + advisories + ": no such file or directory");
            if (!Files.isRegularFile(queries)) throw new CliException(ExitCodes.INVALID, "error: --queries " + queries + ": no such file");
            List<MatchQueries.Query> rows;
            try (Reader in = Files.newBufferedReader(queries, StandardCharsets.UTF_8)) {
                rows = MatchQueries.read(in);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.INVALID, "error: --queries " + queries + ": " + e.getMessage());
            }
            OsvFiles.Result read = OsvFiles.read(advisories);
            read.problems().forEach(p -> System.err.println("warning: skipped " + p));
            ArrayNode answers = MatchQueries.answer(new Matcher(read.advisories()), rows);
            if (output.equals("json")) {
                System.out.println(Json.string(answers));
            } else {
                List<List<String>> table = new java.util.ArrayList<>();
                for (JsonNode a : answers) {
                    String ids = a.has("error") ? "error: " + a.path("error").asText() : a.path("ids").isEmpty() ? "-" : VulnsCommand.join(a.path("ids"));
                    table.add(List.of(a.path("ecosystem").asText(), a.path("package").asText(), a.path("version").asText(), ids));
                }
                Output.printTable(System.out, List.of("ECOSYSTEM", "PACKAGE", "VERSION", "AFFECTED BY"), table);
            }
            return ExitCodes.OK;
        }

    }
}
