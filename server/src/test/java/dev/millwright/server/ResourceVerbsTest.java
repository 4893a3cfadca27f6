package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.YAML;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.ApiFixtures.names;
import static dev.millwright.server.ApiFixtures.rv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every verb of the resource API, round trip by round trip, on a platform-scoped kind (Tenant, User) and a
 * tenant-scoped kind (Project, ServiceAccount), as the platform admin.
 */
class ResourceVerbsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        create(server, "/api/v1/users", ApiFixtures.user("tia"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("initech", "tia", "tenant-admin"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static JsonNode get(String path) {
        return expect(server.admin("GET", path, null), 200);
    }

    private static String editable(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("status");
        return Json.string(copy);
    }

    // ---- create, get, list

    @Test
    void createReturnsTheStoredObjectWithServerOwnedMetadataAndGetReturnsTheSame() {
        JsonNode created = create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("vision", "computer vision", "team", "cv"));
        JsonNode meta = created.get("metadata");
        assertThat(created.get("apiVersion").asText()).isEqualTo("millwright.dev/v1");
        assertThat(created.get("kind").asText()).isEqualTo("Project");
        assertThat(meta.get("name").asText()).isEqualTo("vision");
        assertThat(meta.get("tenant").asText()).isEqualTo("acme");
        assertThat(meta.get("uid").asText()).hasSize(36);
        assertThat(meta.get("generation").asLong()).isEqualTo(1);
        assertThat(meta.get("creationTimestamp").asText()).isNotBlank();
        assertThat(rv(created)).isPositive();
        assertThat(meta.path("labels").path("team").asText()).isEqualTo("cv");

        JsonNode read = get("/api/v1/tenants/acme/projects/vision");
        assertThat(read.get("metadata").get("uid")).isEqualTo(meta.get("uid"));
        assertThat(read.get("spec")).isEqualTo(created.get("spec"));
        assertThat(rv(read)).isGreaterThanOrEqualTo(rv(created)); // the controller may have written status since
    }

    @Test
    void createsPlatformScopedUsersAndTenantsAtTheTopLevel() {
        JsonNode user = create(server, "/api/v1/users", ApiFixtures.user("ursula"));
        assertThat(user.get("metadata").has("tenant")).isFalse();
        assertThat(get("/api/v1/users/ursula").path("spec").path("displayName").asText()).isEqualTo("User ursula");
        assertThat(names(get("/api/v1/users"))).contains("admin", "ursula");
        JsonNode tenant = create(server, "/api/v1/tenants", ApiFixtures.tenant("umbrella"));
        assertThat(tenant.get("metadata").has("tenant")).isFalse();
    }

    @Test
    void createOfATakenNameIsAConflictAndChangesNothing() {
        JsonNode first = create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("dup", "viewer"));
        var again = server.admin("POST", "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("dup", "tenant-admin"));
        assertError(again, 409, "ServiceAccount acme/dup already exists");
        JsonNode now = get("/api/v1/tenants/acme/serviceaccounts/dup");
        assertThat(rv(now)).isEqualTo(rv(first));
        assertThat(now.path("spec").path("role").asText()).isEqualTo("viewer");
    }

    @Test
    void listsByLabelSelector() {
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.resource("ServiceAccount", "sel-a",
                Json.object().put("role", "viewer"), new String[] {"tier", "web", "env", "prod"}));
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.resource("ServiceAccount", "sel-b",
                Json.object().put("role", "viewer"), new String[] {"tier", "db", "env", "prod"}));
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.resource("ServiceAccount", "sel-c",
                Json.object().put("role", "viewer"), new String[] {"tier", "web", "env", "dev"}));
        String base = "/api/v1/tenants/acme/serviceaccounts?labelSelector=";
        assertThat(names(get(base + "env=prod"))).containsExactly("sel-a", "sel-b");
        assertThat(names(get(base + "env%3Dprod,tier!%3Ddb"))).containsExactly("sel-a");
        assertThat(names(get(base + "tier%20in%20(web,db),env%20notin%20(prod)"))).containsExactly("sel-c");
        assertThat(names(get(base + "tier,!env"))).isEmpty();
        assertThat(names(get("/api/v1/serviceaccounts?labelSelector=tier%3Dweb"))).containsExactly("sel-a", "sel-c");
    }

    @Test
    void pagesThroughAListWithLimitAndContinueSeeingEveryObjectOnce() {
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "page-" + i;
            create(server, "/api/v1/tenants", ApiFixtures.resource("Tenant", name, Json.object(), new String[] {"batch", "paging"}));
            create(server, "/api/v1/tenants/" + (i % 2 == 0 ? "acme" : "initech") + "/projects",
                    ApiFixtures.project(name, null, "batch", "paging"));
            wanted.add(name);
        }
        for (String path : List.of("/api/v1/tenants?labelSelector=batch%3Dpaging", "/api/v1/projects?labelSelector=batch%3Dpaging")) {
            List<String> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String continueToken = null;
            String firstRevision = null;
            do {
                JsonNode page = get(path + "&limit=3" + (continueToken == null ? "" : "&continue=" + continueToken));
                sizes.add(page.get("items").size());
                seen.addAll(names(page));
                if (firstRevision == null) firstRevision = page.get("metadata").get("resourceVersion").asText();
                assertThat(page.get("metadata").get("resourceVersion").asText()).as("pages keep the first page's revision").isEqualTo(firstRevision);
                continueToken = page.get("metadata").path("continue").asText(null);
            } while (continueToken != null);
            assertThat(sizes).as(path).containsExactly(3, 3, 1);
            assertThat(seen).as(path).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(wanted);
        }
    }

    @Test
    void listsEveryTenantsObjectsOfATenantScopedKindAcrossTenants() {
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("across", "viewer"));
        create(server, "/api/v1/tenants/initech/serviceaccounts", ApiFixtures.serviceAccount("across", "viewer"));
        JsonNode list = get("/api/v1/serviceaccounts");
        assertThat(list.get("kind").asText()).isEqualTo("ServiceAccountList");
        List<String> keys = new ArrayList<>();
        for (JsonNode item : list.get("items")) keys.add(item.at("/metadata/tenant").asText() + "/" + item.at("/metadata/name").asText());
        assertThat(keys).contains("acme/across", "initech/across");
        assertThat(names(get("/api/v1/tenants/initech/serviceaccounts"))).containsExactly("across");
    }

    // ---- replace

    @Test
    void replaceOfTheSpecBumpsGenerationAndAReplaceOfLabelsOnlyDoesNot() {
        JsonNode created = create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("robot", "viewer"));
        ObjectNode next = created.deepCopy();
        next.with("spec").put("role", "practitioner");
        JsonNode replaced = expect(server.admin("PUT", "/api/v1/tenants/acme/serviceaccounts/robot", editable(next)), 200);
        assertThat(replaced.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(rv(replaced)).isGreaterThan(rv(created));
        assertThat(replaced.at("/spec/role").asText()).isEqualTo("practitioner");
        assertThat(replaced.at("/metadata/uid")).isEqualTo(created.at("/metadata/uid"));

        ObjectNode labelled = replaced.deepCopy();
        labelled.with("metadata").putObject("labels").put("owner", "ops");
        JsonNode relabelled = expect(server.admin("PUT", "/api/v1/tenants/acme/serviceaccounts/robot", editable(labelled)), 200);
        assertThat(relabelled.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(relabelled.at("/metadata/labels/owner").asText()).isEqualTo("ops");
        assertThat(rv(relabelled)).isGreaterThan(rv(replaced));
        assertThat(get("/api/v1/tenants/acme/serviceaccounts/robot")).isEqualTo(relabelled);
    }

    @Test
    void replaceWithAStaleResourceVersionIsAConflictAndChangesNothing() {
        JsonNode created = create(server, "/api/v1/users", ApiFixtures.user("stale-user"));
        ObjectNode first = created.deepCopy();
        first.with("spec").put("displayName", "first");
        JsonNode current = expect(server.admin("PUT", "/api/v1/users/stale-user", editable(first)), 200);

        ObjectNode second = created.deepCopy(); // still carries the first resourceVersion
        second.with("spec").put("displayName", "second");
        var conflict = server.admin("PUT", "/api/v1/users/stale-user", editable(second));
        assertError(conflict, 409, "User stale-user has been modified", "resourceVersion " + rv(created), "at " + rv(current));
        assertThat(get("/api/v1/users/stale-user")).isEqualTo(current);
    }

    @Test
    void replaceWithoutAResourceVersionIsUnconditionalAndKeepsTheStatus() {
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("blind", "viewer"));
        JsonNode withStatus = expect(server.admin("PUT", "/api/v1/tenants/acme/serviceaccounts/blind/status",
                "{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"blind\"},\"status\":{\"lastUsed\":\"never\"}}"), 200);
        JsonNode replaced = expect(server.admin("PUT", "/api/v1/tenants/acme/serviceaccounts/blind",
                "{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"blind\"},\"spec\":{\"role\":\"tenant-admin\"},\"status\":{\"lastUsed\":\"ignored\"}}"), 200);
        assertThat(rv(replaced)).isGreaterThan(rv(withStatus));
        assertThat(replaced.at("/spec/role").asText()).isEqualTo("tenant-admin");
        assertThat(replaced.at("/status/lastUsed").asText()).as("replace keeps the status").isEqualTo("never");
    }

    // ---- patch

    @Test
    void mergePatchChangesGivenKeysAndNullRemovesAKey() {
        create(server, "/api/v1/tenants", ApiFixtures.resource("Tenant", "patchy",
                Json.object().put("displayName", "Patchy").put("description", "to be removed"), new String[] {"keep", "yes", "drop", "yes"}));
        JsonNode patched = expect(server.call("PATCH", "/api/v1/tenants/patchy", server.adminToken(),
                "{\"metadata\":{\"labels\":{\"drop\":null,\"added\":\"x\"}},\"spec\":{\"description\":null,\"displayName\":\"Patched\"}}",
                MERGE_PATCH), 200);
        assertThat(patched.at("/spec/displayName").asText()).isEqualTo("Patched");
        assertThat(patched.at("/spec").has("description")).isFalse();
        assertThat(patched.at("/metadata/labels")).isEqualTo(Json.object().put("added", "x").put("keep", "yes"));
        assertThat(patched.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(get("/api/v1/tenants/patchy").at("/spec")).isEqualTo(patched.at("/spec"));
    }

    @Test
    void mergePatchWithAStaleResourceVersionIsAConflictAndOneWithTheCurrentOneApplies() {
        JsonNode created = create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("patched", "viewer"));
        JsonNode moved = expect(server.call("PATCH", "/api/v1/tenants/acme/serviceaccounts/patched", server.adminToken(),
                "{\"spec\":{\"description\":\"moved on\"}}", MERGE_PATCH), 200);
        var stale = server.call("PATCH", "/api/v1/tenants/acme/serviceaccounts/patched", server.adminToken(),
                "{\"metadata\":{\"resourceVersion\":\"" + rv(created) + "\"},\"spec\":{\"role\":\"tenant-admin\"}}", MERGE_PATCH);
        assertError(stale, 409, "ServiceAccount acme/patched has been modified");
        assertThat(get("/api/v1/tenants/acme/serviceaccounts/patched")).isEqualTo(moved);

        JsonNode applied = expect(server.call("PATCH", "/api/v1/tenants/acme/serviceaccounts/patched", server.adminToken(),
                "{\"metadata\":{\"resourceVersion\":\"" + rv(moved) + "\"},\"spec\":{\"role\":\"tenant-admin\"}}", MERGE_PATCH), 200);
        assertThat(applied.at("/spec/role").asText()).isEqualTo("tenant-admin");
        assertThat(applied.at("/spec/description").asText()).isEqualTo("moved on");
    }

    @Test
    void mergePatchCannotWriteTheStatus() {
        create(server, "/api/v1/users", ApiFixtures.user("no-status"));
        var refused = server.call("PATCH", "/api/v1/users/no-status", server.adminToken(), "{\"status\":{\"x\":1}}", MERGE_PATCH);
        assertError(refused, 422, "status");
        assertThat(get("/api/v1/users/no-status").get("status")).isEqualTo(Json.object());
    }

    // ---- delete

    @Test
    void deleteHonoursAResourceVersionPreconditionThenRemovesTheObject() {
        JsonNode created = create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("doomed", "viewer"));
        JsonNode current = expect(server.call("PATCH", "/api/v1/tenants/acme/serviceaccounts/doomed", server.adminToken(),
                "{\"spec\":{\"description\":\"changed\"}}", MERGE_PATCH), 200);
        var stale = server.admin("DELETE", "/api/v1/tenants/acme/serviceaccounts/doomed?resourceVersion=" + rv(created), null);
        assertError(stale, 409, "resourceVersion " + rv(created));
        assertThat(get("/api/v1/tenants/acme/serviceaccounts/doomed")).isEqualTo(current);

        JsonNode deleted = expect(server.admin("DELETE", "/api/v1/tenants/acme/serviceaccounts/doomed?resourceVersion=" + rv(current), null), 200);
        assertThat(deleted.at("/metadata/name").asText()).isEqualTo("doomed");
        assertThat(rv(deleted)).isGreaterThan(rv(current));
        assertError(server.admin("GET", "/api/v1/tenants/acme/serviceaccounts/doomed", null), 404, "ServiceAccount acme/doomed not found");
        assertError(server.admin("DELETE", "/api/v1/tenants/acme/serviceaccounts/doomed", null), 404, "ServiceAccount acme/doomed not found");
    }

    @Test
    void deletesPlatformScopedUsersWithoutAPrecondition() {
        create(server, "/api/v1/users", ApiFixtures.user("leaver"));
        expect(server.admin("DELETE", "/api/v1/users/leaver", null), 200);
        assertError(server.admin("GET", "/api/v1/users/leaver", null), 404, "User leaver not found");
    }

    @Test
    void deletingATenantThatHoldsObjectsIsAConflictUntilTheyAreGone() {
        create(server, "/api/v1/tenants", ApiFixtures.tenant("holder"));
        create(server, "/api/v1/tenants/holder/projects", ApiFixtures.project("inside", null));
        var refused = server.admin("DELETE", "/api/v1/tenants/holder", null);
        assertError(refused, 409, "Tenant holder still holds objects", "Project/inside");
        expect(server.admin("GET", "/api/v1/tenants/holder", null), 200);

        expect(server.admin("DELETE", "/api/v1/tenants/holder/projects/inside", null), 200);
        expect(server.admin("DELETE", "/api/v1/tenants/holder", null), 200);
        assertError(server.admin("GET", "/api/v1/tenants/holder", null), 404, "Tenant holder not found");
    }

    @Test
    void creatingATenantScopedObjectInAMissingTenantIsNotFound() {
        var missing = server.admin("POST", "/api/v1/tenants/nowhere/projects", ApiFixtures.project("lost", null));
        assertError(missing, 404, "Tenant nowhere not found");
        var viaBody = server.admin("POST", "/api/v1/serviceaccounts",
                "{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"lost\",\"tenant\":\"nowhere\"},\"spec\":{\"role\":\"viewer\"}}");
        assertError(viaBody, 404, "Tenant nowhere not found");
        assertThat(names(get("/api/v1/projects"))).doesNotContain("lost");
    }

    @Test
    void createsATenantScopedObjectThroughTheCrossTenantPathWhenTheBodyNamesTheTenant() {
        JsonNode created = create(server, "/api/v1/serviceaccounts",
                "{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"via-body\",\"tenant\":\"initech\"},\"spec\":{\"role\":\"viewer\"}}");
        assertThat(created.at("/metadata/tenant").asText()).isEqualTo("initech");
        expect(server.admin("GET", "/api/v1/tenants/initech/serviceaccounts/via-body", null), 200);
    }

    // ---- status

    @Test
    void statusSubresourceChangesOnlyTheStatus() {
        JsonNode created = create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("reporter", "viewer"));
        ObjectNode body = created.deepCopy();
        body.with("spec").put("role", "tenant-admin"); // ignored: only the status is written here
        body.with("metadata").putObject("labels").put("ignored", "yes");
        body.putObject("status").put("phase", "Healthy").put("checks", 3);
        JsonNode written = expect(server.admin("PUT", "/api/v1/tenants/acme/serviceaccounts/reporter/status", Json.string(body)), 200);
        assertThat(written.get("status")).isEqualTo(Json.object().put("phase", "Healthy").put("checks", 3));
        assertThat(written.get("spec")).isEqualTo(created.get("spec"));
        assertThat(written.at("/metadata").has("labels")).isFalse();
        assertThat(written.at("/metadata/generation").asLong()).isEqualTo(1);
        assertThat(rv(written)).isGreaterThan(rv(created));
        assertThat(get("/api/v1/tenants/acme/serviceaccounts/reporter")).isEqualTo(written);

        var stale = server.admin("PUT", "/api/v1/tenants/acme/serviceaccounts/reporter/status", Json.string(body));
        assertError(stale, 409, "has been modified");
    }

    @Test
    void statusOfAPlatformScopedObjectIsWrittenByThePlatformAdminOnly() {
        create(server, "/api/v1/users", ApiFixtures.user("watched"));
        String status = "{\"kind\":\"User\",\"metadata\":{\"name\":\"watched\"},\"status\":{\"lastLogin\":\"today\"}}";
        JsonNode written = expect(server.admin("PUT", "/api/v1/users/watched/status", status), 200);
        assertThat(written.at("/status/lastLogin").asText()).isEqualTo("today");

        String tia = ApiFixtures.token(server, "tia");
        var refused = server.call("PUT", "/api/v1/tenants/initech/status", tia,
                "{\"kind\":\"Tenant\",\"metadata\":{\"name\":\"initech\"},\"status\":{\"phase\":\"Hacked\"}}");
        assertError(refused, 403, "user:tia");
        create(server, "/api/v1/tenants/initech/serviceaccounts", ApiFixtures.serviceAccount("own-sa", "viewer"));
        var alsoRefused = server.call("PUT", "/api/v1/tenants/initech/serviceaccounts/own-sa/status", tia,
                "{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"own-sa\"},\"status\":{\"phase\":\"Hacked\"}}");
        assertError(alsoRefused, 403, "status");
        assertThat(get("/api/v1/tenants/initech/serviceaccounts/own-sa").get("status")).isEqualTo(Json.object());
    }

    // ---- YAML

    @Test
    void acceptsYamlBodiesForCreateAndReplace() {
        String yaml = """
                apiVersion: millwright.dev/v1
                kind: Project
                metadata:
                  name: yaml-made
                  labels:
                    format: yaml
                spec:
                  description: "written in YAML"
                  members:
                    - user: tia
                      role: viewer
                """;
        JsonNode created = expect(server.call("POST", "/api/v1/tenants/acme/projects", server.adminToken(), yaml, YAML), 201);
        assertThat(created.at("/spec/members/0/role").asText()).isEqualTo("viewer");
        assertThat(created.at("/metadata/labels/format").asText()).isEqualTo("yaml");

        String replacement = """
                kind: Project
                metadata:
                  name: yaml-made
                spec:
                  description: replaced in YAML
                """;
        JsonNode replaced = expect(server.call("PUT", "/api/v1/tenants/acme/projects/yaml-made", server.adminToken(),
                replacement, "application/x-yaml"), 200);
        assertThat(replaced.at("/spec/description").asText()).isEqualTo("replaced in YAML");
        assertThat(replaced.at("/spec").has("members")).isFalse();
        assertThat(replaced.at("/metadata/generation").asLong()).isEqualTo(2);
    }

    @Test
    void everyObjectOfAManyPageListIsListedOnceEvenWithTheDefaultPageSize() {
        IntStream.range(0, 12).forEach(i -> create(server, "/api/v1/tenants/initech/serviceaccounts",
                ApiFixtures.resource("ServiceAccount", "bulk-" + i, Json.object().put("role", "viewer"), new String[] {"bulk", "yes"})));
        List<String> all = names(get("/api/v1/tenants/initech/serviceaccounts?labelSelector=bulk"));
        assertThat(all).hasSize(12).doesNotHaveDuplicates();
    }
}
