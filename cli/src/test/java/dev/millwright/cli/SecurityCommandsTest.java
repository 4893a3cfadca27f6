package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.server.TestServer;
import dev.millwright.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security commands against a real server: {@code sbom} (the CycloneDX document, printed or written to a
 * file), {@code vulns import} (all or nothing) and {@code vulns [ENV]} (what environments are exposed to).
 */
class SecurityCommandsTest {
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestDatabases.freshUrl("cli-security"));
        Path world = Files.createTempFile("sbom-world", ".yaml");
        Files.writeString(world, """
                kind: Tenant
                metadata: {name: sbom-co}
                spec: {}
                ---
                kind: StackTemplate
                metadata: {name: gpu-1-0-0}
                spec: {template: gpu, version: 1.0.0, layers: [{pack: ubuntu, version: "24.04"}, {pack: gpu-driver, version: 580.95.05},
                  {pack: cuda, version: 12.8.0}, {pack: kubernetes, version: "1.33"}, {pack: vllm, version: 0.9.2}]}
                ---
                kind: Environment
                metadata: {name: dev, tenant: sbom-co}
                spec: {stage: dev, template: {name: gpu, version: 1.0.0}, nodePools: []}
                """);
        Cli.Result applied = admin("apply", "-f", world.toString());
        assertThat(applied.exit()).as(applied.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Cli.Result admin(String... args) {
        return Cli.asAdmin(server, args);
    }

    @Test
    void printsOrWritesTheEnvironmentsBillOfMaterials() throws Exception {
        Cli.Result printed = admin("sbom", "dev", "-t", "sbom-co");
        assertThat(printed.exit()).as(printed.toString()).isZero();
        JsonNode bom = Json.tree(printed.out());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("components").toString()).contains("pkg:pypi/vllm@0.9.2");

        Path file = dir.resolve("dev.cdx.json");
        Cli.Result written = admin("sbom", "dev", "-t", "sbom-co", "-o", file.toString());
        assertThat(written.exit()).as(written.toString()).isZero();
        assertThat(Json.tree(Files.readString(file)).path("metadata").path("component").path("name").asText()).isEqualTo("dev");

        Cli.Result missing = admin("sbom", "nope", "-t", "sbom-co");
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void importIsAllOrNothingAndTheEnvironmentShowsWhatItIsExposedTo() throws Exception {
        Path osv = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(osv.resolve("GHSA-cli-0001.json"), """
                {"id":"GHSA-cli-0001","aliases":["CVE-2099-1111"],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"PyPI","name":"vllm"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}""");
        Files.writeString(osv.resolve("bad.json"), """
                {"id":"BAD-2","affected":[{"package":{"ecosystem":"PyPI","name":"x"},"ranges":[{"type":"ECOSYSTEM","events":[{"fixed":"1.0"}]}]}]}""");

        Cli.Result refused = admin("vulns", "import", osv.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.err()).contains("bad.json (BAD-2)").contains("must have at least one introduced event").contains("nothing was imported");
        assertThat(admin("get", "advisories").out()).doesNotContain("GHSA-cli-0001");

        Files.delete(osv.resolve("bad.json"));
        Cli.Result imported = admin("vulns", "import", osv.toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("imported 1 advisories: 1 new, 0 updated");
        assertThat(admin("vulns", "import", osv.toString()).out()).as("again: an update").contains("0 new, 1 updated");

        String shown = awaitOutput(() -> admin("vulns", "dev", "-t", "sbom-co").out(), out -> out.contains("CVE-2099-1111"));
        assertThat(shown).startsWith("sbom-co/dev (gpu@1.0.0): 1 high").contains("PyPI vllm 0.9.2").contains("7.5");
        assertThat(admin("vulns").out()).contains("sbom-co", "dev", "gpu@1.0.0", "1 high");
    }

    private static String awaitOutput(java.util.function.Supplier<String> run, java.util.function.Predicate<String> until) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        String out = run.get();
        while (!until.test(out) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            out = run.get();
        }
        return out;
    }
}
