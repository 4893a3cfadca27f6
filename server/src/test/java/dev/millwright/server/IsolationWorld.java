package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.kinds.Kinds;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The world of the tenant isolation review (issue 7): one server, two tenants with an object of every
 * tenant-scoped kind each (acme's environment exposed to a vulnerability, a workload placed in it, a saved
 * upgrade plan, a paused rollout), and the callers who must learn nothing of acme: globex's tenant admin,
 * practitioner, viewer and service account, and a user in no tenant.
 *
 * <p>acme's objects are named {@code hush-…} and labelled {@code team=hush}, so a leak shows up as a word in a
 * response: nothing a globex caller reads may contain "acme" or "hush", apart from what the request itself named.
 */
final class IsolationWorld implements AutoCloseable {
    /** The callers of the review. */
    enum Caller {
        GLOBEX_TENANT_ADMIN, GLOBEX_PRACTITIONER, GLOBEX_VIEWER, GLOBEX_SERVICE_ACCOUNT, NO_TENANT
    }

    /** One answer: status, content type and body; for a watch that started, the events up to its first BOOKMARK. */
    record Answer(int status, String contentType, String body) {
        Answer renamed(String from, String to) {
            return new Answer(status, contentType, body.replace(from, to));
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    static final String ACME = "acme";
    static final String GLOBEX = "globex";
    /** The word in every acme object's name, and its label value. */
    static final String MARK = "hush";
    /** acme's tenant admin, a user only acme knows of. */
    static final String ACME_ADMIN = MARK + "-admin";
    /** A tenant that does not exist, and a name no object has: what hidden objects must be answered like. */
    static final String NO_SUCH_TENANT = "nowhere";
    static final String NO_SUCH_NAME = "nope";

    /** The name suffix of each tenant's object of each tenant-scoped kind: acme's is "hush-prod", globex's "g-prod". */
    private static final Map<String, String> SUFFIX = Map.of("Project", "project", "ServiceAccount", "ci", "Environment", "prod",
            "Workload", "chat", "Queue", "queue", "UpgradePlan", "plan", "Rollout", "rollout", "Secret", "token");

    private final TestServer server;
    private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
    private String acmeToken;
    private String acmeTokenId;

    private IsolationWorld(TestServer server) {
        this.server = server;
    }

    /** Starts a server and seeds both tenants; returns once the controllers have settled. */
    static IsolationWorld start(String hint) {
        IsolationWorld w = new IsolationWorld(TwinWorld.start(hint));
        try {
            w.seed();
        } catch (RuntimeException | Error e) {
            w.close();
            throw e;
        }
        return w;
    }

    TestServer server() {
        return server;
    }

    /** The name of {@code tenant}'s object of a tenant-scoped kind. */
    static String name(String tenant, String kind) {
        String suffix = SUFFIX.get(kind);
        if (suffix == null) throw new AssertionError("IsolationWorld seeds no " + kind + ": give it one in SUFFIX and seed()");
        return (tenant.equals(ACME) ? MARK : "g") + "-" + suffix;
    }

    /** Every tenant-scoped kind the server serves. */
    static List<KindDefinition> tenantKinds() {
        return Kinds.registry().all().stream().filter(KindDefinition::tenantScoped).toList();
    }

    static String plural(String kind) {
        return Kinds.registry().require(kind).plural();
    }

    String token(Caller c) {
        return tokens.get(c);
    }

    /** acme's service account's token and its id: what globex callers try to revoke. */
    String acmeToken() {
        return acmeToken;
    }

    String acmeTokenId() {
        return acmeTokenId;
    }

    // ---- requests

    Answer send(Caller c, String method, String path, String body) {
        return send(token(c), method, path, body);
    }

    Answer send(String token, String method, String path, String body) {
        HttpResponse<String> r = server.call(method, path, token, body, method.equals("PATCH") ? ApiFixtures.MERGE_PATCH : ApiFixtures.JSON);
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    /** A watch: the refusal, or every event up to the first BOOKMARK (the objects it starts with). */
    Answer watch(Caller c, String path) {
        try (SseStream s = SseStream.open(server, path, token(c))) {
            if (s.status() != 200) return new Answer(s.status(), s.contentType(), s.errorBody());
            StringBuilder events = new StringBuilder();
            for (SseStream.Event e : s.until(e -> e.type().equals("BOOKMARK"), Duration.ofSeconds(10))) {
                if (!e.type().equals("BOOKMARK")) events.append(e.type()).append(' ').append(e.data()).append('\n');
            }
            return new Answer(200, s.contentType(), events.toString());
        }
    }

    JsonNode admin(String path) {
        return expect(server.admin("GET", path, null), 200);
    }

    /** Every route of a case table, as every caller: the parameters of both isolation tests. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases(java.util.Set<String> routes) {
        return new java.util.TreeSet<>(routes).stream()
                .flatMap(r -> java.util.stream.Stream.of(Caller.values()).map(c -> org.junit.jupiter.params.provider.Arguments.of(r, c)));
    }

    /** Runs one route's case as one caller, and checks that none of acme's objects changed. */
    void checkUnchanged(String route, Caller caller, java.util.function.Consumer<Caller> probe) {
        Map<String, String> before = acmeVersions();
        probe.accept(caller);
        org.assertj.core.api.Assertions.assertThat(acmeVersions()).as("acme's resourceVersions after %s as %s", route, caller).isEqualTo(before);
    }

    /** The resourceVersion of every acme object (its Tenant and tenant admin too), read by the platform admin. */
    Map<String, String> acmeVersions() {
        Map<String, String> out = new TreeMap<>();
        for (KindDefinition k : tenantKinds()) {
            for (JsonNode item : admin("/api/v1/tenants/acme/" + k.plural()).path("items")) {
                out.put(k.kind() + " " + item.at("/metadata/name").asText(), item.at("/metadata/resourceVersion").asText());
            }
        }
        out.put("Tenant acme", admin("/api/v1/tenants/acme").at("/metadata/resourceVersion").asText());
        out.put("User " + ACME_ADMIN, admin("/api/v1/users/" + ACME_ADMIN).at("/metadata/resourceVersion").asText());
        return out;
    }

    /** Fails when {@code text} names acme or one of its objects. */
    static void assertNothingOfAcme(String what, String text) {
        assertThat(text).as("%s shows nothing of acme", what).doesNotContain(ACME).doesNotContain(MARK);
    }

    /**
     * Asserts that {@code hidden}, the answer about something of acme's, is exactly {@code missing}, the answer
     * about something that does not exist, once acme's names in it are replaced by the missing one's ({@code from,
     * to} pairs): the same status, content type and body, so that nothing tells the two apart. A refusal has the
     * one error shape.
     */
    static void assertLikeMissing(String what, Answer hidden, Answer missing, String... renames) {
        Answer renamed = hidden;
        for (int i = 0; i < renames.length; i += 2) renamed = renamed.renamed(renames[i], renames[i + 1]);
        assertThat(renamed).as("%s: acme's answer (%s) against a missing one's", what, hidden).isEqualTo(missing);
        if (hidden.status() >= 400) {
            assertThat(hidden.contentType()).as("%s: %s", what, hidden).startsWith("application/json");
            List<String> fields = new java.util.ArrayList<>();
            Json.tree(hidden.body()).fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as("%s: the error shape of %s", what, hidden).containsExactlyInAnyOrder("status", "title", "message", "details");
        }
    }

    // ---- seeding

    private void seed() {
        for (String u : List.of(ACME_ADMIN, "gil", "gwen", "gus", "nemo")) create(server, "/api/v1/users", ApiFixtures.user(u));
        create(server, "/api/v1/tenants", labelled(ApiFixtures.tenant(ACME, ACME_ADMIN, "tenant-admin"), MARK));
        create(server, "/api/v1/tenants", labelled(ApiFixtures.tenant(GLOBEX, "gil", "tenant-admin", "gwen", "practitioner", "gus", "viewer"), "g"));
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        for (String m : List.of("m1", "m2")) create(server, "/api/v1/machines", machine(m, "muc", "twin://hgx-h100/" + m, 8));
        create(server, "/api/v1/clusters", cluster("c1", "muc", null));
        create(server, "/api/v1/nodepools", pool("p1", "c1", "m1"));
        create(server, "/api/v1/nodepools", pool("p2", "c1", "m2"));
        TwinWorld.publishLlmTemplateAndApps(server);
        create(server, "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"llm-1-1-0"},"spec":{"template":"llm","version":"1.1.0","layers":[
                  {"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"12.9.1"},{"pack":"kubernetes","version":"1.33"},
                  {"pack":"gpu-operator","version":"25.10.1"},{"pack":"vllm","version":"0.9.2"},{"pack":"kubeflow-trainer","version":"2.1.0"}]}}""");
        create(server, "/api/v1/advisories", """
                {"kind":"Advisory","metadata":{"name":"ghsa-test-0001"},"spec":{"id":"GHSA-test-0001","aliases":["CVE-2099-0001"],
                 "summary":"a test hole in vLLM before 1.0","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"PyPI","name":"vllm"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}}""");

        seedTenant(ACME, "p1", false);
        seedTenant(GLOBEX, "p2", false);
        awaitReady(ACME);
        awaitReady(GLOBEX);
        seedTenant(ACME, "p1", true);
        seedTenant(GLOBEX, "p2", true);
        tokens.put(Caller.GLOBEX_TENANT_ADMIN, ApiFixtures.token(server, "gil"));
        tokens.put(Caller.GLOBEX_PRACTITIONER, ApiFixtures.token(server, "gwen"));
        tokens.put(Caller.GLOBEX_VIEWER, ApiFixtures.token(server, "gus"));
        tokens.put(Caller.GLOBEX_SERVICE_ACCOUNT, ApiFixtures.serviceAccountToken(server, GLOBEX, name(GLOBEX, "ServiceAccount")));
        tokens.put(Caller.NO_TENANT, ApiFixtures.token(server, "nemo"));
        JsonNode issued = expect(server.admin("POST", "/api/v1/tokens", Json.string(Json.object()
                .put("serviceAccount", name(ACME, "ServiceAccount")).put("tenant", ACME).put("description", "hush ci"))), 201);
        acmeToken = issued.get("token").asText();
        acmeTokenId = issued.get("id").asText();
        settle();
    }

    /** Seeds a tenant's objects; a rollout needs its environment's nodes ready, so it comes in a second round. */
    private void seedTenant(String tenant, String pool, boolean rollout) {
        String env = name(tenant, "Environment");
        Map<String, String> specs = new LinkedHashMap<>();
        if (rollout) {
            specs.put("Rollout", "{\"environment\":\"" + env + "\",\"template\":{\"name\":\"llm\",\"version\":\"1.1.0\"},\"plan\":\""
                    + name(tenant, "UpgradePlan") + "\",\"paused\":true}");
        } else {
            specs.put("Project", "{\"description\":\"the " + tenant + " team\"}");
            specs.put("ServiceAccount", "{\"role\":\"tenant-admin\"}");
            specs.put("Environment", "{\"stage\":\"prod\",\"template\":{\"name\":\"llm\",\"version\":\"1.0.0\"},\"nodePools\":[\"" + pool + "\"]}");
            specs.put("Queue", "{\"gpus\":{\"H100 80GB\":{\"guaranteed\":8}}}");
            specs.put("Workload", "{\"environment\":\"" + env + "\",\"app\":\"vllm-inference\",\"replicas\":1,\"gpusPerReplica\":1,"
                    + "\"parameters\":{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\"}}");
            specs.put("UpgradePlan", "{\"environment\":\"" + env + "\",\"template\":{\"name\":\"llm\",\"version\":\"1.1.0\"}}");
            specs.put("Secret", "{\"data\":{\"hf-token\":\"" + tenant + "-model-hub-token\"}}");
        }
        specs.forEach((kind, spec) -> create(server, "/api/v1/tenants/" + tenant + "/" + plural(kind),
                body(kind, name(tenant, kind), tenant.equals(ACME) ? MARK : "g", spec)));
    }

    /** A rollout needs nodes with their GPUs known: the machines report them, and take the stack, as the twin moves on. */
    private void awaitReady(String tenant) {
        TwinWorld.awaitAdvancing(server, () -> admin("/api/v1/tenants/" + tenant + "/environments/" + name(tenant, "Environment")).path("status"),
                s -> s.path("phase").asText().equals("Ready"), Duration.ofMinutes(2), tenant + "'s environment ready");
    }

    static String body(String kind, String name, String team, String spec) {
        return "{\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"team\":\"" + team + "\"}},\"spec\":" + spec + "}";
    }

    private static String labelled(String resource, String team) {
        var n = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(resource);
        n.with("metadata").putObject("labels").put("team", team);
        return Json.string(n);
    }

    /** Waits until acme's environment shows its finding and the controllers are done. */
    private void settle() {
        ApiFixtures.await(() -> admin("/api/v1/tenants/acme/environments/" + name(ACME, "Environment")).path("status"),
                s -> s.path("vulnerabilities").path("findings").size() == 1, Duration.ofSeconds(15), "acme's finding");
        awaitQuiet();
    }

    /** Waits until none of acme's objects has changed for a second: the review compares their versions around each request. */
    void awaitQuiet() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, String> last = acmeVersions();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(1).toNanos()) {
            if (System.nanoTime() > deadline) throw new AssertionError("acme's objects kept changing: " + last);
            ApiFixtures.sleep(100);
            Map<String, String> now = acmeVersions();
            if (!now.equals(last)) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
