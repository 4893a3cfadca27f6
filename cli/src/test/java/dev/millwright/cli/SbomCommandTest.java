package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.server.TestServer;
import dev.millwright.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code millwright sbom}: the server's CycloneDX document, printed or written to a file. */
class SbomCommandTest {
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestDatabases.freshUrl("cli-sbom"));
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
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", server.url(), "--token", server.adminToken()));
        return Cli.run(all.toArray(String[]::new));
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
}
