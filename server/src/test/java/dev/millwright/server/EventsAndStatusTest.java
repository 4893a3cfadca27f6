package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the tenancy controllers report through the API: status.observedGeneration follows
 * metadata.generation after each spec change, and events are served by object and by tenant, to the
 * tenant's members only.
 */
class EventsAndStatusTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestServer server;
    private static String tia;
    private static String gus;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (String u : List.of("tia", "gus")) create(server, "/api/v1/users", ApiFixtures.user(u));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "tia", "tenant-admin"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("globex", "gus", "tenant-admin"));
        tia = ApiFixtures.token(server, "tia");
        gus = ApiFixtures.token(server, "gus");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static JsonNode awaitObject(String path, Predicate<JsonNode> until, String what) {
        return ApiFixtures.await(() -> expect(server.admin("GET", path, null), 200), until, WAIT, what);
    }

    private static Predicate<JsonNode> observedGeneration(long generation) {
        return o -> o.at("/metadata/generation").asLong() == generation && o.at("/status/observedGeneration").asLong(-1) == generation;
    }

    private static JsonNode events(String path, String token) {
        return expect(server.call("GET", path, token, null), 200).get("items");
    }

    private static boolean hasEvent(JsonNode items, String kind, String tenant, String name, String reason) {
        for (JsonNode e : items) {
            JsonNode o = e.get("involvedObject");
            if (o.get("kind").asText().equals(kind) && o.path("tenant").asText("").equals(tenant)
                    && o.get("name").asText().equals(name) && e.get("reason").asText().equals(reason)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theTenantControllerObservesEachSpecGeneration() {
        JsonNode first = awaitObject("/api/v1/tenants/acme", observedGeneration(1), "the tenant's first status");
        assertThat(first.at("/status/phase").asText()).isEqualTo("Active");
        assertThat(first.at("/status/members").asInt()).isEqualTo(1);

        JsonNode patched = expect(server.call("PATCH", "/api/v1/tenants/acme", server.adminToken(),
                "{\"spec\":{\"description\":\"the first customer\"}}", MERGE_PATCH), 200);
        assertThat(patched.at("/metadata/generation").asLong()).isEqualTo(2);
        awaitObject("/api/v1/tenants/acme", observedGeneration(2), "observedGeneration 2");

        expect(server.call("PATCH", "/api/v1/tenants/acme", server.adminToken(), "{\"metadata\":{\"labels\":{\"tier\":\"gold\"}}}", MERGE_PATCH), 200);
        JsonNode relabelled = expect(server.admin("GET", "/api/v1/tenants/acme", null), 200);
        assertThat(relabelled.at("/metadata/generation").asLong()).as("labels are not the spec").isEqualTo(2);

        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("counted", null));
        awaitObject("/api/v1/tenants/acme", o -> o.at("/status/projects").asInt() >= 1, "the tenant to count its project");
    }

    @Test
    void theProjectControllerObservesEachSpecGenerationAndResolvesMembers() {
        create(server, "/api/v1/tenants/acme/projects",
                "{\"kind\":\"Project\",\"metadata\":{\"name\":\"vision\"},\"spec\":{\"members\":[{\"user\":\"ghost\",\"role\":\"viewer\"}]}}");
        String path = "/api/v1/tenants/acme/projects/vision";
        JsonNode first = awaitObject(path, observedGeneration(1), "the project's first status");
        assertThat(first.at("/status/conditions/0/reason").asText()).isEqualTo("UnknownMembers");
        assertThat(first.at("/status/conditions/0/message").asText()).isEqualTo("unknown users: ghost");

        expect(server.call("PATCH", path, tia, "{\"spec\":{\"description\":\"seeing things\"}}", MERGE_PATCH), 200);
        awaitObject(path, observedGeneration(2), "observedGeneration 2");

        expect(server.call("PATCH", path, tia, "{\"spec\":{\"members\":[{\"user\":\"tia\",\"role\":\"viewer\"}]}}", MERGE_PATCH), 200);
        JsonNode resolved = awaitObject(path, observedGeneration(3), "observedGeneration 3");
        assertThat(resolved.at("/status/conditions/0/status").asText()).isEqualTo("True");
        assertThat(resolved.at("/status/conditions/0/reason").asText()).isEqualTo("AllMembersKnown");
    }

    @Test
    void eventsAreServedByObjectAndByTenantToTheTenantsMembers() {
        create(server, "/api/v1/tenants/acme/projects",
                "{\"kind\":\"Project\",\"metadata\":{\"name\":\"noisy\"},\"spec\":{\"members\":[{\"user\":\"nobody\",\"role\":\"viewer\"}]}}");
        String byObject = "/api/v1/events?kind=Project&name=noisy&tenant=acme";
        JsonNode items = ApiFixtures.await(() -> events(byObject, tia), i -> i.size() > 0, WAIT, "an event on acme/noisy");
        JsonNode event = items.get(0);
        assertThat(event.get("type").asText()).isEqualTo("Warning");
        assertThat(event.get("reason").asText()).isEqualTo("UnknownMembers");
        assertThat(event.get("message").asText()).isEqualTo("unknown users: nobody");
        assertThat(event.get("source").asText()).isNotBlank();
        assertThat(event.get("count").asInt()).isPositive();
        assertThat(event.get("involvedObject")).isEqualTo(Json.object().put("kind", "Project").put("tenant", "acme").put("name", "noisy"));
        assertThat(events(byObject, server.adminToken())).isEqualTo(items);

        assertThat(hasEvent(events("/api/v1/tenants/acme/events", tia), "Project", "acme", "noisy", "UnknownMembers")).isTrue();
        assertThat(hasEvent(events("/api/v1/events", tia), "Project", "acme", "noisy", "UnknownMembers")).isTrue();
        JsonNode tenantEvents = ApiFixtures.await(() -> events("/api/v1/events?kind=Tenant&name=acme", tia),
                i -> hasEvent(i, "Tenant", "", "acme", "TenantActive"), WAIT, "TenantActive on acme");
        assertThat(tenantEvents.get(0).get("type").asText()).isEqualTo("Normal");

        // members of another tenant see none of it, and cannot tell it from nothing
        var hidden = server.call("GET", byObject, gus, null);
        assertError(hidden, 404, "Project acme/noisy not found");
        assertThat(server.call("GET", "/api/v1/events?kind=Project&name=noisy&tenant=nowhere", gus, null).body())
                .isEqualTo(hidden.body().replace("acme", "nowhere"));
        var hiddenTenant = server.call("GET", "/api/v1/tenants/acme/events", gus, null);
        assertError(hiddenTenant, 404, "Tenant acme not found");
        assertThat(server.call("GET", "/api/v1/tenants/nowhere/events", gus, null).body()).isEqualTo(hiddenTenant.body().replace("acme", "nowhere"));
        assertError(server.call("GET", "/api/v1/events?kind=Tenant&name=acme", gus, null), 404, "Tenant acme not found");
        for (JsonNode e : events("/api/v1/events", gus)) {
            assertThat(e.get("involvedObject").path("tenant").asText("")).as("gus sees %s", e).isEqualTo("globex");
        }

        // an object's events go with it
        expect(server.admin("DELETE", "/api/v1/tenants/acme/projects/noisy", null), 200);
        assertThat(events(byObject, server.adminToken())).isEmpty();
    }
}
