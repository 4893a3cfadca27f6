package dev.millwright.server;

import static org.assertj.core.api.Assertions.assertThat;

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
        var created = server.admin("POST", "/api/v1/stacktemplates", template("gpu-base-1-0-0", "1.0.0", "1.33.4", "{}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        var changed = server.admin("PUT", "/api/v1/stacktemplates/gpu-base-1-0-0", template("gpu-base-1-0-0", "1.0.0", "1.34.1", "{}"));
        assertThat(changed.statusCode()).isEqualTo(422);
        assertThat(Json.tree(changed.body()).path("details").path("spec").get(0).asText())
                .contains("immutable").contains("new version");
        assertThat(server.admin("GET", "/api/v1/stacktemplates/gpu-base-1-0-0", null).body()).contains("1.33.4").doesNotContain("1.34.1");

        var relabelled = server.admin("PUT", "/api/v1/stacktemplates/gpu-base-1-0-0",
                template("gpu-base-1-0-0", "1.0.0", "1.33.4", "{\"channel\":\"stable\"}"));
        assertThat(relabelled.statusCode()).as(relabelled.body()).isEqualTo(200);

        var next = server.admin("POST", "/api/v1/stacktemplates", template("gpu-base-1-1-0", "1.1.0", "1.34.1", "{}"));
        assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
    }

    @Test
    void everyAuthenticatedCallerReadsTheCatalogKinds() {
        assertThat(server.admin("GET", "/api/v1/packs", null).statusCode()).isEqualTo(200);
        assertThat(server.call("GET", "/api/v1/stacktemplates", null, null).statusCode()).isEqualTo(401);
    }
}
