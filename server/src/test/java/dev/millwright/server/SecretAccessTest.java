package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.ApiFixtures.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may see and write secrets. A Secret is its tenant's: its admins write it, its members read its names and
 * status, and another tenant's members cannot tell it exists (404, as for a missing one). A PlatformSecret is
 * for platform admins alone.
 */
class SecretAccessTest {
    private static final String ACME = "/api/v1/tenants/acme/secrets";
    private static final String HUB = ACME + "/hub";
    private static final String BODY = "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"hub\"},\"spec\":{\"data\":{\"token\":\"t2\"}}}";
    private static TestServer server;
    private static String alice;
    private static String pat;
    private static String vic;
    private static String gus;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (String u : List.of("alice", "pat", "vic", "gus")) create(server, "/api/v1/users", ApiFixtures.user(u));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "alice", "tenant-admin", "pat", "practitioner", "vic", "viewer"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("globex", "gus", "tenant-admin"));
        alice = ApiFixtures.token(server, "alice");
        pat = ApiFixtures.token(server, "pat");
        vic = ApiFixtures.token(server, "vic");
        gus = ApiFixtures.token(server, "gus");
        expect(server.call("POST", ACME, alice, "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"hub\"},\"spec\":{\"data\":{\"token\":\"t1\"}}}"), 201);
        expect(server.call("POST", "/api/v1/tenants/globex/secrets", gus, "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"gx\"},\"spec\":{}}"), 201);
        expect(server.admin("POST", "/api/v1/platformsecrets", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc\"},\"spec\":{\"data\":{\"password\":\"p\"}}}"), 201);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void anotherTenantsMemberCannotReadListWatchOrModifyASecretNorLearnItExists() {
        assertError(server.call("GET", HUB, gus, null), 404, "Secret acme/hub not found");
        assertError(server.call("GET", ACME, gus, null), 404, "Tenant acme not found");
        assertThat(SseStream.open(server, ACME + "?watch=true", gus).status()).isEqualTo(404);
        assertError(server.call("PUT", HUB, gus, BODY), 404);
        assertError(server.call("PATCH", HUB, gus, "{\"spec\":{\"data\":{\"token\":\"x\"}}}", MERGE_PATCH), 404);
        assertError(server.call("DELETE", HUB, gus, null), 404);
        assertError(server.call("POST", ACME, gus, BODY.replace("hub", "planted")), 404, "Tenant acme not found");
        assertThat(names(expect(server.call("GET", "/api/v1/secrets", gus, null), 200))).containsExactly("gx");
        try (SseStream all = SseStream.open(server, "/api/v1/secrets?watch=true", gus)) {
            List<SseStream.Event> first = all.until(e -> e.type().equals("BOOKMARK"), Duration.ofSeconds(10));
            assertThat(first).filteredOn(e -> e.type().equals("ADDED")).extracting(SseStream.Event::name).containsExactly("gx");
            expect(server.call("PATCH", HUB, alice, "{\"metadata\":{\"labels\":{\"seen\":\"no\"}}}", MERGE_PATCH), 200);
            assertThat(all.drain(Duration.ofSeconds(1))).noneMatch(e -> e.name().equals("hub"));
        }
        assertThat(server.server().secrets().reveal(new dev.millwright.resource.ResourceKey("Secret", "acme", "hub"), "token")).isEqualTo("t1");
    }

    @Test
    void practitionersAndViewersOfTheTenantReadTheNamesButCannotWrite() {
        for (String reader : List.of(pat, vic)) {
            JsonNode hub = expect(server.call("GET", HUB, reader, null), 200);
            assertThat(hub.path("status").path("keys").has("token")).isTrue();
            assertThat(names(expect(server.call("GET", ACME, reader, null), 200))).contains("hub");
            assertError(server.call("PUT", HUB, reader, BODY), 403);
            assertError(server.call("PATCH", HUB, reader, "{\"spec\":{\"data\":{\"token\":\"x\"}}}", MERGE_PATCH), 403);
            assertError(server.call("DELETE", HUB, reader, null), 403);
            assertError(server.call("POST", ACME, reader, BODY.replace("hub", "mine")), 403);
        }
        assertThat(server.server().secrets().reveal(new dev.millwright.resource.ResourceKey("Secret", "acme", "hub"), "token")).isEqualTo("t1");
    }

    @Test
    void platformSecretsAreForPlatformAdminsAlone() {
        for (String tenantAdmin : List.of(alice, gus)) {
            assertError(server.call("GET", "/api/v1/platformsecrets/bmc", tenantAdmin, null), 404);
            assertThat(expect(server.call("GET", "/api/v1/platformsecrets", tenantAdmin, null), 200).path("items").size()).isZero();
            assertError(server.call("POST", "/api/v1/platformsecrets", tenantAdmin,
                    "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"mine\"},\"spec\":{\"data\":{\"password\":\"x\"}}}"), 404);
            assertError(server.call("PATCH", "/api/v1/platformsecrets/bmc", tenantAdmin, "{\"spec\":{\"data\":{\"password\":\"x\"}}}", MERGE_PATCH), 404);
            assertError(server.call("POST", "/api/v1/secrets/rekey", tenantAdmin, ""), 403);
        }
        assertThat(expect(server.admin("GET", "/api/v1/platformsecrets/bmc", null), 200).path("status").path("keys").has("password")).isTrue();
    }
}
