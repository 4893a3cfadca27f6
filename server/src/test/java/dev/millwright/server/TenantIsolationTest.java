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
import static dev.millwright.server.IsolationWorld.plural;
import static dev.millwright.server.IsolationWorld.tenantKinds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.kinds.Kinds;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import dev.millwright.server.IsolationWorld.Answer;
import dev.millwright.server.IsolationWorld.Caller;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tenant isolation, route by route (issue 7): every route the server registers is tried by every globex caller
 * on acme's objects. Each answers exactly as it does for an object that does not exist (status, shape and
 * message), changes nothing of acme, and no list, watch, selector, continue token or {@code ?tenant=} reaches
 * acme's objects. This class holds the resource routes; {@link TenantIsolationViewsTest} the aggregated and
 * administrative ones. A route the server registers without a case in either table fails
 * {@link #everyRegisteredRouteHasAnIsolationCase}: add one line to a table.
 */
class TenantIsolationTest {
    /** What one route is tried with, as one caller. */
    @FunctionalInterface
    interface Probe {
        void check(Caller caller);
    }

    /** The resource routes, each with its isolation case. */
    static final Map<String, Probe> ROUTES = Map.ofEntries(
            Map.entry("GET /api/v1/tenants/{tenant}/{plural}", TenantIsolationTest::listsAndWatchesOfATenant),
            Map.entry("POST /api/v1/tenants/{tenant}/{plural}", TenantIsolationTest::createsInAcmeOrNamingAcmesObjects),
            Map.entry("GET /api/v1/tenants/{tenant}/{plural}/{name}", c -> onEachAcmeObject(c, "GET", "")),
            Map.entry("PUT /api/v1/tenants/{tenant}/{plural}/{name}", c -> onEachAcmeObject(c, "PUT", "")),
            Map.entry("PATCH /api/v1/tenants/{tenant}/{plural}/{name}", c -> onEachAcmeObject(c, "PATCH", "")),
            Map.entry("DELETE /api/v1/tenants/{tenant}/{plural}/{name}", c -> onEachAcmeObject(c, "DELETE", "")),
            Map.entry("PUT /api/v1/tenants/{tenant}/{plural}/{name}/status", c -> onEachAcmeObject(c, "PUT", "/status")),
            Map.entry("GET /api/v1/tenants/{tenant}/workloads/{name}/manifests", c -> onAcmeObject(c, "Workload", "GET", "/manifests")),
            Map.entry("GET /api/v1/tenants/{tenant}/environments/{name}/manifests", c -> onAcmeObject(c, "Environment", "GET", "/manifests")),
            Map.entry("GET /api/v1/tenants/{tenant}/environments/{name}/upgrade-plan",
                    c -> onAcmeObject(c, "Environment", "GET", "/upgrade-plan?to=llm@1.1.0")),
            Map.entry("GET /api/v1/tenants/{tenant}/environments/{name}/sbom", c -> onAcmeObject(c, "Environment", "GET", "/sbom")),
            Map.entry("GET /api/v1/tenants/{tenant}/environments/{name}/remediation", c -> onAcmeObject(c, "Environment", "GET", "/remediation")),
            Map.entry("GET /api/v1/{plural}", TenantIsolationTest::listsAndWatchesAcrossTenants),
            Map.entry("POST /api/v1/{plural}", TenantIsolationTest::createsByTheBodysTenant),
            Map.entry("GET /api/v1/{plural}/{name}", c -> onAcmeByPlatformPath(c, "GET", "")),
            Map.entry("PUT /api/v1/{plural}/{name}", c -> onAcmeByPlatformPath(c, "PUT", "")),
            Map.entry("PATCH /api/v1/{plural}/{name}", c -> onAcmeByPlatformPath(c, "PATCH", "")),
            Map.entry("DELETE /api/v1/{plural}/{name}", c -> onAcmeByPlatformPath(c, "DELETE", "")),
            Map.entry("PUT /api/v1/{plural}/{name}/status", c -> onAcmeByPlatformPath(c, "PUT", "/status")));

    /** acme's platform-scoped objects that only its members see: its Tenant, and its tenant admin's User. */
    private static final Map<String, String> PRIVATE_PLATFORM_OBJECTS = Map.of("Tenant", ACME, "User", ACME_ADMIN);

    /** A merge patch that would hand an object to globex. */
    private static final String TAKEOVER_PATCH = "{\"metadata\":{\"labels\":{\"team\":\"g\"}},\"spec\":{\"description\":\"globex's now\"}}";

    private static IsolationWorld world;

    @BeforeAll
    static void start() {
        world = IsolationWorld.start("isolation");
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

    @Test
    void everyRegisteredRouteHasAnIsolationCase() {
        Set<String> covered = new TreeSet<>(ROUTES.keySet());
        covered.addAll(TenantIsolationViewsTest.ROUTES.keySet());
        Set<String> registered = world.server().server().routes();
        Set<String> missing = new TreeSet<>(registered);
        missing.removeAll(covered);
        assertThat(missing).as("routes without a tenant isolation case: add one line to ROUTES in TenantIsolationTest (resources) "
                + "or TenantIsolationViewsTest (views, tokens, audit, events)").isEmpty();
        Set<String> stale = new TreeSet<>(covered);
        stale.removeAll(registered);
        assertThat(stale).as("isolation cases for routes the server no longer registers").isEmpty();
        for (KindDefinition k : tenantKinds()) {
            assertThat(world.server().admin("GET", objectPath(ACME, k.kind(), name(ACME, k.kind())), null).statusCode())
                    .as("acme has a %s to try the routes on (IsolationWorld seeds one of every tenant-scoped kind)", k.kind()).isEqualTo(200);
        }
    }

    // ---- one object

    private static String objectPath(String tenant, String kind, String name) {
        return "/api/v1/tenants/" + tenant + "/" + plural(kind) + "/" + name;
    }

    private static void onEachAcmeObject(Caller c, String method, String suffix) {
        for (KindDefinition k : tenantKinds()) onAcmeObject(c, k.kind(), method, suffix);
    }

    /**
     * A request on acme's object answers 404, exactly as one on a name acme does not have, and as one in a
     * tenant that does not exist.
     */
    private static void onAcmeObject(Caller c, String kind, String method, String suffix) {
        String real = name(ACME, kind);
        String body = bodyFor(method, suffix, kind);
        Answer hidden = world.send(c, method, objectPath(ACME, kind, real) + suffix, body);
        Answer missing = world.send(c, method, objectPath(ACME, kind, NO_SUCH_NAME) + suffix, renamed(body, real, NO_SUCH_NAME));
        Answer noTenant = world.send(c, method, objectPath(NO_SUCH_TENANT, kind, NO_SUCH_NAME) + suffix,
                renamed(renamed(body, real, NO_SUCH_NAME), ACME, NO_SUCH_TENANT));
        String what = method + " acme's " + kind + suffix + " as " + c;
        assertThat(hidden.status()).as("%s: %s", what, hidden).isEqualTo(404);
        assertLikeMissing(what, hidden, missing, real, NO_SUCH_NAME);
        assertLikeMissing(what + ", against a tenant that does not exist", hidden, noTenant, real, NO_SUCH_NAME, ACME, NO_SUCH_TENANT);
    }

    /** What a write sends: acme's object as it is, handed to globex (and its tenant admin made a member). */
    private static String bodyFor(String method, String suffix, String kind) {
        if (method.equals("PATCH")) return TAKEOVER_PATCH;
        if (!method.equals("PUT") && !method.equals("POST")) return null;
        String path = kind.equals("Tenant") ? "/api/v1/tenants/acme" : kind.equals("User") ? "/api/v1/users/" + ACME_ADMIN
                : objectPath(ACME, kind, name(ACME, kind));
        ObjectNode object = (ObjectNode) world.admin(path);
        ObjectNode meta = (ObjectNode) object.get("metadata");
        meta.remove(List.of("uid", "generation", "creationTimestamp"));
        if (method.equals("POST")) meta.remove("resourceVersion");
        object.remove("status");
        meta.putObject("labels").put("team", "g");
        if (object.path("spec").has("members")) ((ArrayNode) object.get("spec").get("members")).addObject().put("user", "gil").put("role", "tenant-admin");
        if (kind.equals("User")) ((ObjectNode) object.get("spec")).put("platformAdmin", true);
        if (suffix.equals("/status")) object.putObject("status").put("phase", "Hijacked");
        return Json.string(object);
    }

    private static String renamed(String body, String from, String to) {
        return body == null ? null : body.replace(from, to);
    }

    /**
     * The platform paths: acme's Tenant and its tenant admin's User (private to their members and their user) are
     * answered like missing ones, and acme's tenant-scoped objects, which these paths refuse, like missing names.
     */
    private static void onAcmeByPlatformPath(Caller c, String method, String suffix) {
        Map<String, String> acme = new TreeMap<>(PRIVATE_PLATFORM_OBJECTS);
        tenantKinds().forEach(k -> acme.put(k.kind(), name(ACME, k.kind())));
        acme.forEach((kind, real) -> {
            String body = bodyFor(method, suffix, kind);
            Answer hidden = world.send(c, method, "/api/v1/" + plural(kind) + "/" + real + suffix, body);
            Answer missing = world.send(c, method, "/api/v1/" + plural(kind) + "/" + NO_SUCH_NAME + suffix, renamed(body, real, NO_SUCH_NAME));
            String what = method + " /api/v1/" + plural(kind) + "/" + real + suffix + " as " + c;
            assertThat(hidden.status()).as("%s: %s", what, hidden).isEqualTo(404);
            assertLikeMissing(what, hidden, missing, real, NO_SUCH_NAME);
        });
    }

    // ---- creating

    /**
     * Creating in acme, even under a name acme uses, answers like creating in a tenant that does not exist; and
     * what globex creates cannot tell from the answer whether it names an acme object.
     */
    private static void createsInAcmeOrNamingAcmesObjects(Caller c) {
        for (KindDefinition k : tenantKinds()) {
            String real = name(ACME, k.kind());
            String body = bodyFor("POST", "", k.kind());
            String path = "/api/v1/tenants/acme/" + k.plural();
            Answer taken = world.send(c, "POST", path, body);
            Answer free = world.send(c, "POST", path, renamed(body, real, NO_SUCH_NAME));
            Answer noTenant = world.send(c, "POST", "/api/v1/tenants/nowhere/" + k.plural(), renamed(renamed(body, real, NO_SUCH_NAME), ACME, NO_SUCH_TENANT));
            String what = "POST a " + k.kind() + " into acme as " + c;
            assertThat(taken.status()).as("%s: %s", what, taken).isEqualTo(404);
            assertLikeMissing(what + ", under a name acme uses", taken, free, real, NO_SUCH_NAME);
            assertLikeMissing(what + ", against a tenant that does not exist", taken, noTenant, real, NO_SUCH_NAME, ACME, NO_SUCH_TENANT);
        }
        String template = "\"template\":{\"name\":\"llm\",\"version\":\"1.1.0\"}";
        namingAcme(c, "Workload", "{\"environment\":\"%s\",\"app\":\"vllm-inference\",\"parameters\":{\"model\":\"m\"}}", "Environment");
        namingAcme(c, "UpgradePlan", "{\"environment\":\"%s\"," + template + "}", "Environment");
        namingAcme(c, "Rollout", "{\"environment\":\"%s\"," + template + ",\"paused\":true}", "Environment");
        namingAcme(c, "Rollout", "{\"environment\":\"g-prod\"," + template + ",\"plan\":\"%s\",\"paused\":true}", "UpgradePlan");
        namingAcme(c, "Queue", "{\"parent\":\"%s\",\"gpus\":{}}", "Queue");
        // a pool is the platform's: that another tenant's environment holds it is said, but not whose
        Answer pool = world.send(c, "POST", "/api/v1/tenants/globex/environments", IsolationWorld.body("Environment", "g-probe", "g",
                "{\"stage\":\"dev\",\"template\":{\"name\":\"llm\",\"version\":\"1.0.0\"},\"nodePools\":[\"p1\"]}"));
        assertThat(pool.status()).as("an environment on acme's pool: %s", pool).isGreaterThanOrEqualTo(400);
        assertNothingOfAcme("an environment on acme's pool", pool.body());
    }

    /** A globex object whose spec names acme's object of {@code referenced}: answered as when it names nothing. */
    private static void namingAcme(Caller c, String kind, String spec, String referenced) {
        String real = name(ACME, referenced);
        String path = "/api/v1/tenants/globex/" + plural(kind);
        Answer naming = world.send(c, "POST", path, IsolationWorld.body(kind, "g-probe", "g", spec.formatted(real)));
        Answer nothing = world.send(c, "POST", path, IsolationWorld.body(kind, "g-probe", "g", spec.formatted(NO_SUCH_NAME)));
        String what = "a globex " + kind + " naming acme's " + referenced + " as " + c;
        assertThat(naming.status()).as("%s: %s", what, naming).isGreaterThanOrEqualTo(400);
        assertLikeMissing(what, naming, nothing, real, NO_SUCH_NAME);
    }

    /** {@code POST /api/v1/{plural}} takes the tenant from the body: acme there is answered like a tenant that does not exist. */
    private static void createsByTheBodysTenant(Caller c) {
        for (KindDefinition k : tenantKinds()) {
            String body = bodyFor("POST", "", k.kind());
            Answer hidden = world.send(c, "POST", "/api/v1/" + k.plural(), body);
            Answer noTenant = world.send(c, "POST", "/api/v1/" + k.plural(), renamed(body, ACME, NO_SUCH_TENANT));
            String what = "POST /api/v1/" + k.plural() + " naming tenant acme as " + c;
            assertThat(hidden.status()).as("%s: %s", what, hidden).isEqualTo(404);
            assertLikeMissing(what, hidden, noTenant, ACME, NO_SUCH_TENANT);
        }
        PRIVATE_PLATFORM_OBJECTS.forEach((kind, real) -> {
            String body = bodyFor("POST", "", kind);
            Answer taken = world.send(c, "POST", "/api/v1/" + plural(kind), body);
            Answer free = world.send(c, "POST", "/api/v1/" + plural(kind), renamed(body, real, NO_SUCH_NAME));
            String what = "POST a " + kind + " named like acme's as " + c;
            assertThat(taken.status()).as("%s: %s", what, taken).isEqualTo(404);
            assertLikeMissing(what, taken, free, real, NO_SUCH_NAME);
        });
    }

    // ---- lists and watches

    /** A continue token as the server writes them, positioned before {@code tenant}'s objects. */
    private static String cursor(String tenant) {
        String json = "{\"t\":\"" + tenant + "\",\"n\":\"\",\"r\":0}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Ways to ask a list for acme's objects: selectors naming acme's label and environment, a ?tenant=, paging, a forged cursor. */
    private static List<String> probingQueries() {
        return List.of("", "?labelSelector=" + enc("team=" + MARK), "?fieldSelector=" + enc("spec.environment=" + name(ACME, "Environment")),
                "?tenant=acme", "?limit=1", "?continue=" + cursor(ACME), "?continue=" + cursor(""));
    }

    /**
     * acme's lists and watches answer like those of a tenant that does not exist, whatever the query; globex's
     * own, queried the same ways, show globex's objects and nothing of acme.
     */
    private static void listsAndWatchesOfATenant(Caller c) {
        for (KindDefinition k : tenantKinds()) {
            for (String q : probingQueries()) {
                Answer hidden = world.send(c, "GET", "/api/v1/tenants/acme/" + k.plural() + q, null);
                Answer noTenant = world.send(c, "GET", "/api/v1/tenants/nowhere/" + k.plural() + q, null);
                assertThat(hidden.status()).as("list acme's %s%s as %s: %s", k.plural(), q, c, hidden).isEqualTo(404);
                assertLikeMissing("list acme's " + k.plural() + q + " as " + c, hidden, noTenant, ACME, NO_SUCH_TENANT);
                assertNothingOfAcme("list globex's " + k.plural() + q + " as " + c, world.send(c, "GET", "/api/v1/tenants/globex/" + k.plural() + q, null).body());
            }
            Answer hidden = world.watch(c, "/api/v1/tenants/acme/" + k.plural() + "?watch=true");
            assertThat(hidden.status()).as("watch acme's %s as %s: %s", k.plural(), c, hidden).isEqualTo(404);
            assertLikeMissing("watch acme's " + k.plural() + " as " + c, hidden,
                    world.watch(c, "/api/v1/tenants/nowhere/" + k.plural() + "?watch=true"), ACME, NO_SUCH_TENANT);
            Answer own = world.watch(c, "/api/v1/tenants/globex/" + k.plural() + "?watch=true");
            assertNothingOfAcme("watch globex's " + k.plural() + " as " + c, own.body());
            assertNothingOfAcme("pages of globex's " + k.plural() + " as " + c, pages(c, "/api/v1/tenants/globex/" + k.plural()));
            if (c != Caller.NO_TENANT) {
                assertThat(own.body()).as("globex's own %s are watched", k.plural()).contains(name(GLOBEX, k.kind()));
                assertThat(world.send(c, "GET", "/api/v1/tenants/globex/" + k.plural(), null).body()).contains(name(GLOBEX, k.kind()));
            }
        }
    }

    /** Lists and watches of every kind across tenants, queried every way, show nothing of acme. */
    private static void listsAndWatchesAcrossTenants(Caller c) {
        for (KindDefinition k : Kinds.registry().all()) {
            String path = "/api/v1/" + k.plural();
            for (String q : probingQueries()) {
                Answer list = world.send(c, "GET", path + q, null);
                assertThat(list.status()).as("list %s%s as %s: %s", path, q, c, list).isEqualTo(200);
                assertNothingOfAcme("list " + path + q + " as " + c, list.body());
            }
            Answer watch = world.watch(c, path + "?watch=true");
            assertThat(watch.status()).as("watch %s as %s", path, c).isEqualTo(200);
            assertNothingOfAcme("watch " + path + " as " + c, watch.body());
            assertNothingOfAcme("pages of " + path + " as " + c, pages(c, path));
            if (k.tenantScoped() && c != Caller.NO_TENANT) {
                assertThat(watch.body()).as("globex's own %s are watched across tenants", k.plural()).contains(name(GLOBEX, k.kind()));
            }
        }
    }

    /** Every page of a list, one object a page, following the continue tokens. */
    private static String pages(Caller c, String path) {
        StringBuilder all = new StringBuilder();
        String token = null;
        for (int page = 0; page < 50; page++) {
            Answer a = world.send(c, "GET", path + "?limit=1" + (token == null ? "" : "&continue=" + enc(token)), null);
            all.append(a.body());
            if (a.status() != 200) return all.toString();
            JsonNode next = Json.tree(a.body()).at("/metadata/continue");
            if (next.isMissingNode()) return all.toString();
            token = next.asText();
        }
        throw new AssertionError("more than 50 pages of " + path);
    }
}
