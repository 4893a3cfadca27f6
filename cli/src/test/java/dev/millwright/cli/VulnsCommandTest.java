package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code millwright vulns match}, whose JSON other checks rely on: one object per query row in order, with the
 * row's fields and either the sorted ids of the records that affect it or an error.
 */
class VulnsCommandTest {
    @TempDir
    Path dir;

    private static final String GO_RECORD = """
            {"id":"GO-2024-0001","aliases":["CVE-2024-0001"],"affected":[{"package":{"ecosystem":"Go","name":"github.com/containerd/containerd"},
             "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.6.38"},{"introduced":"1.7.0"},{"fixed":"1.7.27"}]}]}]}""";
    private static final String PYPI_RECORD = """
            id: PYSEC-2024-0002
            affected:
            - package: {name: vllm, ecosystem: PyPI}
              ranges:
              - type: ECOSYSTEM
                events: [{introduced: "0"}, {last_affected: "0.8.5"}]
            """;
    private static final String WITHDRAWN = """
            {"id":"GHSA-wwww-wwww-wwww","withdrawn":"2025-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"vllm"},
             "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}""";

    private Path queries(String rows) throws IOException {
        Path q = dir.resolve("q.csv");
        Files.writeString(q, "ecosystem,package,version\n" + rows);
        return q;
    }

    @Test
    void answersEachRowInOrderWithTheSortedIdsOrAnError() throws IOException {
        Path advisories = Files.createDirectories(dir.resolve("osv/nested"));
        Files.writeString(advisories.resolve("GO-2024-0001.json"), GO_RECORD);
        Files.writeString(advisories.resolve("PYSEC-2024-0002.yaml"), PYPI_RECORD);
        Files.writeString(advisories.resolve("withdrawn.json"), WITHDRAWN);
        Path q = queries("""
                Go,github.com/containerd/containerd,v1.7.26
                Go,github.com/containerd/containerd,1.7.27
                PyPI,VLLM,0.8.5
                PyPI,vllm,0.9.0
                PyPI,vllm,latest
                Maven,org.example:lib,1.0
                """);

        Cli.Result r = Cli.run("vulns", "match", "--advisories", dir.resolve("osv").toString(), "--queries", q.toString(), "-o", "json");

        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode rows = Json.tree(r.out());
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0).toString()).isEqualTo(
                "{\"ecosystem\":\"Go\",\"package\":\"github.com/containerd/containerd\",\"version\":\"v1.7.26\",\"ids\":[\"GO-2024-0001\"]}");
        assertThat(rows.get(1).path("ids")).isEmpty();
        assertThat(rows.get(2).path("ids").toString()).as("withdrawn records never match").isEqualTo("[\"PYSEC-2024-0002\"]");
        assertThat(rows.get(3).path("ids")).isEmpty();
        assertThat(rows.get(4).has("ids")).isFalse();
        assertThat(rows.get(4).path("error").asText()).contains("not a PEP 440 version");
        assertThat(rows.get(5).path("error").asText()).contains("unknown ecosystem \"Maven\"");
    }

    @Test
    void readsAZipAndNamesABadRecordWithoutLosingTheOthers() throws IOException {
        Path zip = dir.resolve("osv.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            entry(out, "a/GO-2024-0001.json", GO_RECORD);
            entry(out, "b/bad.json", "{\"id\":\"BAD-1\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"m\"},"
                    + "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1.0.0\"}]}]}]}");
        }
        Cli.Result r = Cli.run("vulns", "match", "--advisories", zip.toString(), "--queries",
                queries("Go,github.com/containerd/containerd,1.6.0\n").toString(), "-o", "json");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Json.tree(r.out()).get(0).path("ids").toString()).isEqualTo("[\"GO-2024-0001\"]");
        assertThat(r.err()).contains("osv.zip!b/bad.json (BAD-1)").contains("affected[0].ranges[0].events[0]")
                .contains("exactly one of introduced, fixed, last_affected or limit");
    }

    @Test
    void aQueryFileWithoutItsHeaderIsRefusedNamingTheLine() throws IOException {
        Path q = dir.resolve("bad.csv");
        Files.writeString(q, "package,version\nvllm,0.1.0\n");
        Files.writeString(dir.resolve("r.json"), GO_RECORD);
        Cli.Result r = Cli.run("vulns", "match", "--advisories", dir.resolve("r.json").toString(), "--queries", q.toString(), "-o", "json");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("line 1: the header must be ecosystem,package,version");
    }

    private static void entry(ZipOutputStream out, String name, String body) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        OutputStream o = out;
        o.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
