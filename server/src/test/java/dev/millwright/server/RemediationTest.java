package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.vulns.VulnKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What fixes an environment's findings, on its status and from the remediation endpoint, with the real vLLM
 * advisories: CVE-2025-24357 (fixed in vLLM 0.7.0), CVE-2025-46570 (0.9.0) and CVE-2025-6242 (0.11.0, newer than
 * any vLLM in the catalog). The environment runs vLLM 0.6.6.
 */
class RemediationTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dev.millwright.store.TestDatabases.freshUrl("remediation"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        publish("1.0.0", "550.54.15", "12.2.2", "24.3.0", "0.6.6");
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"serve"},"spec":{"stage":"dev","template":{"name":"serve","version":"1.0.0"},"nodePools":[]}}""");
        JsonNode records = Json.tree(Files.readString(Path.of("../core/src/test/resources/vulns/ghsa-vuln-list/vllm_ghsa_osv_converted.json")));
        for (JsonNode record : records.path("vulns")) {
            var doc = Json.object().put("kind", VulnKinds.ADVISORY);
            doc.putObject("metadata").put("name", VulnKinds.nameOf(record.path("id").asText()));
            doc.set("spec", record);
            create(server, "/api/v1/advisories", Json.string(doc));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static void publish(String version, String driver, String cuda, String operator, String vllm) {
        create(server, "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"serve-%s"},"spec":{"template":"serve","version":"%s","layers":[
                  {"pack":"gpu-driver","version":"%s"},{"pack":"cuda","version":"%s"},{"pack":"kubernetes","version":"1.30"},
                  {"pack":"gpu-operator","version":"%s"},{"pack":"vllm","version":"%s"}]}}"""
                .formatted(version.replace('.', '-'), version, driver, cuda, operator, vllm));
    }

    private static JsonNode finding(String name) {
        JsonNode findings = FleetFixtures.get(server, "/api/v1/tenants/acme/environments/serve").path("status").path("vulnerabilities").path("findings");
        for (JsonNode f : findings) if (f.path("name").asText().equals(name)) return f;
        return Json.object();
    }

    private static JsonNode remediation(String query) {
        return expect(server.admin("GET", "/api/v1/tenants/acme/environments/serve/remediation" + query, null), 200);
    }

    @Test
    void eachFindingSaysWhatFixesItAndAPublishedVersionTakesOverOnceThereIsOne() {
        // nothing published fixes them yet: the solver's smallest change, or plainly why there is none
        JsonNode unpublished = ApiFixtures.await(() -> finding("CVE-2025-24357"), f -> f.has("remediation"), Duration.ofSeconds(20),
                "the finding's remediation on the status");
        assertThat(unpublished.path("remediation").has("template")).isFalse();
        assertThat(unpublished.path("remediation").path("smallestChange").toString()).contains("\"pack\":\"vllm\"", "\"to\":\"0.7.3\"");
        assertThat(unpublished.path("remediation").path("summary").asText()).startsWith("no published template version has the fix");
        // the advisories arrive one by one: each finding shows once the pass after its record has run
        JsonNode beyondCatalog = ApiFixtures.await(() -> finding("CVE-2025-6242"), f -> f.has("remediation"), Duration.ofSeconds(20),
                "CVE-2025-6242 on the status").path("remediation");
        assertThat(beyondCatalog.has("smallestChange")).isFalse();
        assertThat(beyondCatalog.path("summary").asText()).contains("fixed in PyPI vllm 0.11.0").contains("newest vllm is 0.9.2");

        // two findings fixed together, by any of their ids: vLLM 0.9.2 needs CUDA 12.8, which needs a newer driver
        JsonNode both = remediation("?finding=CVE-2025-46570&finding=ghsa-rh4j-5rhw-hr54");
        assertThat(both.path("findings")).extracting(JsonNode::asText).containsExactlyInAnyOrder("CVE-2025-24357", "CVE-2025-46570");
        assertThat(both.path("remediation").path("smallestChange").toString()).contains("\"pack\":\"vllm\"", "\"to\":\"0.9.2\"", "\"pack\":\"gpu-driver\"");
        JsonNode manifest = both.path("newTemplate");
        assertThat(manifest.path("metadata").path("name").asText()).isEqualTo("serve-1-0-1");
        assertThat(manifest.path("spec").path("layers").toString()).contains("{\"pack\":\"vllm\",\"version\":\"0.9.2\"}");
        assertThat(remediation("").path("findings")).as("by default, every finding with a known fix")
                .extracting(JsonNode::asText).contains("CVE-2025-24357", "CVE-2025-46570", "CVE-2025-6242");

        // published as it is, it is what both findings move to
        create(server, "/api/v1/stacktemplates", Json.string(manifest));
        ApiFixtures.await(() -> finding("CVE-2025-46570"), f -> f.path("remediation").path("template").path("version").asText().equals("1.0.1"),
                Duration.ofSeconds(20), "the published fix for CVE-2025-46570");
        // a version that fixes only the older hole, with fewer changes, becomes that one's remedy
        publish("1.0.2", "550.54.15", "12.4.1", "24.3.0", "0.7.3");
        JsonNode fewer = ApiFixtures.await(() -> finding("CVE-2025-24357"), f -> f.path("remediation").path("template").path("version").asText().equals("1.0.2"),
                Duration.ofSeconds(20), "the version with the fewest changes");
        assertThat(fewer.path("remediation").path("summary").asText()).isEqualTo("move to serve@1.0.2 (cuda 12.2.2 -> 12.4.1, vllm 0.6.6 -> 0.7.3)");
        assertThat(finding("CVE-2025-46570").path("remediation").path("template").path("version").asText()).as("1.0.2 runs a vLLM it affects")
                .isEqualTo("1.0.1");
    }

    @Test
    void anUnknownFindingOrEnvironmentIsRefusedPlainly() {
        assertError(server.admin("GET", "/api/v1/tenants/acme/environments/serve/remediation?finding=CVE-1999-0001", null), 422,
                "finding", "CVE-1999-0001 is not a finding of serve");
        assertError(server.admin("GET", "/api/v1/tenants/acme/environments/nope/remediation", null), 404);
        assertThat(List.of(server.call("GET", "/api/v1/tenants/acme/environments/serve/remediation", null, null).statusCode())).containsExactly(401);
    }
}
