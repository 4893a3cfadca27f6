package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A watch stays authorized only as long as its caller is: a watcher that loses its membership, or whose token
 * is revoked, gets an ERROR event that ends the stream within the re-authorization interval (5 s) plus the
 * authenticator's cache time (2 s). And one token holds at most {@code MAX_WATCHES_PER_TOKEN} open watches.
 */
class WatchAccessTest {
    private static final String PROJECTS = "/api/v1/tenants/acme/projects";
    private static final String WATCH = PROJECTS + "?watch=true";
    /** Re-authorization interval, plus the authenticator's cache, plus a loop turn and slack. */
    private static final Duration ENDS_WITHIN = Duration.ofSeconds(10);
    /** {@code WatchStream.MAX_WATCHES_PER_TOKEN}, which is package-private to the API. */
    private static final int MAX_WATCHES_PER_TOKEN = 64;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (String u : List.of("vic", "rob", "wes")) create(server, "/api/v1/users", ApiFixtures.user(u));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "vic", "viewer", "rob", "viewer", "wes", "viewer"));
        create(server, PROJECTS, ApiFixtures.project("p1", "one"));
        ApiFixtures.awaitSettled(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Both streams are opened together so that their waits for re-authorization overlap. */
    @Test
    void aWatchEndsWithAnErrorEventOnceItsCallerLosesTheMembershipOrTheToken() {
        String vic = ApiFixtures.token(server, "vic");
        JsonNode robIssued = expect(server.admin("POST", "/api/v1/tokens", "{\"user\":\"rob\"}"), 201);
        String rob = robIssued.get("token").asText();
        try (SseStream member = SseStream.open(server, WATCH, vic);
             SseStream revoked = SseStream.open(server, WATCH, rob)) {
            assertThat(member.status()).isEqualTo(200);
            assertThat(revoked.status()).isEqualTo(200);
            member.until(e -> e.type().equals("BOOKMARK"), ENDS_WITHIN);
            revoked.until(e -> e.type().equals("BOOKMARK"), ENDS_WITHIN);
            create(server, PROJECTS, ApiFixtures.project("seen-by-both", "before the removal"));
            assertThat(member.until(e -> e.type().equals("ADDED"), ENDS_WITHIN)).extracting(SseStream.Event::name).contains("seen-by-both");
            assertThat(revoked.until(e -> e.type().equals("ADDED"), ENDS_WITHIN)).extracting(SseStream.Event::name).contains("seen-by-both");

            // vic leaves acme's members; rob's token is revoked
            expect(server.call("PATCH", "/api/v1/tenants/acme", server.adminToken(),
                    "{\"spec\":{\"members\":[{\"user\":\"rob\",\"role\":\"viewer\"},{\"user\":\"wes\",\"role\":\"viewer\"}]}}", MERGE_PATCH), 200);
            expect(server.admin("DELETE", "/api/v1/tokens/" + robIssued.get("id").asText(), null), 200);
            long acknowledged = System.nanoTime();

            List<SseStream.Event> toMember = member.until(e -> e.type().equals("ERROR"), ENDS_WITHIN);
            List<SseStream.Event> toRevoked = revoked.until(e -> e.type().equals("ERROR"), ENDS_WITHIN);
            assertThat(Duration.ofNanos(System.nanoTime() - acknowledged)).isLessThan(ENDS_WITHIN);
            JsonNode memberError = toMember.get(toMember.size() - 1).data().get("object");
            assertThat(memberError.get("status").asInt()).isEqualTo(404);
            assertThat(memberError.get("message").asText()).isEqualTo("Tenant acme not found");
            JsonNode revokedError = toRevoked.get(toRevoked.size() - 1).data().get("object");
            assertThat(revokedError.get("status").asInt()).isEqualTo(401);
            assertThat(revokedError.get("message").asText()).contains("revoked");
            assertThat(toMember.get(toMember.size() - 1).id()).as("an error is no point to resume from").isNull();

            // the ERROR ends the stream: a change made after it is not delivered
            create(server, PROJECTS, ApiFixtures.project("after-the-error", "not for vic or rob"));
            assertThat(member.rest(Duration.ofSeconds(5))).as("events after the ERROR").isEmpty();
            assertThat(revoked.rest(Duration.ofSeconds(5))).as("events after the ERROR").isEmpty();
        }
        // and a new watch is refused outright
        assertError(server.call("GET", WATCH, vic, null), 404, "Tenant acme not found");
        assertError(server.call("GET", WATCH, rob, null), 401, "revoked");
    }

    @Test
    void aTokenHoldsAtMost64OpenWatchesAndTheNextIsTooManyRequests() {
        String wes = ApiFixtures.token(server, "wes");
        List<SseStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_WATCHES_PER_TOKEN; i++) {
                SseStream s = SseStream.open(server, WATCH, wes);
                open.add(s);
                assertThat(s.status()).as("watch %d", i + 1).isEqualTo(200);
            }
            assertError(server.call("GET", WATCH, wes, null), 429, "64 open watches");
            assertError(server.call("GET", "/api/v1/projects?watch=true", wes, null), 429, "64 open watches");
            // the cap is per token: the same user with another token may still watch
            try (SseStream other = SseStream.open(server, WATCH, ApiFixtures.token(server, "wes"))) {
                assertThat(other.status()).isEqualTo(200);
                assertThat(other.until(e -> e.type().equals("BOOKMARK"), ENDS_WITHIN)).isNotEmpty();
            }
        } finally {
            open.forEach(SseStream::close);
        }
    }
}
