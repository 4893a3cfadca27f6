package dev.millwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StackTemplateApiTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String template(String name, String version, String kubernetes, String labels) {
        return """
                {"kind":"StackTemplate","metadata":{"name":"%s","labels":%s},
                 "spec":{"template":"gpu-base","version":"%s","layers":[{"pack":"kubernetes","version":"%s"}]}}"""
                .formatted(name, labels, version, kubernetes);
    }

    @Test
    void aPublishedTemplateVersionIsImmutableButItsLabelsAreNot() {
        var created = server.admin("POST", "/api/v1/stacktemplates", template("gpu-base-1-0-0", "1.0.0", "1.33.13", "{}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        var changed = server.admin("PUT", "/api/v1/stacktemplates/gpu-base-1-0-0", template("gpu-base-1-0-0", "1.0.0", "1.34.11", "{}"));
        assertThat(changed.statusCode()).isEqualTo(422);
        assertThat(Json.tree(changed.body()).path("details").path("spec").get(0).asText())
                .contains("immutable").contains("new version");
        assertThat(server.admin("GET", "/api/v1/stacktemplates/gpu-base-1-0-0", null).body()).contains("1.33.13").doesNotContain("1.34.11");

        var relabelled = server.admin("PUT", "/api/v1/stacktemplates/gpu-base-1-0-0",
                template("gpu-base-1-0-0", "1.0.0", "1.33.13", "{\"channel\":\"stable\"}"));
        assertThat(relabelled.statusCode()).as(relabelled.body()).isEqualTo(200);

        var next = server.admin("POST", "/api/v1/stacktemplates", template("gpu-base-1-1-0", "1.1.0", "1.34.11", "{}"));
        assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
    }

    @Test
    void aTemplateWhoseLayersConflictIsRefusedNamingBothPacksAndTheRule() {
        var refused = server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"llm-1-0-0"},
                 "spec":{"template":"llm","version":"1.0.0","layers":[
                   {"pack":"gpu-driver","version":"550.163.01"},{"pack":"cuda","version":"12.8.0"},{"pack":"vllm","version":"0.9.2"}]}}""");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        String cudaError = Json.tree(refused.body()).path("details").path("spec.layers[1]").get(0).asText();
        assertThat(cudaError).contains("cuda 12.8.0").contains("gpu-driver").contains("550.163.01");
        assertThat(server.admin("GET", "/api/v1/stacktemplates/llm-1-0-0", null).statusCode()).isEqualTo(404);

        var unknown = server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"odd-1-0-0"},
                 "spec":{"template":"odd","version":"1.0.0","layers":[{"pack":"cuda","version":"99.0"},{"pack":"nonsense","version":"1.0"}]}}""");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("the catalog has no cuda 99.0").contains("the catalog has no pack nonsense");

        var fixed = server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"llm-1-0-0"},
                 "spec":{"template":"llm","version":"1.0.0","layers":[
                   {"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"12.8.0"},{"pack":"vllm","version":"0.9.2"}]}}""");
        assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(201);
    }

    @Test
    void aPlatformTeamsOwnPackCanBeUsedInATemplate() {
        var pack = server.admin("POST", "/api/v1/packs", """
                {"kind":"Pack","metadata":{"name":"acme-agent-1-2-0"},
                 "spec":{"layer":"observability","name":"acme-agent","version":"1.2.0",
                         "requires":[{"pack":"kubernetes","range":">=1.32","reason":"uses the v1 DRA API"}]}}""");
        assertThat(pack.statusCode()).as(pack.body()).isEqualTo(201);
        var ok = server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"obs-1-0-0"},
                 "spec":{"template":"obs","version":"1.0.0","layers":[{"pack":"kubernetes","version":"1.33.13"},{"pack":"acme-agent","version":"1.2.0"}]}}""");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        var old = server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"obs-0-9-0"},
                 "spec":{"template":"obs","version":"0.9.0","layers":[{"pack":"kubernetes","version":"1.31.14"},{"pack":"acme-agent","version":"1.2.0"}]}}""");
        assertThat(old.statusCode()).isEqualTo(422);
        assertThat(old.body()).contains("uses the v1 DRA API");
    }

    @Test
    void publishingATemplateWithAnEndOfLifeComponentWarnsButSucceeds() {
        var r = server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"legacy-1-0-0"},
                 "spec":{"template":"legacy","version":"1.0.0","layers":[{"pack":"kubernetes","version":"1.29"}]}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().allValues("Warning")).anySatisfy(w -> assertThat(w).startsWith("299 - ").contains("kubernetes 1.29").contains("end of life"));
        // the template controller writes the verdict and the warnings on the status
        JsonNode status = ApiFixtures.await(() -> Json.tree(server.admin("GET", "/api/v1/stacktemplates/legacy-1-0-0", null).body()),
                t -> t.path("status").has("valid"), java.time.Duration.ofSeconds(15), "template status").path("status");
        assertThat(status.path("valid").asBoolean()).isTrue();
        assertThat(status.path("warnings").toString()).contains("kubernetes 1.29");
    }

    @Test
    void everyAuthenticatedCallerReadsTheCatalogKinds() {
        assertThat(server.admin("GET", "/api/v1/packs", null).statusCode()).isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/stacktemplates", null, null).statusCode()).isEqualTo(401);
    }
}
