package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.JSON;
import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.YAML;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.ApiFixtures.revision;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.api.ApiRoutes;
import dev.millwright.resource.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every sort is answered with a 4xx (never a 500) in the one error shape, naming the field path
 * and the reason, and writes nothing: the store's revision, the list and the object stay as they were.
 */
class BadInputTest {
    private static final String PROJECTS = "/api/v1/tenants/acme/projects";
    private static final String EXISTING = PROJECTS + "/existing";

    private static TestServer server;
    private static String revokedToken;
    private static String viewerToken;

    /** Who sends a request. */
    enum Caller { ADMIN, VIEWER, NONE, UNKNOWN, REVOKED, BASIC }

    record Case(String description, Caller caller, String method, String path, String contentType, String body,
                int status, List<String> mentions) {
        @Override
        public String toString() {
            return description;
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/users", ApiFixtures.user("vic"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "vic", "viewer"));
        create(server, PROJECTS, ApiFixtures.project("existing", "the object every case aims at", "env", "prod"));
        viewerToken = ApiFixtures.token(server, "vic");
        JsonNode revoked = expect(server.admin("POST", "/api/v1/tokens", "{\"user\":\"vic\"}"), 201);
        expect(server.admin("DELETE", "/api/v1/tokens/" + revoked.get("id").asText(), null), 200);
        revokedToken = revoked.get("token").asText();
        ApiFixtures.awaitSettled(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Case c(String description, String method, String path, String body, int status, String... mentions) {
        return new Case(description, Caller.ADMIN, method, path, JSON, body, status, List.of(mentions));
    }

    private static Case c(String description, Caller caller, String method, String path, String contentType, String body,
                          int status, String... mentions) {
        return new Case(description, caller, method, path, contentType, body, status, List.of(mentions));
    }

    private static String projectWith(String metadata, String spec) {
        return "{\"apiVersion\":\"millwright.dev/v1\",\"kind\":\"Project\",\"metadata\":" + metadata + ",\"spec\":" + spec + "}";
    }

    static Stream<Case> cases() {
        String deep = "[".repeat(200) + "]".repeat(200);
        String huge = projectWith("{\"name\":\"huge\"}", "{\"description\":\"" + "x".repeat(ApiRoutes.MAX_BODY_BYTES) + "\"}");
        return Stream.of(
                // syntax
                c("malformed JSON", "POST", PROJECTS, "{\"kind\":\"Project\",\"metadata\":{\"name\":\"x\"", 400, "body", "malformed JSON"),
                c("malformed YAML", Caller.ADMIN, "POST", PROJECTS, YAML, "kind: Project\nmetadata: {name: [x\n", 400, "body", "malformed YAML"),
                c("a YAML list instead of an object", Caller.ADMIN, "POST", PROJECTS, YAML, "- kind: Project\n- b\n", 400, "body", "must be an object"),
                c("an empty body", "POST", PROJECTS, "", 400, "body", "is empty"),
                c("a body nested too deep", "POST", PROJECTS, deep, 400, "body", "nests deeper than"),
                c("a body over 1 MiB", "POST", PROJECTS, huge, 413, "body", "larger than the limit of " + ApiRoutes.MAX_BODY_BYTES + " bytes"),
                // kinds and routes
                c("an unknown kind in the URL", "POST", "/api/v1/widgets", projectWith("{\"name\":\"w\"}", "{}"), 404, "unknown kind \"widgets\""),
                c("an unknown kind in a tenant URL", "GET", "/api/v1/tenants/acme/widgets", null, 404, "unknown kind \"widgets\""),
                c("a tenant-scoped kind on the platform path", "GET", "/api/v1/projects/existing", null, 404, "Project is tenant-scoped"),
                c("a platform-scoped kind on a tenant path", "GET", "/api/v1/tenants/acme/users/admin", null, 404, "User is platform-scoped"),
                c("a route that does not exist", "GET", "/api/v2/nothing", null, 404, "GET /api/v2/nothing"),
                c("a method a route does not serve", "DELETE", "/api/v1/tokens", null, 404, "DELETE /api/v1/tokens"),
                c("a body of another kind", "POST", PROJECTS, "{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"sa\"},\"spec\":{\"role\":\"viewer\"}}",
                        422, "kind", "is ServiceAccount but this endpoint serves Project"),
                // unknown fields
                c("an unknown top-level field", "POST", PROJECTS, "{\"kind\":\"Project\",\"metadata\":{\"name\":\"u1\"},\"colour\":\"red\"}",
                        422, "\"colour\":[\"unknown field\"]"),
                c("an unknown metadata field", "POST", PROJECTS, projectWith("{\"name\":\"u2\",\"owner\":\"bob\"}", "{}"),
                        422, "\"metadata.owner\":[\"unknown field\"]"),
                c("an unknown spec field", "POST", PROJECTS, projectWith("{\"name\":\"u3\"}", "{\"colour\":\"red\"}"),
                        422, "\"spec.colour\":[\"unknown field\"]"),
                c("an unknown field in YAML", Caller.ADMIN, "POST", PROJECTS, YAML, "kind: Project\nmetadata:\n  name: u4\nspec:\n  budget: 3\n",
                        422, "\"spec.budget\":[\"unknown field\"]"),
                // wrong types
                c("a spec that is not an object", "POST", PROJECTS, projectWith("{\"name\":\"t1\"}", "\"big\""), 422, "\"spec\":[\"must be an object\"]"),
                c("labels that are not a map", "POST", PROJECTS, projectWith("{\"name\":\"t2\",\"labels\":\"env=prod\"}", "{}"),
                        422, "\"metadata.labels\":[\"must be a map of strings\"]"),
                c("a label value that is a number", "POST", PROJECTS, projectWith("{\"name\":\"t3\",\"labels\":{\"tier\":1}}", "{}"),
                        422, "\"metadata.labels.tier\":[\"must be a string\"]"),
                c("a name that is a number", "POST", PROJECTS, projectWith("{\"name\":7}", "{}"), 422, "\"metadata.name\":[\"must be a string\"]"),
                c("a spec field of the wrong type", "POST", PROJECTS, projectWith("{\"name\":\"t4\"}", "{\"description\":42}"), 422, "spec.description"),
                c("a member that is not an object", "POST", PROJECTS, projectWith("{\"name\":\"t5\"}", "{\"members\":[\"bob\"]}"), 422, "spec.members[0]"),
                c("a resourceVersion that is not a number", "PUT", EXISTING, projectWith("{\"name\":\"existing\",\"resourceVersion\":\"abc\"}", "{}"),
                        422, "\"metadata.resourceVersion\":[\"must be a resourceVersion returned by the server\"]"),
                // missing fields
                c("a missing kind", "POST", PROJECTS, "{\"metadata\":{\"name\":\"m1\"}}", 422, "\"kind\":[\"required field is missing\"]"),
                c("missing metadata", "POST", PROJECTS, "{\"kind\":\"Project\",\"spec\":{}}", 422, "\"metadata.name\":[\"required field is missing\"]"),
                c("a missing name", "POST", PROJECTS, projectWith("{\"labels\":{}}", "{}"), 422, "\"metadata.name\":[\"required field is missing\"]"),
                c("a missing required spec field", "POST", "/api/v1/tenants/acme/serviceaccounts",
                        "{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"m2\"},\"spec\":{}}", 422, "\"spec.role\":[\"required field is missing\"]"),
                c("a member without a role", "POST", PROJECTS, projectWith("{\"name\":\"m3\"}", "{\"members\":[{\"user\":\"bob\"}]}"),
                        422, "\"spec.members[0].role\":[\"required field is missing\"]"),
                // values
                c("a name that is not a DNS-1123 label", "POST", PROJECTS, projectWith("{\"name\":\"Bad_Name\"}", "{}"), 422, "metadata.name", "DNS-1123 label"),
                c("a name longer than 63 characters", "POST", PROJECTS, projectWith("{\"name\":\"" + "a".repeat(64) + "\"}", "{}"),
                        422, "metadata.name", "at most 63 characters (is 64)"),
                c("a name ending in a dash", "POST", "/api/v1/tenants", "{\"kind\":\"Tenant\",\"metadata\":{\"name\":\"acme-\"}}", 422, "metadata.name", "DNS-1123"),
                c("an unknown role", "POST", PROJECTS, projectWith("{\"name\":\"v1\"}", "{\"members\":[{\"user\":\"bob\",\"role\":\"boss\"}]}"),
                        422, "spec.members[0].role"),
                c("a member listed twice", "POST", PROJECTS,
                        projectWith("{\"name\":\"v2\"}", "{\"members\":[{\"user\":\"bob\",\"role\":\"viewer\"},{\"user\":\"bob\",\"role\":\"practitioner\"}]}"),
                        422, "spec.members[1].user", "user bob is listed more than once"),
                c("an invalid label value", "POST", PROJECTS, projectWith("{\"name\":\"v3\",\"labels\":{\"env\":\"not ok!\"}}", "{}"),
                        422, "metadata.labels.env", "value must be at most 63"),
                c("an invalid annotation key", "POST", PROJECTS, projectWith("{\"name\":\"v4\",\"annotations\":{\"-bad-\":\"x\"}}", "{}"),
                        422, "metadata.annotations.-bad-"),
                c("another apiVersion", "POST", PROJECTS, "{\"apiVersion\":\"v2\",\"kind\":\"Project\",\"metadata\":{\"name\":\"v5\"}}",
                        422, "\"apiVersion\":[\"must be millwright.dev/v1\"]"),
                c("a body tenant that differs from the URL", "POST", PROJECTS, projectWith("{\"name\":\"v6\",\"tenant\":\"globex\"}", "{}"),
                        422, "metadata.tenant", "is globex but the URL names tenant acme"),
                c("a tenant on a platform-scoped kind", "POST", "/api/v1/tenants", "{\"kind\":\"Tenant\",\"metadata\":{\"name\":\"v7\",\"tenant\":\"acme\"}}",
                        422, "metadata.tenant", "platform-scoped"),
                c("a tenant-scoped object without a tenant on the cross-tenant path", "POST", "/api/v1/projects", projectWith("{\"name\":\"v8\"}", "{}"),
                        422, "metadata.tenant", "required field is missing"),
                // the NUL character, which PostgreSQL text cannot hold
                c("a NUL in a spec string", "POST", PROJECTS, projectWith("{\"name\":\"nul1\"}", "{\"description\":\"a\\u0000b\"}"),
                        400, "\"spec.description\":[\"contains the NUL character"),
                c("a NUL in a label value", "POST", PROJECTS, projectWith("{\"name\":\"nul2\",\"labels\":{\"env\":\"pr\\u0000od\"}}", "{}"),
                        400, "\"metadata.labels.env\":[\"contains the NUL character"),
                c("a NUL in a field name", "POST", PROJECTS, projectWith("{\"name\":\"nul3\"}", "{\"desc\\u0000ription\":\"x\"}"),
                        400, "\"spec.desc?ription\":[\"contains the NUL character"),
                c("a NUL in a replace", "PUT", EXISTING, projectWith("{\"name\":\"existing\"}", "{\"description\":\"\\u0000\"}"),
                        400, "\"spec.description\":[\"contains the NUL character"),
                c("a NUL in a merge patch", Caller.ADMIN, "PATCH", EXISTING, MERGE_PATCH, "{\"spec\":{\"description\":\"\\u0000\"}}",
                        400, "\"spec.description\":[\"contains the NUL character"),
                c("a NUL in a token request", "POST", "/api/v1/tokens", "{\"user\":\"v\\u0000ic\"}", 400, "\"user\":[\"contains the NUL character"),
                c("a delete with a NUL resourceVersion", "DELETE", EXISTING + "?resourceVersion=%00", null, 400, "resourceVersion", "non-negative integer"),
                c("a NUL in a label selector", "GET", PROJECTS + "?labelSelector=env%3Dpr%00od", null, 400, "labelSelector"),
                c("a NUL in a continue token", "GET", PROJECTS + "?continue=%00", null, 400, "continue"),
                // replace, patch and delete
                c("a rename by replace", "PUT", EXISTING, projectWith("{\"name\":\"renamed\"}", "{}"), 422, "metadata.name", "names cannot change"),
                c("a replace that moves tenants", "PUT", EXISTING, projectWith("{\"name\":\"existing\",\"tenant\":\"globex\"}", "{}"),
                        422, "metadata.tenant", "tenants cannot change"),
                c("a replace with a stale resourceVersion", "PUT", EXISTING, projectWith("{\"name\":\"existing\",\"resourceVersion\":\"1\"}", "{}"),
                        409, "Project acme/existing has been modified", "resourceVersion 1"),
                c("a replace that breaks the schema", "PUT", EXISTING, projectWith("{\"name\":\"existing\"}", "{\"members\":[{\"user\":\"Bob\",\"role\":\"viewer\"}]}"),
                        422, "spec.members[0].user"),
                c("a replace of a missing object", "PUT", PROJECTS + "/ghost", projectWith("{\"name\":\"ghost\"}", "{}"), 404, "Project acme/ghost not found"),
                c("a merge patch that is not an object", Caller.ADMIN, "PATCH", EXISTING, MERGE_PATCH, "[1,2]", 400, "body", "a merge patch must be a JSON object"),
                c("a merge patch that is malformed", Caller.ADMIN, "PATCH", EXISTING, MERGE_PATCH, "{\"spec\":", 400, "body", "malformed JSON"),
                c("a merge patch of the status", Caller.ADMIN, "PATCH", EXISTING, MERGE_PATCH, "{\"status\":{\"phase\":\"Done\"}}", 422, "status"),
                c("a merge patch that renames", Caller.ADMIN, "PATCH", EXISTING, MERGE_PATCH, "{\"metadata\":{\"name\":\"other\"}}",
                        422, "metadata.name", "names cannot change"),
                c("a merge patch that breaks the schema", Caller.ADMIN, "PATCH", EXISTING, MERGE_PATCH,
                        "{\"spec\":{\"members\":[{\"user\":\"bob\",\"role\":\"boss\"}]}}", 422, "spec.members[0].role"),
                c("a merge patch with a stale resourceVersion", Caller.ADMIN, "PATCH", EXISTING, MERGE_PATCH,
                        "{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"description\":\"late\"}}", 409, "has been modified", "resourceVersion 1"),
                c("a merge patch with an unknown field", Caller.ADMIN, "PATCH", EXISTING, MERGE_PATCH, "{\"spec\":{\"colour\":\"red\"}}",
                        422, "\"spec.colour\":[\"unknown field\"]"),
                c("a delete with a stale resourceVersion", "DELETE", EXISTING + "?resourceVersion=1", null, 409, "resourceVersion 1"),
                c("a delete with a negative resourceVersion", "DELETE", EXISTING + "?resourceVersion=-5", null, 400, "resourceVersion", "non-negative integer"),
                c("a delete with a resourceVersion that is not a number", "DELETE", EXISTING + "?resourceVersion=latest", null,
                        400, "resourceVersion", "got \"latest\""),
                // authentication
                c("no token", Caller.NONE, "GET", PROJECTS, JSON, null, 401, "authentication required"),
                c("no token on a write", Caller.NONE, "POST", PROJECTS, JSON, projectWith("{\"name\":\"anon\"}", "{}"), 401, "authentication required"),
                c("an unknown token", Caller.UNKNOWN, "GET", EXISTING, JSON, null, 401, "the token is unknown, revoked or expired"),
                c("an unknown token on a delete", Caller.UNKNOWN, "DELETE", EXISTING, JSON, null, 401, "the token is unknown, revoked or expired"),
                c("a revoked token", Caller.REVOKED, "GET", EXISTING, JSON, null, 401, "the token is unknown, revoked or expired"),
                c("a revoked token on a patch", Caller.REVOKED, "PATCH", EXISTING, MERGE_PATCH, "{\"spec\":{\"description\":\"x\"}}", 401, "revoked"),
                c("another authorization scheme", Caller.BASIC, "GET", EXISTING, JSON, null, 401, "Bearer scheme"),
                c("a viewer's write", Caller.VIEWER, "DELETE", EXISTING, JSON, null, 403, "user:vic may not delete projects in tenant acme"),
                // query parameters
                c("a label selector without parentheses", "GET", PROJECTS + "?labelSelector=env%20in%20prod", null,
                        400, "labelSelector", "must be in parentheses"),
                c("a label selector with an invalid key", "GET", PROJECTS + "?labelSelector=-bad-%3Dx", null,
                        400, "labelSelector", "'-bad-' is not a valid label key"),
                c("a label selector with an empty requirement", "GET", PROJECTS + "?labelSelector=env%3Dprod,,", null,
                        400, "labelSelector", "empty requirement"),
                c("a label selector on a watch", "GET", PROJECTS + "?watch=true&labelSelector=a%20b", null, 400, "labelSelector"),
                c("a limit that is not a number", "GET", PROJECTS + "?limit=ten", null, 400, "limit", "must be an integer, got \"ten\""),
                c("a limit of zero", "GET", PROJECTS + "?limit=0", null, 400, "limit", "must be between 1 and 5000"),
                c("a limit above the largest page", "GET", PROJECTS + "?limit=5001", null, 400, "limit", "must be between 1 and 5000"),
                c("a continue token this server never issued", "GET", PROJECTS + "?continue=garbage", null,
                        400, "continue", "is not a token this server issued"),
                c("a continue token of the wrong shape", "GET", PROJECTS + "?continue=eyJ4IjoxfQ", null,
                        400, "continue", "is not a token this server issued"),
                c("a watch from a revision that is not a number", "GET", PROJECTS + "?watch=true&resourceVersion=abc", null,
                        400, "resourceVersion", "got \"abc\""),
                c("an audit query with a bad since", "GET", "/api/v1/audit?since=yesterday", null, 400, "since", "ISO-8601"),
                c("an audit query with a bad limit", "GET", "/api/v1/audit?limit=lots", null, 400, "limit"),
                // tokens
                c("a token request with an unknown field", "POST", "/api/v1/tokens", "{\"user\":\"vic\",\"colour\":\"red\"}", 422, "\"colour\":[\"unknown field\"]"),
                c("a token request for nobody", "POST", "/api/v1/tokens", "{}", 422, "user", "name exactly one of user or serviceAccount"),
                c("a token request with a short lifetime", "POST", "/api/v1/tokens", "{\"user\":\"vic\",\"ttlSeconds\":5}", 422, "ttlSeconds"),
                c("a token request with a user that is a number", "POST", "/api/v1/tokens", "{\"user\":5}", 422, "\"user\":[\"must be a string\"]"),
                c("a token request for a missing user", "POST", "/api/v1/tokens", "{\"user\":\"ghost\"}", 404, "User ghost not found"),
                c("a token request that is malformed", "POST", "/api/v1/tokens", "{\"user\"", 400, "body", "malformed JSON"));
    }

    private static HttpResponse<String> send(Case c) {
        String token = switch (c.caller()) {
            case ADMIN -> server.adminToken();
            case VIEWER -> viewerToken;
            case UNKNOWN -> "mw_0123456789abcdef_notasecretthisserverissued";
            case REVOKED -> revokedToken;
            case NONE, BASIC -> null;
        };
        if (c.caller() == Caller.BASIC) {
            return ApiFixtures.withAuthorization(server, c.method(), c.path(), "Basic YWRtaW46YWRtaW4=");
        }
        return server.call(c.method(), c.path(), token, c.body(), c.contentType());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersBadInputWithA4xxNamingTheFieldAndWritesNothing(Case c) {
        long revisionBefore = revision(server);
        JsonNode objectBefore = expect(server.admin("GET", EXISTING, null), 200);
        JsonNode listBefore = expect(server.admin("GET", "/api/v1/projects", null), 200);
        long tokensBefore = expect(server.admin("GET", "/api/v1/tokens", null), 200).get("items").size();

        HttpResponse<String> r = send(c);
        assertThat(r.statusCode()).as("%s: %s", c, r.body()).isBetween(400, 499);
        assertError(r, c.status(), c.mentions().toArray(String[]::new));

        assertThat(revision(server)).as("revision after %s", c).isEqualTo(revisionBefore);
        assertThat(expect(server.admin("GET", EXISTING, null), 200)).isEqualTo(objectBefore);
        assertThat(expect(server.admin("GET", "/api/v1/projects", null), 200)).isEqualTo(listBefore);
        assertThat(expect(server.admin("GET", "/api/v1/tokens", null), 200).get("items").size()).isEqualTo(tokensBefore);
    }

    /** The newest audit record's sequence number. */
    private static long auditHead() {
        return expect(server.admin("GET", "/api/v1/audit?limit=1", null), 200).get("items").get(0).get("seq").asLong();
    }

    /** The platform admin's audit records after {@code seq}, oldest first. */
    private static List<JsonNode> adminAuditAfter(long seq) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : expect(server.admin("GET", "/api/v1/audit?limit=100&actor=user:admin", null), 200).get("items")) {
            if (r.get("seq").asLong() > seq) out.add(0, r);
        }
        return out;
    }

    @Test
    void aNulCharacterIsRefusedWithoutWritingAndTheRefusalIsAuditedOnlyForAMutation() {
        long seq = auditHead();
        long revisionBefore = revision(server);
        assertError(server.admin("POST", PROJECTS, projectWith("{\"name\":\"nul-audited\"}", "{\"description\":\"a\\u0000b\"}")),
                400, "spec.description");
        assertError(server.admin("GET", PROJECTS + "?limit=%00", null), 400, "limit");
        var delete = server.admin("DELETE", EXISTING + "?resourceVersion=%00", null);
        assertError(delete, 400, "resourceVersion");
        assertThat(delete.body()).as("the NUL is escaped in the answer").contains("got \\\"\\u0000\\\"");

        List<JsonNode> records = adminAuditAfter(seq);
        assertThat(records).extracting(r -> r.get("verb").asText() + " " + r.get("kind").asText() + " " + r.get("outcome").asInt()
                        + " " + r.get("name").asText()).as("the read is not audited")
                .containsExactly("create Project 400 ", "delete Project 400 existing");
        assertThat(records.get(0).get("reason").asText()).contains("spec.description", "NUL");
        assertThat(records.get(1).get("reason").asText()).as("the audit keeps the refusal, its NUL replaced")
                .contains("got \"?\"").doesNotContain("\0");
        assertThat(expect(server.admin("GET", "/api/v1/audit/verify", null), 200).get("intact").asBoolean()).isTrue();

        assertThat(revision(server)).as("nothing written").isEqualTo(revisionBefore);
        assertError(server.admin("GET", PROJECTS + "/nul-audited", null), 404);
        expect(server.admin("GET", EXISTING, null), 200);
    }

    @Test
    void reportsEveryProblemOfOneBodyAtOnceEachUnderItsOwnPath() {
        var r = server.admin("POST", PROJECTS, "{\"kind\":\"Project\",\"metadata\":{\"name\":\"several\",\"owner\":\"x\",\"labels\":\"no\"},"
                + "\"spec\":[],\"colour\":1}");
        JsonNode error = assertError(r, 422);
        assertThat(ApiFixtures.detailLines(error)).contains(
                "colour: unknown field", "metadata.owner: unknown field", "metadata.labels: must be a map of strings", "spec: must be an object");
        var invalid = server.admin("POST", PROJECTS, projectWith("{\"name\":\"Several_Bad\",\"labels\":{\"env\":\"no way\"}}",
                "{\"members\":[{\"user\":\"bob\",\"role\":\"boss\"}],\"colour\":\"red\"}"));
        JsonNode details = assertError(invalid, 422).get("details");
        assertThat(details.has("metadata.name")).isTrue();
        assertThat(details.has("metadata.labels.env")).isTrue();
        assertThat(details.has("spec.members[0].role")).isTrue();
        assertThat(details.has("spec.colour")).isTrue();
        assertThat(error.get("message").asText()).startsWith("Project \"several\" is invalid: ");
    }

    @Test
    void aBodyJustUnderTheLimitIsReadAndJudgedOnItsContent() {
        String filler = "x".repeat(ApiRoutes.MAX_BODY_BYTES - 200);
        var r = server.admin("POST", PROJECTS, projectWith("{\"name\":\"almost\"}", "{\"description\":\"" + filler + "\"}"));
        assertError(r, 422, "spec.description"); // longer than the schema's 2000 characters, but not too large to read
        assertThat(Json.tree(r.body()).get("message").asText().length()).as("the message does not echo the body").isLessThan(2000);
    }
}
