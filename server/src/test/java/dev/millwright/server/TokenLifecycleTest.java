package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.store.Tokens;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens through the API: a token belongs to one incarnation of its user or service account, so deleting the
 * subject ends it for good, even when one of the same name is created again; issuing and revoking a token each
 * leave exactly one audit record; a tenant admin lists its own tokens and its tenant's service accounts'
 * tokens, however many others exist.
 */
class TokenLifecycleTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (String u : List.of("tia", "ivy", "uma")) create(server, "/api/v1/users", ApiFixtures.user(u));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "tia", "tenant-admin"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("initech", "ivy", "tenant-admin"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("globex"));
        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("bot", "viewer"));
        create(server, "/api/v1/tenants/initech/serviceaccounts", ApiFixtures.serviceAccount("builder", "practitioner"));
        create(server, "/api/v1/tenants/globex/serviceaccounts", ApiFixtures.serviceAccount("other", "viewer"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static int whoamiStatus(String token) {
        return server.call("GET", "/api/v1/whoami", token, null).statusCode();
    }

    /** The audit records of one token, oldest first, as "actor verb outcome tenant". */
    private static List<String> auditOf(String tokenId) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : expect(server.admin("GET", "/api/v1/audit?kind=Token&limit=5000", null), 200).get("items")) {
            if (r.get("name").asText().equals(tokenId)) {
                out.add(0, r.get("actor").asText() + " " + r.get("verb").asText() + " " + r.get("outcome").asInt() + " " + r.path("tenant").asText("-"));
            }
        }
        return out;
    }

    @Test
    void aServiceAccountTokenEndsWithItsServiceAccountAndANamesakeDoesNotRevive() {
        String old = ApiFixtures.serviceAccountToken(server, "acme", "bot");
        assertThat(whoamiStatus(old)).isEqualTo(200);

        expect(server.admin("DELETE", "/api/v1/tenants/acme/serviceaccounts/bot", null), 200);
        assertError(server.call("GET", "/api/v1/whoami", old, null), 401);
        assertError(server.call("GET", "/api/v1/tenants/acme/projects", old, null), 401);

        create(server, "/api/v1/tenants/acme/serviceaccounts", ApiFixtures.serviceAccount("bot", "viewer"));
        assertError(server.call("GET", "/api/v1/whoami", old, null), 401, "ServiceAccount bot");
        assertError(server.call("GET", "/api/v1/tenants/acme/projects", old, null), 401);
        String fresh = ApiFixtures.serviceAccountToken(server, "acme", "bot");
        assertThat(expect(server.call("GET", "/api/v1/whoami", fresh, null), 200).get("identity").asText()).isEqualTo("serviceaccount:acme/bot");
        assertThat(whoamiStatus(old)).as("the old token, after the new one worked").isEqualTo(401);
    }

    @Test
    void aUserTokenEndsWithItsUserAndANamesakeDoesNotRevive() {
        String old = ApiFixtures.token(server, "uma");
        assertThat(whoamiStatus(old)).isEqualTo(200);

        expect(server.admin("DELETE", "/api/v1/users/uma", null), 200);
        assertError(server.call("GET", "/api/v1/whoami", old, null), 401);

        create(server, "/api/v1/users", ApiFixtures.user("uma"));
        assertError(server.call("GET", "/api/v1/whoami", old, null), 401, "User uma");
        String fresh = ApiFixtures.token(server, "uma");
        assertThat(expect(server.call("GET", "/api/v1/whoami", fresh, null), 200).get("identity").asText()).isEqualTo("user:uma");
        assertThat(whoamiStatus(old)).as("the old token, after the new one worked").isEqualTo(401);
    }

    @Test
    void issuingAndRevokingATokenEachLeaveExactlyOneAuditRecord() {
        String tia = ApiFixtures.token(server, "tia");
        JsonNode own = expect(server.call("POST", "/api/v1/tokens", tia, "{\"user\":\"tia\",\"description\":\"laptop\"}"), 201);
        String ownId = own.get("id").asText();
        assertThat(auditOf(ownId)).containsExactly("user:tia create 201 -");

        JsonNode sa = expect(server.call("POST", "/api/v1/tokens", tia, "{\"serviceAccount\":\"bot\",\"tenant\":\"acme\"}"), 201);
        String saId = sa.get("id").asText();
        assertThat(auditOf(saId)).containsExactly("user:tia create 201 acme");

        expect(server.call("DELETE", "/api/v1/tokens/" + saId, tia, null), 200);
        assertThat(auditOf(saId)).containsExactly("user:tia create 201 acme", "user:tia delete 200 acme");
        expect(server.call("DELETE", "/api/v1/tokens/" + ownId, server.adminToken(), null), 200);
        assertThat(auditOf(ownId)).containsExactly("user:tia create 201 -", "user:admin delete 200 -");

        // a token record the tenant admin reads in its tenant's audit
        JsonNode acme = expect(server.call("GET", "/api/v1/audit?tenant=acme&kind=Token", tia, null), 200);
        assertThat(acme.get("items")).extracting(r -> r.get("name").asText() + " " + r.get("verb").asText())
                .contains(saId + " create", saId + " delete").doesNotContain(ownId + " create");
    }

    @Test
    void aTenantAdminListsItsOwnAndItsServiceAccountsTokensEvenAmongMoreThanAThousandOthers() {
        // ivy's tokens are the oldest: a newest-first page of every token would not reach them
        String ivy = ApiFixtures.token(server, "ivy");
        String ivyId = expect(server.call("GET", "/api/v1/whoami", ivy, null), 200).get("tokenId").asText();
        String builderId = expect(server.call("POST", "/api/v1/tokens", ivy, "{\"serviceAccount\":\"builder\",\"tenant\":\"initech\"}"), 201)
                .get("id").asText();
        List<String> others = new ArrayList<>();
        others.add(expect(server.admin("POST", "/api/v1/tokens", "{\"serviceAccount\":\"other\",\"tenant\":\"globex\"}"), 201).get("id").asText());
        others.add(expect(server.admin("POST", "/api/v1/tokens", "{\"user\":\"tia\"}"), 201).get("id").asText());
        Tokens tokens = new Tokens(server.server().database(), Clock.systemUTC());
        for (int i = 0; i < 1010; i++) tokens.issue("User", "", "admin", null, "bulk " + i, null, "user:admin");

        JsonNode listed = expect(server.call("GET", "/api/v1/tokens", ivy, null), 200).get("items");
        List<String> ids = new ArrayList<>();
        listed.forEach(t -> ids.add(t.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder(ivyId, builderId);
        assertThat(ids).doesNotContainAnyElementsOf(others);
        for (JsonNode t : listed) assertThat(Json.string(t)).doesNotContain("globex").doesNotContain("\"subject\":\"admin\"");

        // the platform admin sees them all, up to its page of 1000
        assertThat(expect(server.admin("GET", "/api/v1/tokens", null), 200).get("items").size()).isEqualTo(1000);
    }
}
