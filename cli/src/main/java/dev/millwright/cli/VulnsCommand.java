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

/** {@code millwright vulns}: vulnerability advisories (OSV) against package versions. */
@Command(name = "vulns", mixinStandardHelpOptions = true, description = "Vulnerability advisories (OSV) against package versions.",
        subcommands = {VulnsCommand.Match.class})
final class VulnsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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
                    String ids = a.has("error") ? "error: " + a.path("error").asText() : a.path("ids").isEmpty() ? "-" : join(a.path("ids"));
                    table.add(List.of(a.path("ecosystem").asText(), a.path("package").asText(), a.path("version").asText(), ids));
                }
                Output.printTable(System.out, List.of("ECOSYSTEM", "PACKAGE", "VERSION", "AFFECTED BY"), table);
            }
            return ExitCodes.OK;
        }

        private static String join(JsonNode ids) {
            StringBuilder out = new StringBuilder();
            ids.forEach(i -> out.append(out.length() == 0 ? "" : " ").append(i.asText()));
            return out.toString();
        }
    }
}
