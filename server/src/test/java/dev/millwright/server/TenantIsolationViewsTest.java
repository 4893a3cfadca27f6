package dev.millwright.server;

import static dev.millwright.server.IsolationWorld.ACME;
import static dev.millwright.server.IsolationWorld.ACME_ADMIN;
import static dev.millwright.server.IsolationWorld.GLOBEX;
import static dev.millwright.server.IsolationWorld.MARK;
import static dev.millwright.server.IsolationWorld.NO_SUCH_NAME;
import static dev.millwright.server.IsolationWorld.NO_SUCH_TENANT;
import static dev.millwright.server.IsolationWorld.assertLikeMissing;
import static dev.millwright.server.IsolationWorld.assertNothingOfAcme;
import static dev.millwright.server.IsolationWorld.name;
import static dev.millwright.server.IsolationWorld.tenantKinds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import dev.millwright.server.IsolationWorld.Answer;
import dev.millwright.server.IsolationWorld.Caller;
import dev.millwright.server.TenantIsolationTest.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tenant isolation of what is not one object (issue 7): health, metrics, the fleet and twin views, tokens, the
 * audit log and events, as every globex caller. Metrics name every tenant's environments and are served to
 * platform admins only; the audit log and events show a tenant's members its own records; whatever names acme
 * is answered like what names nothing. Watches across tenants are not told of acme's changes. The platform
 * admin, meanwhile, sees all of it: the checks are not vacuous. {@link TenantIsolationTest} checks that every
 * route has a case here or there.
 */
class TenantIsolationViewsTest {
    /** The routes that are not one resource, each with its isolation case. */
    static final Map<String, Probe> ROUTES = Map.ofEntries(
            Map.entry("GET /healthz", c -> showsNothingOfAcme(c, "/healthz", 200)),
            Map.entry("GET /readyz", c -> showsNothingOfAcme(c, "/readyz", 200)),
            Map.entry("GET /api/v1/openapi.json", c -> showsNothingOfAcme(c, "/api/v1/openapi.json", 200)),
            Map.entry("GET /api/v1/kinds", c -> showsNothingOfAcme(c, "/api/v1/kinds", 200)),
            Map.entry("GET /api/v1/whoami", TenantIsolationViewsTest::whoamiNamesOnlyTheCallersTenants),
            Map.entry("GET /metrics", c -> platformAdminsOnly(c, "GET", "/metrics", null)),
            Map.entry("GET /api/v1/fleet", c -> platformAdminsOnly(c, "GET", "/api/v1/fleet", null)),
            Map.entry("GET /api/v1/fleet/history", c -> platformAdminsOnly(c, "GET", "/api/v1/fleet/history", null)),
            Map.entry("GET /api/v1/twin", c -> platformAdminsOnly(c, "GET", "/api/v1/twin", null)),
            Map.entry("POST /api/v1/twin/faults", c -> platformAdminsOnly(c, "POST", "/api/v1/twin/faults", "{\"machine\":\"m1\",\"fault\":\"gpu-xid\"}")),
            Map.entry("POST /api/v1/twin/advance", c -> platformAdminsOnly(c, "POST", "/api/v1/twin/advance", "{\"seconds\":3600}")),
            Map.entry("GET /api/v1/audit/verify", c -> platformAdminsOnly(c, "GET", "/api/v1/audit/verify", null)),
            Map.entry("POST /api/v1/secrets/rekey", c -> platformAdminsOnly(c, "POST", "/api/v1/secrets/rekey", null)),
            Map.entry("POST /api/v1/policies/test", c -> platformAdminsOnly(c, "POST", "/api/v1/policies/test",
                    "{\"kind\":\"Policy\",\"metadata\":{\"name\":\"all\"},\"spec\":{\"subject\":\"Environment\",\"rule\":\"false\",\"message\":\"m\"}}")),
            Map.entry("POST /api/v1/tokens", TenantIsolationViewsTest::tokensForAcmesPrincipals),
            Map.entry("GET /api/v1/tokens", TenantIsolationViewsTest::tokenListShowsNoneOfAcmes),
            Map.entry("DELETE /api/v1/tokens/{id}", TenantIsolationViewsTest::revokingAcmesTokenIsLikeAnUnknownOne),
            Map.entry("GET /api/v1/audit", TenantIsolationViewsTest::auditShowsOnlyTheCallersTenant),
            Map.entry("GET /api/v1/events", TenantIsolationViewsTest::eventsAcrossTenants),
            Map.entry("GET /api/v1/tenants/{tenant}/events", TenantIsolationViewsTest::eventsOfATenant));

