package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may do what: every verb, by every role, in the caller's own tenant and in another, on a tenant-scoped
 * kind (Project) and a platform-scoped one (Tenant). Reads are open to the tenant's members, Project writes to
 * its tenant admins, Tenant writes to platform admins; anything in another tenant is answered exactly like a
 * missing object. Refusals are audited, and tokens are issued and revoked within these rules.
 */
class AuthorizationMatrixTest {
    /** The callers of the matrix, and the user or service account each one is. */
    enum Role {
        PLATFORM_ADMIN("admin"), TENANT_ADMIN("tia"), PRACTITIONER("pat"), VIEWER("vic"), NON_MEMBER("nora"),
        SERVICE_ACCOUNT("ci");

        final String subject;

        Role(String subject) {
            this.subject = subject;
        }

        String slug() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    enum Verb { GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE }

    enum Kind { PROJECT, TENANT }

    /** Own: acme, where every caller but the non-member belongs. Other: globex, where none of them does. */
    enum Scope {
        OWN("acme"), OTHER("globex");

        final String tenant;

        Scope(String tenant) {
            this.tenant = tenant;
        }
    }

    private static final String ACME_TENANT = ApiFixtures.tenant("acme", "tia", "tenant-admin", "pat", "practitioner", "vic", "viewer");
    private static final String GLOBEX_TENANT = ApiFixtures.tenant("globex", "gus", "tenant-admin");
    private static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (String u : List.of("tia", "pat", "vic", "nora", "gus", "pam")) create(server, "/api/v1/users", ApiFixtures.user(u));
        create(server, "/api/v1/tenants", ACME_TENANT);
        create(server, "/api/v1/tenants", GLOBEX_TENANT);
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("ci", "practitioner"));
        create(server, "/api/v1/tenants/globex/serviceaccounts", ApiFixtures.serviceAccount("bot", "tenant-admin"));
        for (Scope scope : Scope.values()) {
            create(server, "/api/v1/tenants/" + scope.tenant + "/projects", ApiFixtures.project("base", "every member reads it"));
            for (Role role : Role.values()) {
                for (Verb verb : List.of(Verb.UPDATE, Verb.PATCH, Verb.DELETE)) {
                    create(server, "/api/v1/tenants/" + scope.tenant + "/projects", ApiFixtures.project(target(verb, role), "untouched"));
                }
            }
        }
        create(server, "/api/v1/tenants/acme/projects",
                "{\"kind\":\"Project\",\"metadata\":{\"name\":\"staffed\"},\"spec\":{\"members\":[{\"user\":\"pam\",\"role\":\"viewer\"}]}}");
        for (Role role : Role.values()) {
            TOKENS.put(role, switch (role) {
                case PLATFORM_ADMIN -> server.adminToken();
                case SERVICE_ACCOUNT -> ApiFixtures.serviceAccountToken(server, "acme", "ci");
                default -> ApiFixtures.token(server, role.subject);
            });
        }
        ApiFixtures.awaitSettled(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String target(Verb verb, Role role) {
        return verb.name().toLowerCase() + "-" + role.slug();
    }

    // ---- the rules, written out independently of AccessPolicy

    /** The status each request is answered with. */
    static int expected(Kind kind, Verb verb, Role role, Scope scope) {
        boolean read = verb == Verb.GET || verb == Verb.LIST || verb == Verb.WATCH;
        if (kind == Kind.TENANT && (verb == Verb.LIST || verb == Verb.WATCH)) return 200; // filtered object by object
        if (role == Role.PLATFORM_ADMIN) return success(kind, verb);
        if (role == Role.NON_MEMBER || scope == Scope.OTHER) return 404;
        if (read) return 200;
        if (kind == Kind.PROJECT && role == Role.TENANT_ADMIN) return success(kind, verb);
        return 403;
    }

    /**
     * What a permitted request gets. Creating a Tenant named after an existing one is a conflict, and deleting
     * a Tenant that holds projects is one too: both show that authorization let the request through.
     */
    private static int success(Kind kind, Verb verb) {
        return switch (verb) {
            case CREATE -> kind == Kind.TENANT ? 409 : 201;
            case DELETE -> kind == Kind.TENANT ? 409 : 200;
            default -> 200;
        };
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Verb verb : Verb.values()) {
                for (Role role : Role.values()) {
                    for (Scope scope : Scope.values()) {
                        out.add(Arguments.of(kind, verb, role, scope, expected(kind, verb, role, scope)));
                    }
                }
            }
        }
        return out.stream();
    }

    // ---- requests

    /** A request of the matrix; watches are answered with the first events, or the error. */
    private record Answer(int status, String body, List<SseStream.Event> events) {
    }

    private static Answer send(Kind kind, Verb verb, Role role, String tenant, String name, String token) {
        if (verb == Verb.WATCH) {
            String path = kind == Kind.PROJECT ? "/api/v1/tenants/" + tenant + "/projects?watch=true" : "/api/v1/tenants?watch=true";
            try (SseStream watch = SseStream.open(server, path, token)) {
                if (watch.status() != 200) return new Answer(watch.status(), watch.errorBody(), List.of());
                assertThat(watch.contentType()).startsWith("text/event-stream");
                return new Answer(200, "", watch.until(e -> e.type().equals("BOOKMARK"), Duration.ofSeconds(10)));
            }
        }
        HttpResponse<String> r = kind == Kind.PROJECT ? sendProject(verb, role, tenant, name, token) : sendTenant(verb, role, tenant, token);
        return new Answer(r.statusCode(), r.body(), List.of());
    }

    private static HttpResponse<String> sendProject(Verb verb, Role role, String tenant, String name, String token) {
        String base = "/api/v1/tenants/" + tenant + "/projects";
        return switch (verb) {
            case GET -> server.call("GET", base + "/" + name, token, null);
            case LIST -> server.call("GET", base, token, null);
            case CREATE -> server.call("POST", base, token, ApiFixtures.project(name, "made by " + role.slug()));
            case UPDATE -> server.call("PUT", base + "/" + name, token, ApiFixtures.project(name, "replaced by " + role.slug()));
            case PATCH -> server.call("PATCH", base + "/" + name, token, "{\"spec\":{\"description\":\"patched by " + role.slug() + "\"}}", MERGE_PATCH);
            case DELETE -> server.call("DELETE", base + "/" + name, token, null);
            default -> throw new IllegalStateException("unexpected verb " + verb);
        };
    }

    private static HttpResponse<String> sendTenant(Verb verb, Role role, String tenant, String token) {
        return switch (verb) {
            case GET -> server.call("GET", "/api/v1/tenants/" + tenant, token, null);
            case LIST -> server.call("GET", "/api/v1/tenants", token, null);
            case CREATE -> server.call("POST", "/api/v1/tenants", token, ApiFixtures.tenant(tenant));
            case UPDATE -> server.call("PUT", "/api/v1/tenants/" + tenant, token, relabelled(tenant, role));
            case PATCH -> server.call("PATCH", "/api/v1/tenants/" + tenant, token,
                    "{\"metadata\":{\"labels\":{\"patched-by\":\"" + role.slug() + "\"}}}", MERGE_PATCH);
            case DELETE -> server.call("DELETE", "/api/v1/tenants/" + tenant, token, null);
            default -> throw new IllegalStateException("unexpected verb " + verb);
        };
    }

    /** The tenant as it was made, members included, with one label more: a replace that keeps everyone's roles. */
    private static String relabelled(String tenant, Role role) {
        ObjectNode body = (ObjectNode) Json.tree(tenant.equals("acme") ? ACME_TENANT
                : tenant.equals("globex") ? GLOBEX_TENANT : ApiFixtures.tenant(tenant));
        body.with("metadata").putObject("labels").put("replaced-by", role.slug());
        return Json.string(body);
    }

    private static String nameFor(Kind kind, Verb verb, Role role) {
        if (kind == Kind.TENANT) return null;
        return switch (verb) {
            case GET -> "base";
            case CREATE -> "made-by-" + role.slug();
            case UPDATE, PATCH, DELETE -> target(verb, role);
            default -> null;
        };
    }

    // ---- the matrix

    @ParameterizedTest(name = "{0} {1} as {2} in the {3} tenant -> {4}")
    @MethodSource("matrix")
    void answersEveryVerbByRoleAndTenant(Kind kind, Verb verb, Role role, Scope scope, int status) {
        String tenant = scope.tenant;
        String name = nameFor(kind, verb, role);
        JsonNode before = kind == Kind.PROJECT && name != null && verb != Verb.CREATE
                ? expect(server.admin("GET", "/api/v1/tenants/" + tenant + "/projects/" + name, null), 200)
                : kind == Kind.TENANT ? expect(server.admin("GET", "/api/v1/tenants/" + tenant, null), 200) : null;

        Answer answer = send(kind, verb, role, tenant, name, TOKENS.get(role));
        assertThat(answer.status()).as("%s %s as %s in %s: %s", verb, kind, role, tenant, answer.body()).isEqualTo(status);

        if (status == 404) assertLooksMissing(kind, verb, role, tenant, name, answer.body());
        if (status == 403) assertThat(Json.tree(answer.body()).get("message").asText()).contains("may not " + verb.name().toLowerCase());
        if (status >= 400) assertUnchanged(kind, verb, tenant, name, before);
        else assertEffect(kind, verb, role, tenant, name, answer);
    }

    /**
     * A hidden object is answered exactly like a missing one: the same body, apart from the name, as the
     * platform admin gets for an object that does not exist (or, where the admin would succeed, as the caller
     * gets for a tenant that does not exist).
     */
    private static void assertLooksMissing(Kind kind, Verb verb, Role role, String tenant, String name, String body) {
        assertThat(Json.tree(body).get("title").asText()).isEqualTo("NotFound");
        String twin;
        String expected;
        if (kind == Kind.PROJECT && (verb == Verb.LIST || verb == Verb.WATCH)) {
            twin = send(kind, verb, role, "nowhere", null, TOKENS.get(role)).body();
            expected = body.replace(tenant, "nowhere");
        } else if (kind == Kind.PROJECT && verb == Verb.CREATE) {
            twin = server.admin("POST", "/api/v1/tenants/nowhere/projects", ApiFixtures.project(name, "made by " + role.slug())).body();
            expected = body.replace(tenant, "nowhere");
        } else if (kind == Kind.PROJECT) {
            twin = sendProject(verb, role, tenant, "ghost", server.adminToken()).body();
            expected = body.replace(tenant + "/" + name, tenant + "/ghost");
        } else if (verb == Verb.CREATE) {
            twin = server.call("POST", "/api/v1/tenants", TOKENS.get(role), ApiFixtures.tenant("ghost")).body();
            expected = body.replace(tenant, "ghost");
        } else {
            twin = sendTenant(verb, role, "ghost", server.adminToken()).body();
            expected = body.replace(tenant, "ghost");
        }
        assertThat(twin).as("a missing object's answer").isEqualTo(expected);
    }

    private static void assertUnchanged(Kind kind, Verb verb, String tenant, String name, JsonNode before) {
        if (kind == Kind.TENANT) {
            // the tenant controller may write the status meanwhile: compare what callers write
            JsonNode now = expect(server.admin("GET", "/api/v1/tenants/" + tenant, null), 200);
            assertThat(now.get("spec")).isEqualTo(before.get("spec"));
            assertThat(now.at("/metadata/labels")).isEqualTo(before.at("/metadata/labels"));
            return;
        }
        String path = "/api/v1/tenants/" + tenant + "/projects/" + name;
        if (verb == Verb.CREATE) {
            assertThat(server.admin("GET", path, null).statusCode()).isEqualTo(404);
        } else if (before != null) {
            assertThat(expect(server.admin("GET", path, null), 200).at("/metadata/resourceVersion")).isEqualTo(before.at("/metadata/resourceVersion"));
        }
    }

    private static void assertEffect(Kind kind, Verb verb, Role role, String tenant, String name, Answer answer) {
        JsonNode body = verb == Verb.WATCH ? null : Json.tree(answer.body());
        switch (verb) {
            case GET -> assertThat(body.at("/metadata/name").asText()).isEqualTo(kind == Kind.PROJECT ? name : tenant);
            case LIST -> assertVisible(kind, role, tenant, ApiFixtures.names(body), body);
            case WATCH -> {
                List<String> added = new ArrayList<>();
                for (SseStream.Event e : answer.events()) if (e.type().equals("ADDED")) added.add(e.name());
                assertVisible(kind, role, tenant, added, null);
            }
            case CREATE -> expect(server.admin("GET", "/api/v1/tenants/" + tenant + "/projects/" + name, null), 200);
            case UPDATE, PATCH -> {
                if (kind == Kind.PROJECT) {
                    String verbed = verb == Verb.UPDATE ? "replaced by " : "patched by ";
                    assertThat(expect(server.admin("GET", "/api/v1/tenants/" + tenant + "/projects/" + name, null), 200)
                            .at("/spec/description").asText()).isEqualTo(verbed + role.slug());
                } else {
                    String label = verb == Verb.UPDATE ? "replaced-by" : "patched-by";
                    assertThat(body.at("/metadata/labels/" + label).asText()).isEqualTo(role.slug());
                }
            }
            case DELETE -> assertThat(server.admin("GET", "/api/v1/tenants/" + tenant + "/projects/" + name, null).statusCode()).isEqualTo(404);
            default -> throw new IllegalStateException("unexpected verb " + verb);
        }
    }

    /** A list or watch shows the caller's tenants' objects and nothing of another tenant. */
    private static void assertVisible(Kind kind, Role role, String tenant, List<String> names, JsonNode list) {
        if (kind == Kind.PROJECT) {
            assertThat(names).contains("base");
            if (list != null) {
                for (JsonNode item : list.get("items")) assertThat(item.at("/metadata/tenant").asText()).isEqualTo(tenant);
            }
            return;
        }
        boolean admin = role == Role.PLATFORM_ADMIN;
        boolean member = admin || (role != Role.NON_MEMBER && tenant.equals("acme"));
        if (member) assertThat(names).contains(tenant);
        else assertThat(names).doesNotContain(tenant);
        if (!admin) assertThat(names).doesNotContain("globex");
    }

    // ---- lists across tenants, and roles through projects

    @ParameterizedTest(name = "{0}")
    @EnumSource(Role.class)
    void listAcrossTenantsShowsOnlyTheCallersTenants(Role role) {
        JsonNode list = expect(server.call("GET", "/api/v1/projects", TOKENS.get(role), null), 200);
        Set<String> tenants = new TreeSet<>();
        for (JsonNode item : list.get("items")) tenants.add(item.at("/metadata/tenant").asText());
        Set<String> wanted = switch (role) {
            case PLATFORM_ADMIN -> Set.of("acme", "globex");
            case NON_MEMBER -> Set.of();
            default -> Set.of("acme");
        };
        assertThat(tenants).isEqualTo(wanted);
        JsonNode accounts = expect(server.call("GET", "/api/v1/serviceaccounts", TOKENS.get(role), null), 200);
        for (JsonNode item : accounts.get("items")) assertThat(wanted).contains(item.at("/metadata/tenant").asText());
    }

    @Test
    void aProjectMembershipGrantsItsRoleInTheTenant() {
        String pam = ApiFixtures.token(server, "pam");
        JsonNode whoami = expect(server.call("GET", "/api/v1/whoami", pam, null), 200);
        assertThat(whoami.at("/tenants/acme").asText()).isEqualTo("viewer");
        expect(server.call("GET", "/api/v1/tenants/acme/projects/base", pam, null), 200);
        expect(server.call("GET", "/api/v1/tenants/acme", pam, null), 200);
        assertError(server.call("PATCH", "/api/v1/tenants/acme/projects/staffed", pam, "{\"spec\":{\"description\":\"x\"}}", MERGE_PATCH),
                403, "user:pam may not patch projects in tenant acme");
        assertError(server.call("GET", "/api/v1/tenants/globex/projects/base", pam, null), 404, "Project globex/base not found");
    }

    @Test
    void aUserSeesItsOwnUserObjectOnly() {
        String nora = TOKENS.get(Role.NON_MEMBER);
        assertThat(ApiFixtures.names(expect(server.call("GET", "/api/v1/users", nora, null), 200))).containsExactly("nora");
        expect(server.call("GET", "/api/v1/users/nora", nora, null), 200);
        assertError(server.call("GET", "/api/v1/users/tia", nora, null), 404, "User tia not found");
        assertThat(ApiFixtures.names(expect(server.call("GET", "/api/v1/users", TOKENS.get(Role.SERVICE_ACCOUNT), null), 200))).isEmpty();
        assertError(server.call("PATCH", "/api/v1/users/nora", nora, "{\"spec\":{\"platformAdmin\":true}}", MERGE_PATCH), 403, "user:nora may not patch users");
        assertThat(expect(server.call("GET", "/api/v1/whoami", nora, null), 200).get("platformAdmin").asBoolean()).isFalse();
    }

    // ---- audit of refusals

    @Test
    void refusedRequestsAreAuditedWithTheCallersIdentityAndOutcome() {
        String vic = TOKENS.get(Role.VIEWER);
        assertError(server.call("DELETE", "/api/v1/tenants/acme/projects/base", vic, null), 403);
        assertError(server.call("GET", "/api/v1/tenants/globex/projects/base", vic, null), 404);
        assertError(server.call("GET", "/api/v1/tenants/globex/projects/base", TOKENS.get(Role.SERVICE_ACCOUNT), null), 404);

        JsonNode records = expect(server.admin("GET", "/api/v1/audit?actor=user:vic", null), 200).get("items");
        assertThat(find(records, "delete", "Project", "acme", "base", 403)).as("403 in %s", records).isTrue();
        assertThat(find(records, "get", "Project", "globex", "base", 404)).as("404 in %s", records).isTrue();
        for (JsonNode r : records) assertThat(r.get("actor").asText()).isEqualTo("user:vic");
        JsonNode bySa = expect(server.admin("GET", "/api/v1/audit?actor=serviceaccount:acme/ci", null), 200).get("items");
        assertThat(find(bySa, "get", "Project", "globex", "base", 404)).as("404 in %s", bySa).isTrue();
    }

    @Test
    void unauthenticatedRequestsAreAuditedAsAnonymous() {
        assertError(server.call("GET", "/api/v1/tenants/acme/projects/anon-probe", "mw_00000000deadbeef_forged", null), 401);
        assertError(server.call("DELETE", "/api/v1/tenants/acme/projects/anon-probe", null, null), 401);
        JsonNode records = expect(server.admin("GET", "/api/v1/audit?actor=anonymous", null), 200).get("items");
        assertThat(find(records, "get", "Project", "acme", "anon-probe", 401)).as("in %s", records).isTrue();
        assertThat(find(records, "delete", "Project", "acme", "anon-probe", 401)).as("in %s", records).isTrue();
    }

    private static boolean find(JsonNode records, String verb, String kind, String tenant, String name, int outcome) {
        for (JsonNode r : records) {
            if (r.path("verb").asText().equals(verb) && r.path("kind").asText().equals(kind) && r.path("tenant").asText().equals(tenant)
                    && r.path("name").asText().equals(name) && r.path("outcome").asInt() == outcome) {
                return true;
            }
        }
        return false;
    }

    // ---- tokens

    @Test
    void aRevokedTokenIsRefusedAtOnce() {
        JsonNode issued = expect(server.admin("POST", "/api/v1/tokens", "{\"user\":\"pat\",\"description\":\"to revoke\"}"), 201);
        String token = issued.get("token").asText();
        assertThat(expect(server.call("GET", "/api/v1/whoami", token, null), 200).get("identity").asText()).isEqualTo("user:pat");
        expect(server.call("GET", "/api/v1/tenants/acme/projects", token, null), 200); // now cached by the authenticator

        JsonNode revoked = expect(server.admin("DELETE", "/api/v1/tokens/" + issued.get("id").asText(), null), 200);
        assertThat(revoked.get("revokedAt").asText()).isNotBlank();
        assertError(server.call("GET", "/api/v1/tenants/acme/projects", token, null), 401, "the token is unknown, revoked or expired");
        assertError(server.call("GET", "/api/v1/whoami", token, null), 401);
        expect(server.call("GET", "/api/v1/whoami", TOKENS.get(Role.PRACTITIONER), null), 200);
    }

    @Test
    void aTenantAdminIssuesTokensForItsOwnServiceAccountsOnly() {
        String tia = TOKENS.get(Role.TENANT_ADMIN);
        JsonNode issued = expect(server.call("POST", "/api/v1/tokens", tia, "{\"serviceAccount\":\"ci\",\"tenant\":\"acme\"}"), 201);
        JsonNode who = expect(server.call("GET", "/api/v1/whoami", issued.get("token").asText(), null), 200);
        assertThat(who.get("identity").asText()).isEqualTo("serviceaccount:acme/ci");
        assertThat(who.at("/tenants/acme").asText()).isEqualTo("practitioner");

        assertError(server.call("POST", "/api/v1/tokens", tia, "{\"user\":\"pat\"}"), 403, "user:tia may only issue tokens for itself");
        expect(server.call("POST", "/api/v1/tokens", tia, "{\"user\":\"tia\"}"), 201);
        var otherTenant = server.call("POST", "/api/v1/tokens", tia, "{\"serviceAccount\":\"bot\",\"tenant\":\"globex\"}");
        assertError(otherTenant, 404, "Tenant globex not found");
        var missingTenant = server.call("POST", "/api/v1/tokens", tia, "{\"serviceAccount\":\"bot\",\"tenant\":\"nowhere\"}");
        assertThat(missingTenant.body()).isEqualTo(otherTenant.body().replace("globex", "nowhere"));
        assertError(server.call("POST", "/api/v1/tokens", TOKENS.get(Role.PRACTITIONER), "{\"serviceAccount\":\"ci\",\"tenant\":\"acme\"}"),
                403, "only tenant admins manage its service accounts");
        assertError(server.call("POST", "/api/v1/tokens", TOKENS.get(Role.SERVICE_ACCOUNT), "{\"user\":\"admin\"}"), 403);

        JsonNode visible = expect(server.call("GET", "/api/v1/tokens", tia, null), 200).get("items");
        for (JsonNode t : visible) {
            boolean own = t.path("subjectKind").asText().equals("User") ? t.path("subject").asText().equals("tia")
                    : t.path("tenant").asText().equals("acme");
            assertThat(own).as("tia may manage %s", t).isTrue();
        }
        String globexToken = expect(server.admin("POST", "/api/v1/tokens", "{\"serviceAccount\":\"bot\",\"tenant\":\"globex\"}"), 201).get("id").asText();
        assertError(server.call("DELETE", "/api/v1/tokens/" + globexToken, tia, null), 404, "token " + globexToken + " not found");
    }
}
