package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.await;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnvironmentApiTest {
    private static TestServer server;
    private static String anna;
    private static String ben;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/users", ApiFixtures.user("anna"));
        create(server, "/api/v1/users", ApiFixtures.user("ben"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "anna", "tenant-admin", "ben", "practitioner"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("globex"));
        anna = ApiFixtures.token(server, "anna");
        ben = ApiFixtures.token(server, "ben");
        create(server, "/api/v1/sites", """
                {"kind":"Site","metadata":{"name":"munich"},"spec":{"kind":"datacenter","region":"de","jurisdiction":"DE"}}""");
        for (String m : new String[] {"m1", "m2", "m3", "m4"}) {
            create(server, "/api/v1/machines", """
                    {"kind":"Machine","metadata":{"name":"%s"},"spec":{"site":"munich","bmc":{"endpoint":"twin://hgx-h100"}}}""".formatted(m));
        }
        create(server, "/api/v1/clusters", "{\"kind\":\"Cluster\",\"metadata\":{\"name\":\"shared\"},\"spec\":{\"site\":\"munich\"}}");
        create(server, "/api/v1/clusters", "{\"kind\":\"Cluster\",\"metadata\":{\"name\":\"globex-only\"},\"spec\":{\"site\":\"munich\",\"tenant\":\"globex\"}}");
        pool("p1", "shared", "m1", "m2");
        pool("p2", "shared", "m3");
        pool("p3", "globex-only", "m4");
        create(server, "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"base-1-0-0"},
                 "spec":{"template":"base","version":"1.0.0","layers":[{"pack":"kubernetes","version":"1.33"}]}}""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void pool(String name, String cluster, String... machines) {
        create(server, "/api/v1/nodepools", "{\"kind\":\"NodePool\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"cluster\":\"%s\",\"machines\":[%s]}}"
                .formatted(name, cluster, String.join(",", java.util.Arrays.stream(machines).map(m -> "\"" + m + "\"").toList())));
    }

    private static String env(String name, String version, String... pools) {
        return "{\"kind\":\"Environment\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"stage\":\"prod\",\"template\":{\"name\":\"base\",\"version\":\"%s\"},\"nodePools\":[%s],\"quota\":{\"gpus\":{\"H100 80GB\":16}}}}"
                .formatted(name, version, String.join(",", java.util.Arrays.stream(pools).map(p -> "\"" + p + "\"").toList()));
    }

    @Test
    void aTenantAdminBindsAnEnvironmentToATemplateVersionAndItsPoolsAndSeesItsNodes() {
        var created = server.call("POST", "/api/v1/tenants/acme/environments", anna, env("prod", "1.0.0", "p1"));
        expect(created, 201);
        JsonNode status = await(() -> expect(server.call("GET", "/api/v1/tenants/acme/environments/prod", anna, null), 200),
                e -> e.path("status").path("nodes").asInt() == 2 && e.path("status").has("observedGeneration"),
                Duration.ofSeconds(15), "environment status").path("status");
        assertThat(status.path("template").asText()).isEqualTo("base@1.0.0");
        assertThat(status.path("phase").asText()).isIn("Ready", "Degraded");
    }

    @Test
    void anEnvironmentNeedsAnExistingTemplateVersionAndPools() {
        assertError(server.call("POST", "/api/v1/tenants/acme/environments", anna, env("dev", "9.9.9", "ghost")), 422,
                "StackTemplate base-9-9-9 not found", "NodePool ghost not found");
    }

    @Test
    void aPoolServesOneEnvironmentAndAnotherTenantsHolderIsNotNamed() {
        expect(server.call("POST", "/api/v1/tenants/globex/environments", server.adminToken(), env("lab", "1.0.0", "p2")), 201);
        JsonNode error = assertError(server.call("POST", "/api/v1/tenants/acme/environments", anna, env("staging", "1.0.0", "p2")), 422,
                "nodepool p2 is already held by another tenant");
        assertThat(error.toString()).doesNotContain("lab");
    }

    @Test
    void aPoolOfAClusterDedicatedToAnotherTenantIsRefused() {
        assertError(server.call("POST", "/api/v1/tenants/acme/environments", anna, env("edge", "1.0.0", "p3")), 422,
                "node pool p3 is dedicated to another tenant");
    }

    @Test
    void variablesAreCheckedAgainstTheTemplateAndAnImmutableOneKeepsItsValue() {
        create(server, "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"vars-1-0-0"},
                 "spec":{"template":"vars","version":"1.0.0","layers":[{"pack":"kubernetes","version":"1.33"}],
                         "variables":[{"name":"podCidr","type":"cidr","required":true,"immutable":true}]}}""");
        String body = "{\"kind\":\"Environment\",\"metadata\":{\"name\":\"vars\"},\"spec\":{\"stage\":\"dev\",\"template\":{\"name\":\"vars\",\"version\":\"1.0.0\"},\"variables\":%s}}";
        assertError(server.call("POST", "/api/v1/tenants/acme/environments", anna, body.formatted("{\"podCidr\":\"10.0.0.0/33\",\"x\":1}")), 422,
                "spec.variables.podCidr", "must be an IPv4 CIDR block", "spec.variables.x", "declares no variable x");
        assertThat(server.call("GET", "/api/v1/tenants/acme/environments/vars", anna, null).statusCode()).isEqualTo(404);
        expect(server.call("POST", "/api/v1/tenants/acme/environments", anna, body.formatted("{\"podCidr\":\"10.244.0.0/16\"}")), 201);
        assertError(server.call("PATCH", "/api/v1/tenants/acme/environments/vars", anna, "{\"spec\":{\"variables\":{\"podCidr\":\"10.96.0.0/12\"}}}",
                ApiFixtures.MERGE_PATCH), 422, "spec.variables.podCidr", "is immutable");
    }

    @Test
    void practitionersDoNotCreateEnvironments() {
        assertError(server.call("POST", "/api/v1/tenants/acme/environments", ben, env("mine", "1.0.0")), 403);
    }
}