    private static IsolationWorld world;

    @BeforeAll
    static void start() {
        world = IsolationWorld.start("isolation-views");
    }

    @AfterAll
    static void stop() {
        if (world != null) world.close();
    }

    static Stream<Arguments> cases() {
        return IsolationWorld.cases(ROUTES.keySet());
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void aGlobexCallerLearnsNothingOfAcmeAndChangesNothing(String route, Caller caller) {
        world.checkUnchanged(route, caller, ROUTES.get(route)::check);
    }

    // ---- views

    private static void showsNothingOfAcme(Caller c, String path, int status) {
        Answer a = world.send(c, "GET", path, null);
        assertThat(a.status()).as("GET %s as %s: %s", path, c, a).isEqualTo(status);
        assertNothingOfAcme("GET " + path + " as " + c, a.body());
    }

    private static void whoamiNamesOnlyTheCallersTenants(Caller c) {
        Answer a = world.send(c, "GET", "/api/v1/whoami", null);
        assertNothingOfAcme("whoami as " + c, a.body());
        JsonNode tenants = Json.tree(a.body()).get("tenants");
        List<String> names = new ArrayList<>();
        tenants.fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(c == Caller.NO_TENANT ? List.of() : List.of(GLOBEX));
    }

    /** Views of the whole platform (metrics label every tenant's environments): refused, naming nothing. */
    private static void platformAdminsOnly(Caller c, String method, String path, String body) {
        Answer a = world.send(c, method, path, body);
        assertThat(a.status()).as("%s %s as %s: %s", method, path, c, a).isEqualTo(403);
        assertThat(Json.tree(a.body()).get("message").asText()).contains("platform admins only");
        assertNothingOfAcme(method + " " + path + " as " + c, a.body());
    }

    @Test
    void metricsNeedAPlatformAdminAndNameEveryTenantForIt() {
        assertThat(world.send((String) null, "GET", "/metrics", null).status()).isEqualTo(401);
        // what a tenant must not read, so the platform admin's alone (read from the objects at most every 2 s)
        String vulnerabilities = "millwright_vulnerabilities\\{environment=\"" + name(ACME, "Environment") + "\",[^}]*tenant=\"acme\"";
        String workloads = "millwright_workloads\\{phase=\"\\w+\",tenant=\"acme\"\\}";
        ApiFixtures.await(() -> Json.MAPPER.getNodeFactory().textNode(world.server().admin("GET", "/metrics", null).body()),
                m -> Pattern.compile(vulnerabilities).matcher(m.asText()).find() && Pattern.compile(workloads).matcher(m.asText()).find(),
                Duration.ofSeconds(10), "acme in the metrics");
    }

    // ---- tokens

    /** Tokens for acme's service account or tenant admin: refused exactly as for ones that do not exist. */
    private static void tokensForAcmesPrincipals(Caller c) {
        String sa = name(ACME, "ServiceAccount");
        String template = "{\"serviceAccount\":\"%s\",\"tenant\":\"%s\"}";
        Answer hidden = world.send(c, "POST", "/api/v1/tokens", template.formatted(sa, ACME));
        assertThat(hidden.status()).as("a token for acme's service account as %s: %s", c, hidden).isEqualTo(404);
        assertLikeMissing("a token for acme's service account as " + c, hidden,
                world.send(c, "POST", "/api/v1/tokens", template.formatted(NO_SUCH_NAME, ACME)), sa, NO_SUCH_NAME);
        assertLikeMissing("a token for acme's service account as " + c + ", against a tenant that does not exist", hidden,
                world.send(c, "POST", "/api/v1/tokens", template.formatted(NO_SUCH_NAME, NO_SUCH_TENANT)), sa, NO_SUCH_NAME, ACME, NO_SUCH_TENANT);
        assertLikeMissing("a token for a globex service account named like acme's as " + c,
                world.send(c, "POST", "/api/v1/tokens", template.formatted(sa, GLOBEX)),
                world.send(c, "POST", "/api/v1/tokens", template.formatted(NO_SUCH_NAME, GLOBEX)), sa, NO_SUCH_NAME);
        assertLikeMissing("a token for acme's tenant admin as " + c,
                world.send(c, "POST", "/api/v1/tokens", "{\"user\":\"" + ACME_ADMIN + "\"}"),
                world.send(c, "POST", "/api/v1/tokens", "{\"user\":\"" + NO_SUCH_NAME + "\"}"), ACME_ADMIN, NO_SUCH_NAME);
    }

    private static void tokenListShowsNoneOfAcmes(Caller c) {
        Answer a = world.send(c, "GET", "/api/v1/tokens", null);
        assertThat(a.status()).isEqualTo(200);
        assertNothingOfAcme("the tokens " + c + " may manage", a.body());
        assertThat(a.body()).doesNotContain(world.acmeTokenId());
    }

    private static void revokingAcmesTokenIsLikeAnUnknownOne(Caller c) {
        String id = world.acmeTokenId();
        Answer hidden = world.send(c, "DELETE", "/api/v1/tokens/" + id, null);
        assertThat(hidden.status()).as("revoke acme's token as %s: %s", c, hidden).isEqualTo(404);
        assertLikeMissing("revoke acme's token as " + c, hidden, world.send(c, "DELETE", "/api/v1/tokens/00000000deadbeef", null), id, "00000000deadbeef");
        assertThat(world.send(world.acmeToken(), "GET", "/api/v1/whoami", null).status()).as("acme's token still works").isEqualTo(200);
    }

    // ---- audit

    /**
     * A tenant's admins read its audit records and no other's: acme's audit is answered like a tenant that does not
     * exist, and no filter or cursor on globex's reaches acme's records. Other members read no audit.
     */
    private static void auditShowsOnlyTheCallersTenant(Caller c) {
        for (String q : List.of("", "&actor=user:" + ACME_ADMIN + "&kind=Environment")) {
            Answer hidden = world.send(c, "GET", "/api/v1/audit?tenant=acme" + q, null);
            assertThat(hidden.status()).as("acme's audit%s as %s: %s", q, c, hidden).isEqualTo(404);
            assertLikeMissing("acme's audit" + q + " as " + c, hidden, world.send(c, "GET", "/api/v1/audit?tenant=nowhere" + q, null),
                    ACME, NO_SUCH_TENANT);
        }
        Answer whole = world.send(c, "GET", "/api/v1/audit", null);
        assertThat(whole.status()).as("the whole audit log as %s", c).isEqualTo(400);
        long acmeSeq = Json.tree(world.server().admin("GET", "/api/v1/audit?tenant=acme&limit=1", null).body()).at("/items/0/seq").asLong();
        for (String q : List.of("", "&actor=user:" + ACME_ADMIN, "&kind=Environment", "&before=" + (acmeSeq + 1), "&limit=1000")) {
            Answer own = world.send(c, "GET", "/api/v1/audit?tenant=globex" + q, null);
            String what = "globex's audit" + q + " as " + c;
            assertNothingOfAcme(what, own.body());
            switch (c) {
                case GLOBEX_TENANT_ADMIN, GLOBEX_SERVICE_ACCOUNT -> {
                    assertThat(own.status()).as("%s: %s", what, own).isEqualTo(200);
                    for (JsonNode r : Json.tree(own.body()).get("items")) assertThat(r.path("tenant").asText()).as(what).isEqualTo(GLOBEX);
                }
                case GLOBEX_PRACTITIONER, GLOBEX_VIEWER -> assertThat(own.status()).as("%s: %s", what, own).isEqualTo(403);
                case NO_TENANT -> assertLikeMissing(what, own, world.send(c, "GET", "/api/v1/audit?tenant=nowhere" + q, null), GLOBEX, NO_SUCH_TENANT);
                default -> throw new IllegalStateException("unexpected caller " + c);
            }
        }
    }

    // ---- events

    private static void eventsAcrossTenants(Caller c) {
        Answer mine = world.send(c, "GET", "/api/v1/events?limit=1000", null);
        assertThat(mine.status()).isEqualTo(200);
        assertNothingOfAcme("events across tenants as " + c, mine.body());
        if (c != Caller.NO_TENANT) assertThat(mine.body()).as("globex's own events").contains(name(GLOBEX, "Workload"));
        eventsOfAcmesObjects(c, "/api/v1/events?", "&tenant=acme");
        String chat = name(ACME, "Workload");
        assertLikeMissing("events of Workload " + chat + " without a tenant as " + c,
                world.send(c, "GET", "/api/v1/events?kind=Workload&name=" + chat, null),
                world.send(c, "GET", "/api/v1/events?kind=Workload&name=" + NO_SUCH_NAME, null), chat, NO_SUCH_NAME);
        for (String[] kindAndName : List.of(new String[] {"Tenant", ACME}, new String[] {"User", ACME_ADMIN})) {
            String q = "/api/v1/events?kind=" + kindAndName[0] + "&name=";
            assertLikeMissing("events of " + kindAndName[0] + " " + kindAndName[1] + " as " + c,
                    world.send(c, "GET", q + kindAndName[1], null), world.send(c, "GET", q + NO_SUCH_NAME, null), kindAndName[1], NO_SUCH_NAME);
        }
        Answer hidden = world.send(c, "GET", "/api/v1/events?tenant=acme", null);
        assertThat(hidden.status()).isEqualTo(404);
        assertLikeMissing("events of tenant acme as " + c, hidden, world.send(c, "GET", "/api/v1/events?tenant=nowhere", null), ACME, NO_SUCH_TENANT);
    }

    private static void eventsOfATenant(Caller c) {
        Answer hidden = world.send(c, "GET", "/api/v1/tenants/acme/events", null);
        assertThat(hidden.status()).isEqualTo(404);
        assertLikeMissing("acme's events as " + c, hidden, world.send(c, "GET", "/api/v1/tenants/nowhere/events", null), ACME, NO_SUCH_TENANT);
        eventsOfAcmesObjects(c, "/api/v1/tenants/acme/events?", "");
        assertNothingOfAcme("globex's events as " + c, world.send(c, "GET", "/api/v1/tenants/globex/events", null).body());
    }

    /** The events of each of acme's objects: answered like those of an object that does not exist, in a tenant that does not. */
    private static void eventsOfAcmesObjects(Caller c, String prefix, String tenantParam) {
        for (KindDefinition k : tenantKinds()) {
            String real = name(ACME, k.kind());
            String path = prefix + "kind=" + k.kind() + "&name=" + real + tenantParam;
            Answer hidden = world.send(c, "GET", path, null);
            assertThat(hidden.status()).as("%s as %s: %s", path, c, hidden).isEqualTo(404);
            assertLikeMissing(path + " as " + c, hidden, world.send(c, "GET", path.replace(real, NO_SUCH_NAME), null), real, NO_SUCH_NAME);
            assertLikeMissing(path + " as " + c + ", against a tenant that does not exist", hidden,
                    world.send(c, "GET", path.replace(real, NO_SUCH_NAME).replace(ACME, NO_SUCH_TENANT), null), real, NO_SUCH_NAME, ACME, NO_SUCH_TENANT);
        }
    }

    // ---- what the platform admin sees, and live watches

    @Test
    void thePlatformAdminSeesAcmesAuditEventsAndTokens() {
        JsonNode audit = world.admin("/api/v1/audit?tenant=acme&limit=1000").get("items");
        assertThat(audit.toString()).contains(name(ACME, "Environment"), name(ACME, "Rollout"));
        assertThat(world.admin("/api/v1/events?tenant=acme").get("items").toString()).contains(name(ACME, "Workload"));
        assertThat(world.admin("/api/v1/tokens").toString()).contains(world.acmeTokenId());
    }

    /**
     * Every caller watches every tenant-scoped kind across tenants (from now, replaying from the first revision,
     * and selecting acme's label) and globex's: acme's objects change, one is made and deleted, then globex's
     * objects change. Changes arrive in revision order, so a watch that reached a bookmark past them all without
     * an acme event was never told of acme's.
     */
    @Test
    void watchesAreNotToldOfAcmesChanges() {
        List<SseStream> streams = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        try {
            for (Caller c : Caller.values()) {
                for (KindDefinition k : tenantKinds()) {
                    for (String path : List.of("/api/v1/" + k.plural() + "?watch=true", "/api/v1/tenants/globex/" + k.plural() + "?watch=true",
                            "/api/v1/" + k.plural() + "?watch=true&resourceVersion=1", "/api/v1/" + k.plural() + "?watch=true&labelSelector=team%3D" + MARK)) {
                        if (c == Caller.NO_TENANT && path.contains(GLOBEX)) continue;
                        SseStream s = SseStream.open(world.server(), path, world.token(c));
                        assertThat(s.status()).as("watch %s as %s", path, c).isEqualTo(200);
                        if (!path.contains("resourceVersion")) s.until(e -> e.type().equals("BOOKMARK"), Duration.ofSeconds(10));
                        streams.add(s);
                        paths.add(path + " as " + c);
                    }
                }
            }
            String touch = "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}";
            for (KindDefinition k : tenantKinds()) {
                ApiFixtures.expect(world.server().call("PATCH", "/api/v1/tenants/acme/" + k.plural() + "/" + name(ACME, k.kind()),
                        world.server().adminToken(), touch, ApiFixtures.MERGE_PATCH), 200);
            }
            ApiFixtures.create(world.server(), "/api/v1/tenants/acme/projects", ApiFixtures.project(MARK + "-passing", "made and gone"));
            ApiFixtures.expect(world.server().admin("DELETE", "/api/v1/tenants/acme/projects/" + MARK + "-passing", null), 200);
            for (KindDefinition k : tenantKinds()) {
                ApiFixtures.expect(world.server().call("PATCH", "/api/v1/tenants/globex/" + k.plural() + "/" + name(GLOBEX, k.kind()),
                        world.server().adminToken(), touch, ApiFixtures.MERGE_PATCH), 200);
            }
            long after = ApiFixtures.revision(world.server());
            for (int i = 0; i < streams.size(); i++) {
                List<SseStream.Event> events = streams.get(i).until(e -> e.type().equals("BOOKMARK") && e.revision() >= after, Duration.ofSeconds(15));
                assertNothingOfAcme("the watch " + paths.get(i), events.toString() + events.stream().map(e -> e.data().toString()).toList());
                if (!paths.get(i).contains(Caller.NO_TENANT.name()) && !paths.get(i).contains("labelSelector")) {
                    assertThat(events).as("the watch %s is told of globex's change", paths.get(i)).anyMatch(e -> e.type().equals("MODIFIED"));
                }
            }
        } finally {
            streams.forEach(SseStream::close);
            world.awaitQuiet();
        }
    }
}
