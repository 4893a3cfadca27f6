package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log through the API: each mutation leaves a record naming who did what to which object, with a
 * digest of what was written; queries filter by tenant, actor, kind and time; the hash chain verifies, and
 * an edit made behind the API's back is found. Tenant admins read their own tenant's records only.
 */
class AuditTest {
    private static TestServer server;
    private static String tia;
    private static String pat;
    private static String gus;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (String u : List.of("tia", "pat", "gus")) create(server, "/api/v1/users", ApiFixtures.user(u));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "tia", "tenant-admin", "pat", "practitioner"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("globex", "gus", "tenant-admin"));
        tia = ApiFixtures.token(server, "tia");
        pat = ApiFixtures.token(server, "pat");
        gus = ApiFixtures.token(server, "gus");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static JsonNode audit(String query) {
        return expect(server.admin("GET", "/api/v1/audit?limit=5000" + query, null), 200).get("items");
    }

    /** The records of one object, oldest first. */
    private static List<JsonNode> of(JsonNode records, String kind, String name) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : records) {
            if (r.path("kind").asText().equals(kind) && r.path("name").asText().equals(name)) out.add(0, r);
        }
        return out;
    }

    /** The create records of one object: controllers add status updates of their own. */
    private static List<JsonNode> created(JsonNode records, String kind, String name) {
        return of(records, kind, name).stream().filter(r -> r.get("verb").asText().equals("create")).toList();
    }

    /** What the store digests: everything a writer chose (name, tenant, labels, annotations, spec, status). */
    private static String digest(JsonNode object) {
        ObjectNode content = Json.object();
        content.put("kind", object.get("kind").asText());
        ObjectNode meta = content.putObject("metadata");
        meta.put("name", object.at("/metadata/name").asText());
        meta.put("tenant", object.at("/metadata/tenant").asText(""));
        meta.set("labels", object.at("/metadata/labels").isMissingNode() ? Json.object() : object.at("/metadata/labels"));
        meta.set("annotations", object.at("/metadata/annotations").isMissingNode() ? Json.object() : object.at("/metadata/annotations"));
        content.set("spec", object.get("spec"));
        content.set("status", object.get("status"));
        return Json.digest(content);
    }

    @Test
    void everyMutationIsAuditedWithActorVerbObjectOutcomeAndDigest() {
        String base = "/api/v1/tenants/acme/projects";
        JsonNode created = expect(server.call("POST", base, tia, ApiFixtures.project("audited", "first", "tier", "gold")), 201);
        ObjectNode stale = created.deepCopy();
        stale.with("spec").put("description", "second");
        stale.remove("status");
        ObjectNode unconditional = stale.deepCopy(); // the controller may write the status meanwhile
        unconditional.with("metadata").remove("resourceVersion");
        JsonNode replaced = expect(server.call("PUT", base + "/audited", tia, Json.string(unconditional)), 200);
        JsonNode patched = expect(server.call("PATCH", base + "/audited", tia, "{\"spec\":{\"description\":\"third\"}}", MERGE_PATCH), 200);
        assertError(server.call("PUT", base + "/audited", tia, Json.string(stale)), 409);
        assertError(server.call("DELETE", base + "/audited", pat, null), 403);
        expect(server.call("DELETE", base + "/audited", tia, null), 200);

        List<JsonNode> byTia = of(audit("&actor=user:tia&kind=Project"), "Project", "audited");
        assertThat(byTia).extracting(r -> r.get("verb").asText() + " " + r.get("outcome").asInt())
                .containsExactly("create 201", "update 200", "patch 200", "update 409", "delete 200");
        for (JsonNode r : byTia) {
            assertThat(r.get("actor").asText()).isEqualTo("user:tia");
            assertThat(r.get("tenant").asText()).isEqualTo("acme");
            assertThat(r.get("at").asText()).isNotBlank();
            assertThat(r.get("hash").asText()).hasSize(64);
        }
        assertThat(byTia.get(0).get("digest").asText()).isEqualTo(digest(created));
        assertThat(byTia.get(1).get("digest").asText()).isEqualTo(digest(replaced));
        assertThat(byTia.get(2).get("digest").asText()).isEqualTo(digest(patched));
        assertThat(byTia.get(1).get("digest").asText()).isNotEqualTo(byTia.get(0).get("digest").asText());
        assertThat(byTia.get(3).has("digest")).as("a refused write wrote nothing to digest").isFalse();
        assertThat(byTia.get(3).get("reason").asText()).contains("has been modified");

        List<JsonNode> byPat = of(audit("&actor=user:pat"), "Project", "audited");
        assertThat(byPat).extracting(r -> r.get("verb").asText() + " " + r.get("outcome").asInt()).containsExactly("delete 403");
        assertThat(byPat.get(0).get("reason").asText()).contains("user:pat may not delete projects");

        // platform-scoped objects, status writes and tokens are audited too
        create(server, "/api/v1/users", ApiFixtures.user("temp"));
        expect(server.admin("PUT", "/api/v1/users/temp/status", "{\"kind\":\"User\",\"metadata\":{\"name\":\"temp\"},\"status\":{\"seen\":true}}"), 200);
        expect(server.admin("DELETE", "/api/v1/users/temp", null), 200);
        assertThat(of(audit("&kind=User"), "User", "temp")).extracting(r -> r.get("verb").asText() + (r.has("tenant") ? " in a tenant" : ""))
                .containsExactly("create", "update-status", "delete");
        JsonNode token = expect(server.call("POST", "/api/v1/tokens", tia, "{\"user\":\"tia\",\"description\":\"audited\"}"), 201);
        assertThat(of(audit("&kind=Token"), "Token", token.get("id").asText()))
                .extracting(r -> r.get("actor").asText() + " " + r.get("verb").asText() + " " + r.get("outcome").asInt())
                .containsExactly("user:tia create 201");
    }

    @Test
    void queriesFilterByTenantActorKindAndTime() {
        Instant t0 = Instant.now();
        ApiFixtures.sleep(20);
        expect(server.call("POST", "/api/v1/tenants/globex/projects", gus, ApiFixtures.project("g-filter", "gus's")), 201);
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("sa-filter", "viewer"));
        ApiFixtures.sleep(20);
        Instant t1 = Instant.now();
        ApiFixtures.sleep(20);
        create(server, "/api/v1/users", ApiFixtures.user("late-filter"));

        JsonNode globex = audit("&tenant=globex");
        assertThat(globex).allMatch(r -> r.get("tenant").asText().equals("globex"));
        assertThat(created(globex, "Project", "g-filter")).hasSize(1);
        JsonNode byGus = audit("&actor=user:gus");
        assertThat(byGus).isNotEmpty().allMatch(r -> r.get("actor").asText().equals("user:gus"));
        JsonNode accounts = audit("&kind=ServiceAccount");
        assertThat(accounts).allMatch(r -> r.get("kind").asText().equals("ServiceAccount"));
        assertThat(of(accounts, "ServiceAccount", "sa-filter")).hasSize(1);

        JsonNode between = audit("&since=" + t0 + "&until=" + t1);
        assertThat(created(between, "Project", "g-filter")).hasSize(1);
        assertThat(of(between, "ServiceAccount", "sa-filter")).hasSize(1);
        assertThat(of(between, "User", "late-filter")).isEmpty();
        for (JsonNode r : between) assertThat(Instant.parse(r.get("at").asText())).isBetween(t0, t1);
        JsonNode after = audit("&since=" + t1);
        assertThat(of(after, "User", "late-filter")).hasSize(1);
        assertThat(created(after, "Project", "g-filter")).isEmpty();

        JsonNode combined = audit("&tenant=acme&kind=ServiceAccount&actor=user:admin&since=" + t0);
        assertThat(combined).extracting(r -> r.get("name").asText() + " " + r.get("verb").asText()).containsExactly("sa-filter create");

        JsonNode newest = expect(server.admin("GET", "/api/v1/audit?limit=2", null), 200).get("items");
        assertThat(newest).hasSize(2);
        long seq = newest.get(1).get("seq").asLong();
        assertThat(newest.get(0).get("seq").asLong()).isGreaterThan(seq);
        JsonNode before = expect(server.admin("GET", "/api/v1/audit?limit=3&before=" + seq, null), 200).get("items");
        assertThat(before).allMatch(r -> r.get("seq").asLong() < seq);
    }

    @Test
    void verificationFindsARecordEditedBehindTheApisBack() {
        JsonNode intact = expect(server.admin("GET", "/api/v1/audit/verify", null), 200);
        assertThat(intact.get("intact").asBoolean()).isTrue();
        assertThat(intact.get("checked").asLong()).isPositive();
        assertThat(intact.get("headHash").asText()).hasSize(64);

        var jdbi = server.server().database().jdbi();
        long victim = jdbi.withHandle(h -> h.createQuery("SELECT min(seq) + 1 FROM audit").mapTo(Long.class).one());
        String actor = jdbi.withHandle(h -> h.createQuery("SELECT actor FROM audit WHERE seq = :s").bind("s", victim).mapTo(String.class).one());
        jdbi.useHandle(h -> h.createUpdate("UPDATE audit SET actor = 'user:mallory' WHERE seq = :s").bind("s", victim).execute());
        try {
            JsonNode broken = expect(server.admin("GET", "/api/v1/audit/verify", null), 200);
            assertThat(broken.get("intact").asBoolean()).isFalse();
            assertThat(broken.get("firstBadSeq").asLong()).isEqualTo(victim);
            assertThat(broken.get("problem").asText()).contains("record " + victim);
        } finally {
            jdbi.useHandle(h -> h.createUpdate("UPDATE audit SET actor = :a WHERE seq = :s").bind("a", actor).bind("s", victim).execute());
        }
        assertThat(expect(server.admin("GET", "/api/v1/audit/verify", null), 200).get("intact").asBoolean()).isTrue();
    }

    @Test
    void aTenantAdminReadsItsOwnTenantsAuditOnly() {
        expect(server.call("POST", "/api/v1/tenants/acme/projects", tia, ApiFixtures.project("tia-own", null)), 201);
        JsonNode own = expect(server.call("GET", "/api/v1/audit?tenant=acme", tia, null), 200).get("items");
        assertThat(own).isNotEmpty().allMatch(r -> r.get("tenant").asText().equals("acme"));
        assertThat(created(own, "Project", "tia-own")).hasSize(1);

        var other = server.call("GET", "/api/v1/audit?tenant=globex", tia, null);
        assertError(other, 404, "Tenant globex not found");
        assertThat(server.call("GET", "/api/v1/audit?tenant=nowhere", tia, null).body()).isEqualTo(other.body().replace("globex", "nowhere"));
        assertError(server.call("GET", "/api/v1/audit", tia, null), 400, "tenant", "only platform admins read the whole audit log");
        assertError(server.call("GET", "/api/v1/audit/verify", tia, null), 403, "platform admins only");
        assertError(server.call("GET", "/api/v1/audit?tenant=acme", pat, null), 403, "only tenant admins");
        assertError(server.call("GET", "/api/v1/audit?tenant=acme", gus, null), 404, "Tenant acme not found");
    }

    @Test
    void aTenantAdminSeesAnotherTenantsServiceAccountOnlyAsAnotherTenant() {
        create(server, "/api/v1/tenants/globex/serviceaccounts", ApiFixtures.serviceAccount("prober", "tenant-admin"));
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("ci", "viewer"));
        String prober = ApiFixtures.serviceAccountToken(server, "globex", "prober");
        String ci = ApiFixtures.serviceAccountToken(server, "acme", "ci");
        assertError(server.call("GET", "/api/v1/tenants/acme/projects/secret", prober, null), 404, "Project acme/secret not found");
        assertError(server.call("POST", "/api/v1/tenants/acme/projects", prober, ApiFixtures.project("planted", null)), 404, "Tenant acme not found");
        assertError(server.call("POST", "/api/v1/tenants/acme/projects", ci, ApiFixtures.project("by-ci", null)), 403, "serviceaccount:acme/ci");

        JsonNode asTia = expect(server.call("GET", "/api/v1/audit?tenant=acme&limit=5000", tia, null), 200).get("items");
        assertThat(of(asTia, "Project", "secret")).extracting(r -> r.get("actor").asText() + " " + r.get("verb").asText() + " " + r.get("outcome").asInt())
                .containsExactly("serviceaccount:(another tenant) get 404");
        assertThat(of(asTia, "Project", "planted")).extracting(r -> r.get("actor").asText() + " " + r.get("verb").asText() + " " + r.get("outcome").asInt())
                .containsExactly("serviceaccount:(another tenant) create 404");
        assertThat(of(asTia, "Project", "by-ci")).extracting(r -> r.get("actor").asText())
                .as("the tenant's own service account is named").containsExactly("serviceaccount:acme/ci");
        for (String name : List.of("secret", "planted")) {
            assertThat(Json.string(of(asTia, "Project", name).get(0))).doesNotContain("globex").doesNotContain("prober");
        }

        JsonNode asAdmin = audit("&tenant=acme");
        assertThat(of(asAdmin, "Project", "secret")).extracting(r -> r.get("actor").asText()).containsExactly("serviceaccount:globex/prober");
        assertThat(of(asAdmin, "Project", "planted")).extracting(r -> r.get("actor").asText()).containsExactly("serviceaccount:globex/prober");
    }

    @Test
    void aTenantAdminCannotFindAnotherTenantsServiceAccountByFilteringOnItsIdentity() {
        create(server, "/api/v1/tenants/globex/serviceaccounts", ApiFixtures.serviceAccount("scout", "viewer"));
        String scout = ApiFixtures.serviceAccountToken(server, "globex", "scout");
        assertError(server.call("GET", "/api/v1/tenants/acme/projects/scouted", scout, null), 404);

        JsonNode guessed = expect(server.call("GET", "/api/v1/audit?tenant=acme&actor=serviceaccount:globex/scout", tia, null), 200).get("items");
        JsonNode wrong = expect(server.call("GET", "/api/v1/audit?tenant=acme&actor=serviceaccount:globex/nobody", tia, null), 200).get("items");
        assertThat(guessed.size()).as("a right guess of the identity answers like a wrong one").isEqualTo(wrong.size());
    }
}
