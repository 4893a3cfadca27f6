package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Advisories stored through the API, and what each environment is exposed to on its status: found when an
 * advisory affecting a package of its stack arrives, gone when the advisory goes; a malformed record refused
 * with the field that is wrong.
 */
class ExposureTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dev.millwright.store.TestDatabases.freshUrl("exposure"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        TwinWorld.publishLlmTemplateAndApps(server);
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"serve"},"spec":{"stage":"dev","template":{"name":"llm","version":"1.0.0"},"nodePools":[]}}""");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static JsonNode vulnerabilities() {
        return FleetFixtures.get(server, "/api/v1/tenants/acme/environments/serve").path("status").path("vulnerabilities");
    }

    @Test
    void anAdvisoryOnAPackageOfTheStackShowsOnTheEnvironmentUntilItGoes() {
        create(server, "/api/v1/advisories", """
                {"kind":"Advisory","metadata":{"name":"ghsa-test-0001"},"spec":{"id":"GHSA-test-0001","aliases":["CVE-2099-0001"],
                 "summary":"a test hole in vLLM before 1.0","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"PyPI","name":"vllm"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}}""");
        create(server, "/api/v1/advisories", """
                {"kind":"Advisory","metadata":{"name":"ghsa-test-0002"},"spec":{"id":"GHSA-test-0002",
                 "affected":[{"package":{"ecosystem":"PyPI","name":"vllm"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.5.0"}]}]}]}}""");

        JsonNode v = ApiFixtures.await(ExposureTest::vulnerabilities, s -> s.path("findings").size() == 1, java.time.Duration.ofSeconds(15),
                "the finding on the environment");
        assertThat(v.path("summary").asText()).isEqualTo("1 critical");
        JsonNode finding = v.path("findings").get(0);
        assertThat(finding.path("name").asText()).isEqualTo("CVE-2099-0001");
        assertThat(finding.path("package").asText()).isEqualTo("PyPI vllm 0.9.2");
        assertThat(finding.path("score").asDouble()).isEqualTo(9.8);
        assertThat(finding.path("fixedIn").asText()).isEqualTo("1.0.0");
        String metrics = server.admin("GET", "/metrics", null).body();
        assertThat(metrics).containsPattern("millwright_vulnerabilities\\{[^}]*environment=\"serve\"[^}]*rating=\"critical\"[^}]*tenant=\"acme\"[^}]*\\} 1\\.0");

        ApiFixtures.expect(server.admin("DELETE", "/api/v1/advisories/ghsa-test-0001", null), 200);
        ApiFixtures.await(ExposureTest::vulnerabilities, s -> s.path("findings").isEmpty() && s.path("summary").asText().startsWith("none known"),
                java.time.Duration.ofSeconds(15), "the finding gone with its advisory");
    }

    @Test
    void aMalformedRecordOrAMisnamedOneIsRefusedNamingTheField() {
        HttpResponse<String> twoKeys = server.admin("POST", "/api/v1/advisories", """
                {"kind":"Advisory","metadata":{"name":"bad-1"},"spec":{"id":"BAD-1","affected":[{"package":{"ecosystem":"Go","name":"m"},
                 "ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1.0.0"}]}]}]}}""");
        assertThat(twoKeys.statusCode()).isEqualTo(422);
        assertThat(twoKeys.body()).contains("spec.affected[0].ranges[0].events[0]").contains("exactly one of introduced");
        HttpResponse<String> misnamed = server.admin("POST", "/api/v1/advisories", """
                {"kind":"Advisory","metadata":{"name":"other"},"spec":{"id":"GO-2099-0001","affected":[]}}""");
        assertThat(misnamed.statusCode()).isEqualTo(422);
        assertThat(misnamed.body()).contains("metadata.name").contains("go-2099-0001");
    }
}
