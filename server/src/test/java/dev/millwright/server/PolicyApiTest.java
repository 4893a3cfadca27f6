package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Policies through the API, on a fleet in two jurisdictions: H100 nodes in Munich (DE), an L40S node in Paris
 * (FR). Tenant acme keeps its data in Germany. The default policy set is there from the first start; writes are
 * judged at admission, placements by the scheduler, and a dry run shows what a policy would deny first.
 */
class PolicyApiTest {
    private static TestServer server;
    private static String ben;
    private static String anna;

    @BeforeAll
    static void start() {
        server = TwinWorld.start("policies");
        create(server, "/api/v1/users", ApiFixtures.user("ben"));
        create(server, "/api/v1/users", ApiFixtures.user("anna"));
        create(server, "/api/v1/tenants", """
                {"kind":"Tenant","metadata":{"name":"acme"},"spec":{"members":[{"user":"ben","role":"practitioner"},{"user":"anna","role":"tenant-admin"}],
                 "compliance":{"residency":["DE"]}}}""");
        ben = ApiFixtures.token(server, "ben");
        anna = ApiFixtures.token(server, "anna");
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        create(server, "/api/v1/sites", site("par", "cloud", "FR"));
        create(server, "/api/v1/machines", machine("de-1", "muc", "twin://hgx-h100/de-1", 8));
        create(server, "/api/v1/machines", machine("fr-1", "par", "twin://l40s-4x/fr-1", 4));
        create(server, "/api/v1/clusters", cluster("c-de", "muc", null));
        create(server, "/api/v1/clusters", cluster("c-fr", "par", null));
        create(server, "/api/v1/nodepools", pool("gpu-de", "c-de", "de-1"));
        create(server, "/api/v1/nodepools", pool("gpu-fr", "c-fr", "fr-1"));
        TwinWorld.publishLlmTemplateAndApps(server);
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"prod"},"spec":{"stage":"prod","template":{"name":"llm","version":"1.0.0"},
                 "nodePools":["gpu-de","gpu-fr"],"quota":{"gpus":{"H100 80GB":8,"L40S":4}}}}""");
        TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/environments/prod").path("status"),
                s -> s.path("phase").asText().equals("Ready") && s.path("nodesInSync").asInt() == 2, Duration.ofMinutes(2),
                "environment prod ready on both nodes");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String workload(String name, String spec) {
        return "{\"kind\":\"Workload\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}";
    }

    private static String chat(String name, String more) {
        return workload(name, "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"parameters\":{\"model\":\"m\"}" + more + "}");
    }

    private static JsonNode awaitWorkload(String name, Predicate<JsonNode> until, String what) {
        return TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/workloads/" + name).path("status"), until,
                Duration.ofSeconds(30), name + " " + what);
    }

    @Test
    void theDefaultSetIsThereFromTheFirstStartForPlatformAdminsOnly() {
        JsonNode list = expect(server.admin("GET", "/api/v1/policies", null), 200);
        assertThat(ApiFixtures.names(list)).contains("fips-builds", "cve-gate", "data-residency", "data-residency-placement",
                "confidential-computing", "practitioner-gpu-limit");
        // a policy's status names objects of every tenant: tenants see a denial's policy and message, not the policies
        HttpResponse<String> asTenant = server.call("GET", "/api/v1/policies", anna, null);
        assertThat(asTenant.statusCode() == 403 || ApiFixtures.names(ApiFixtures.json(asTenant)).isEmpty()).as(asTenant.body()).isTrue();
        assertThat(server.call("DELETE", "/api/v1/policies/cve-gate", anna, null).statusCode()).isIn(403, 404);
    }

    @Test
    void anInvalidExpressionIsRefusedWithItsPositionAndNothingIsStored() {
        assertError(server.admin("POST", "/api/v1/policies", """
                {"kind":"Policy","metadata":{"name":"typo"},"spec":{"subject":"Workload","rule":"workload.gpus <= 8 && wokload.gpus > 0","message":"m"}}"""),
                422, "spec.rule", "spec.rule:1:23", "undeclared reference to 'wokload'");
        assertError(server.admin("GET", "/api/v1/policies/typo", null), 404);
        assertError(server.admin("POST", "/api/v1/policies/test", """
                {"kind":"Policy","metadata":{"name":"typo"},"spec":{"subject":"Placement","rule":"node.jurisdiction ==","message":"m"}}"""),
                422, "spec.rule:1:21");
    }

    @Test
    void anEnvironmentMarkedFipsIsRefusedNamingThePacksWithoutAValidatedBuild() {
        HttpResponse<String> refused = server.call("POST", "/api/v1/tenants/acme/environments", anna, """
                {"kind":"Environment","metadata":{"name":"regulated"},"spec":{"stage":"dev","fips":true,"template":{"name":"llm","version":"1.0.0"},"nodePools":[]}}""");
        assertError(refused, 422, "policies.fips-builds", "environment regulated is marked FIPS", "kubernetes 1.33", "vllm 0.9.2 (serving)");
        assertThat(refused.body()).doesNotContain("gpu-driver 580").as("the driver does no cryptography");
        assertError(server.call("GET", "/api/v1/tenants/acme/environments/regulated", anna, null), 404);
    }

    @Test
    void theCveGateRefusesATemplateWithACriticalFindingThatHasAFix() {
        create(server, "/api/v1/advisories", """
                {"kind":"Advisory","metadata":{"name":"ghsa-gate-0001"},"spec":{"id":"GHSA-gate-0001","aliases":["CVE-2099-4242"],
                 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"PyPI","name":"vllm"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0.9.0"},{"fixed":"0.9.3"}]}]}]}}""");
        try {
            assertError(server.admin("POST", "/api/v1/stacktemplates", """
                    {"kind":"StackTemplate","metadata":{"name":"llm-1-0-9"},"spec":{"template":"llm","version":"1.0.9","layers":[
                      {"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"12.8.0"},{"pack":"kubernetes","version":"1.33"},
                      {"pack":"vllm","version":"0.9.2"}]}}"""), 422,
                    "policies.cve-gate", "llm@1.0.9 contains critical vulnerabilities that have a fix: CVE-2099-4242 in PyPI vllm 0.9.2 (fixed in 0.9.3)");
            // the same stack without vLLM is published
            expect(server.admin("POST", "/api/v1/stacktemplates", """
                    {"kind":"StackTemplate","metadata":{"name":"base-1-0-0"},"spec":{"template":"base","version":"1.0.0","layers":[
                      {"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"12.8.0"},{"pack":"kubernetes","version":"1.33"}]}}"""), 201);
        } finally {
            expect(server.admin("DELETE", "/api/v1/advisories/ghsa-gate-0001", null), 200);
        }
    }

    @Test
    void restrictedDataIsPlacedOnlyInTheTenantsJurisdictionsAndConfidentialWorkOnlyOnCapableGpus() {
        // restricted data: the environment has a German site, so it is admitted; the scheduler keeps it off Paris
        expect(server.call("POST", "/api/v1/tenants/acme/workloads", anna, chat("secret-chat",
                ",\"gpuModel\":\"L40S\",\"dataClassification\":\"restricted\"")), 201);
        JsonNode waiting = awaitWorkload("secret-chat", s -> s.path("reason").asText().contains("placement policies"), "refused the Paris node");
        assertThat(waiting.path("phase").asText()).isEqualTo("Pending");
        assertThat(waiting.path("reason").asText()).contains("refuse every").contains("L40S node of its environment (1)")
                .contains("data-residency-placement: node fr-1 is in FR, outside DE");
        // public data goes to Paris
        expect(server.call("POST", "/api/v1/tenants/acme/workloads", anna, chat("public-chat",
                ",\"gpuModel\":\"L40S\",\"dataClassification\":\"public\"")), 201);
        JsonNode placed = awaitWorkload("public-chat", s -> !s.path("placements").isEmpty(), "placed");
        assertThat(placed.path("placements").get(0).path("machine").asText()).isEqualTo("fr-1");
        // a confidential workload runs on the H100s (confidential-computing capable), never on the L40S
        expect(server.call("POST", "/api/v1/tenants/acme/workloads", anna, chat("tee-chat", ",\"gpuModel\":\"L40S\",\"confidential\":true")), 201);
        assertThat(awaitWorkload("tee-chat", s -> s.path("reason").asText().contains("confidential-computing"), "refused").path("reason").asText())
                .contains("node fr-1 (NVIDIA L40S) cannot run confidential workloads");
        expect(server.call("POST", "/api/v1/tenants/acme/workloads", anna, chat("tee-h100", ",\"gpuModel\":\"H100 80GB\",\"confidential\":true")), 201);
        assertThat(awaitWorkload("tee-h100", s -> !s.path("placements").isEmpty(), "placed").path("placements").get(0).path("machine").asText())
                .isEqualTo("de-1");
        for (String w : new String[] {"secret-chat", "public-chat", "tee-chat", "tee-h100"}) {
            expect(server.admin("DELETE", "/api/v1/tenants/acme/workloads/" + w, null), 200);
        }
    }

    @Test
    void aPractitionersLimitCountsTheirOwnWorkloadsAndWarnPoliciesOnlyWarn() {
        expect(server.admin("POST", "/api/v1/policies", """
                {"kind":"Policy","metadata":{"name":"acme-practitioners"},"spec":{"subject":"Workload","tenants":["acme"],
                 "match":"'practitioner' in caller.roles","rule":"usage.userGpus + workload.gpus <= 2",
                 "message":"a practitioner of acme asks for at most 2 GPUs"}}"""), 201);
        expect(server.admin("POST", "/api/v1/policies", """
                {"kind":"Policy","metadata":{"name":"name-your-models"},"spec":{"subject":"Workload","enforcement":"Warn",
                 "rule":"workload.name.endsWith('-chat') || workload.name.startsWith('w')","message":"name chat services NAME-chat"}}"""), 201);
        try {
            expect(server.call("POST", "/api/v1/tenants/acme/workloads", ben, chat("w1", "")), 201);
            expect(server.call("POST", "/api/v1/tenants/acme/workloads", ben, chat("w2", "")), 201);
            assertError(server.call("POST", "/api/v1/tenants/acme/workloads", ben, chat("w3", "")), 422,
                    "policies.acme-practitioners", "a practitioner of acme asks for at most 2 GPUs");
            // the tenant admin's workloads are not the practitioner's, and the limit is not theirs
            HttpResponse<String> warned = server.call("POST", "/api/v1/tenants/acme/workloads", anna, chat("other", ""));
            expect(warned, 201);
            assertThat(warned.headers().allValues("Warning")).anySatisfy(h -> assertThat(h).contains("name-your-models: name chat services NAME-chat"));
            // the creator is the server's to say
            assertThat(get(server, "/api/v1/tenants/acme/workloads/w1").path("metadata").path("annotations").path("millwright.dev/created-by").asText())
                    .isEqualTo("user:ben");
        } finally {
            for (String w : new String[] {"w1", "w2", "other"}) server.admin("DELETE", "/api/v1/tenants/acme/workloads/" + w, null);
            server.admin("DELETE", "/api/v1/policies/acme-practitioners", null);
            server.admin("DELETE", "/api/v1/policies/name-your-models", null);
        }
    }

    @Test
    void aDryRunShowsWhatAPolicyWouldDenyAmongExistingObjectsAndWritesNothing() {
        JsonNode all = expect(server.admin("POST", "/api/v1/policies/test", """
                {"kind":"Policy","metadata":{"name":"no-prod"},"spec":{"subject":"Environment","rule":"environment.stage != 'prod'",
                 "messageExpression":"'no prod environments: ' + environment.name","message":"m"}}"""), 200);
        assertThat(all.path("summary").asText()).isEqualTo("would deny every one of the 1 existing Environments it covers");
        assertThat(all.path("violating").get(0).path("object").asText()).isEqualTo("Environment acme/prod");
        assertThat(all.path("violating").get(0).path("message").asText()).isEqualTo("no prod environments: prod");
        assertError(server.admin("GET", "/api/v1/policies/no-prod", null), 404);
        assertError(server.call("POST", "/api/v1/policies/test", anna, "{\"kind\":\"Policy\",\"metadata\":{\"name\":\"x\"},\"spec\":{}}"), 403);

        // stored anyway, it warns at once, and its status keeps the count
        HttpResponse<String> stored = server.admin("POST", "/api/v1/policies", """
                {"kind":"Policy","metadata":{"name":"no-prod"},"spec":{"subject":"Environment","rule":"environment.stage != 'prod'","message":"no prod"}}""");
        expect(stored, 201);
        assertThat(stored.headers().allValues("Warning")).anySatisfy(h -> assertThat(h).contains("would deny every one of the 1 existing Environments"));
        try {
            JsonNode status = FleetFixtures.awaitObject(server, "/api/v1/policies/no-prod", p -> p.path("status").has("violations"), "the review");
            assertThat(status.path("status").path("violations").asInt()).isEqualTo(1);
            assertThat(status.path("status").path("evaluated").asInt()).isEqualTo(1);
        } finally {
            expect(server.admin("DELETE", "/api/v1/policies/no-prod", null), 200);
        }
    }
}
