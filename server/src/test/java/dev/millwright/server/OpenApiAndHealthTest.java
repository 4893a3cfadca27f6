package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.kinds.Kinds;
import dev.millwright.resource.KindDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every kind; health and readiness answer without a token, metrics to platform admins. */
class OpenApiAndHealthTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void openApiIsOpenApi31ListingEveryKindWithItsSchemasAndPaths() {
        var r = server.call("GET", "/api/v1/openapi.json", null, null);
        JsonNode doc = expect(r, 200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/info/version").asText()).isEqualTo(MillwrightServer.VERSION);
        JsonNode schemas = doc.at("/components/schemas");
        JsonNode paths = doc.get("paths");
        List<KindDefinition> kinds = Kinds.registry().all();
        assertThat(kinds).isNotEmpty();
        for (KindDefinition k : kinds) {
            for (String schema : List.of(k.kind(), k.kind() + "Spec", k.kind() + "List")) {
                assertThat(schemas.has(schema)).as("schema %s", schema).isTrue();
            }
            assertThat(fieldNames(schemas.get(k.kind() + "Spec").get("properties"))).as("%s spec properties", k.kind())
                    .containsExactlyInAnyOrderElementsOf(fieldNames(k.specSchemaJson().get("properties")));
            String collection = k.tenantScoped() ? "/api/v1/tenants/{tenant}/" + k.plural() : "/api/v1/" + k.plural();
            assertThat(fieldNames(paths.get(collection))).as(collection).contains("get", "post");
            assertThat(fieldNames(paths.get(collection + "/{name}"))).as(collection).contains("get", "put", "patch", "delete");
            assertThat(fieldNames(paths.get(collection + "/{name}/status"))).as(collection).contains("put");
            if (k.tenantScoped()) assertThat(fieldNames(paths.get("/api/v1/" + k.plural()))).contains("get");
        }
        assertThat(fieldNames(schemas.at("/ProjectSpec/properties"))).contains("members", "description");
        assertThat(fieldNames(paths)).contains("/api/v1/tokens", "/api/v1/audit", "/api/v1/audit/verify", "/api/v1/events");
        assertEveryRefResolves(doc, doc, "");
    }

    /** Every {@code $ref} in the document points at something in it. */
    private static void assertEveryRefResolves(JsonNode doc, JsonNode node, String where) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("$ref")) {
                    String ref = e.getValue().asText();
                    assertThat(ref).as("$ref at %s", where).startsWith("#/");
                    assertThat(doc.at(ref.substring(1)).isMissingNode()).as("%s at %s resolves", ref, where).isFalse();
                } else {
                    assertEveryRefResolves(doc, e.getValue(), where + "/" + e.getKey());
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) assertEveryRefResolves(doc, node.get(i), where + "/" + i);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void healthAndReadinessAnswerWithoutAToken() {
        var health = server.call("GET", "/healthz", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok");
        JsonNode ready = expect(server.call("GET", "/readyz", null, null), 200);
        assertThat(ready.get("status").asText()).isEqualTo("ready");
        assertThat(ready.get("revision").isIntegralNumber()).isTrue();
        assertThat(ready.get("revision").asLong()).isPositive(); // the bootstrap admin is revision 1
        assertThat(ready.get("leader").isBoolean()).isTrue();
        assertThat(ready.get("identity").asText()).isNotBlank();
    }

    @Test
    void metricsCountRequestsByRouteAndReportLeadership() {
        server.call("GET", "/healthz", null, null);
        server.admin("GET", "/api/v1/tenants", null);
        var metrics = server.admin("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("millwright_http_requests", "millwright_controller_leader", "route=\"/api/v1/{plural}\"",
                "millwright_feed_revision", "millwright_watch_streams");
    }

    @Test
    void unmatchedRoutesAreAnswered404AndCountedAsUnmatched() {
        // regression: the request logger asked Javalin for the endpoint of an unmatched request, which threw and turned the 404 into a 500
        assertError(server.call("GET", "/api/v2/nothing-here", null, null), 404, "/api/v2/nothing-here");
        assertError(server.call("POST", "/not/a/route", null, "{}"), 404);
        assertThat(server.admin("GET", "/metrics", null).body()).containsPattern("millwright_http_requests_seconds_count\\{[^}]*route=\"unmatched\"[^}]*status=\"404\"");
    }

    @Test
    void kindsAreListedToAuthenticatedCallers() {
        assertError(server.call("GET", "/api/v1/kinds", null, null), 401);
        JsonNode kinds = expect(server.admin("GET", "/api/v1/kinds", null), 200).get("kinds");
        List<String> names = new ArrayList<>();
        for (JsonNode k : kinds) names.add(k.get("kind").asText());
        assertThat(names).containsExactlyElementsOf(Kinds.registry().all().stream().map(KindDefinition::kind).toList());
        assertThat(kinds.get(0).get("scope").asText()).isIn("platform", "tenant");
    }
}
