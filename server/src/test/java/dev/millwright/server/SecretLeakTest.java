package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.JSON;
import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.YAML;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.ResourceKey;
import dev.millwright.secrets.SecretKinds;
import dev.millwright.store.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A secret's values, once written, appear nowhere but in the server's memory and as ciphertext: not in any API
 * response (writes, reads, lists, watches, errors of refused writes), not in the audit log, not in any row of
 * any table, not in a log line. Each value is a marker string searched for as text, as hex (how PostgreSQL
 * prints bytea) and as base64.
 */
class SecretLeakTest {
    private static final String HUB_TOKEN = "PLAINTEXT-hub-token-9c41d7";
    private static final String ROTATED = "PLAINTEXT-rotated-52be08";
    private static final String PATCHED = "PLAINTEXT-patched-a1f9e3";
    private static final String BMC_PASSWORD = "PLAINTEXT-bmc-password-77d2";
    private static final String REFUSED = "PLAINTEXT-refused-3e60aa";
    private static final List<String> VALUES = List.of(HUB_TOKEN, ROTATED, PATCHED, BMC_PASSWORD, REFUSED);
    private static final String HUB = "/api/v1/tenants/acme/secrets/hub";

    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private static final Logger ours = (Logger) LoggerFactory.getLogger("dev.millwright");
    private static String dbUrl;
    private static TestServer server;
    private static String alice;
    private static String vic;

    @BeforeAll
    static void start() {
        logs.start();
        root.addAppender(logs);
        ours.setLevel(Level.DEBUG);
        dbUrl = TestDatabases.freshUrl("secretleak");
        server = TestServer.start(dbUrl);
        for (String u : List.of("alice", "vic")) create(server, "/api/v1/users", ApiFixtures.user(u));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "alice", "tenant-admin", "vic", "viewer"));
        alice = ApiFixtures.token(server, "alice");
        vic = ApiFixtures.token(server, "vic");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        root.detachAppender(logs);
        ours.setLevel(null);
    }

    private static String hubSecret(String token, String extra) {
        return """
                {"apiVersion":"millwright.dev/v1","kind":"Secret","metadata":{"name":"hub","tenant":"acme"%s},
                 "spec":{"type":"hub-token","data":{"token":"%s","user":"ci-bot"}}}""".formatted(extra, token);
    }

    @Test
    void theValuesAppearInNoResponseWatchEventAuditRecordDatabaseRowOrLogLine() throws Exception {
        List<String> seen = new ArrayList<>();
        try (SseStream tenantWatch = SseStream.open(server, "/api/v1/tenants/acme/secrets?watch=true", vic);
             SseStream everyTenant = SseStream.open(server, "/api/v1/secrets?watch=true", server.adminToken());
             SseStream platform = SseStream.open(server, "/api/v1/platformsecrets?watch=true", server.adminToken())) {
            for (SseStream w : List.of(tenantWatch, everyTenant, platform)) w.until(e -> e.type().equals("BOOKMARK"), Duration.ofSeconds(10));

            // writes: create (YAML), replace with a new value, merge patch adding a key, a platform secret
            String yaml = """
                    apiVersion: millwright.dev/v1
                    kind: Secret
                    metadata: {name: hub, tenant: acme}
                    spec:
                      type: hub-token
                      data:
                        token: %s
                        user: ci-bot
                    """.formatted(HUB_TOKEN);
            JsonNode created = expect(record(seen, server.call("POST", "/api/v1/tenants/acme/secrets", alice, yaml, YAML)), 201);
            assertThat(created.path("spec").has("data")).isFalse();
            assertThat(created.path("status").path("keys").fieldNames()).toIterable().containsExactly("token", "user");
            String rv = created.path("metadata").path("resourceVersion").asText();
            JsonNode replaced = expect(record(seen, server.call("PUT", HUB, alice, hubSecret(ROTATED, ",\"resourceVersion\":\"" + rv + "\""))), 200);
            assertThat(replaced.path("status").path("keys").path("token").path("version").asInt()).isEqualTo(2);
            expect(record(seen, server.call("PATCH", HUB, alice, "{\"spec\":{\"data\":{\"extra\":\"" + PATCHED + "\"}}}", MERGE_PATCH)), 200);
            expect(record(seen, server.admin("POST", "/api/v1/platformsecrets", """
                    {"kind":"PlatformSecret","metadata":{"name":"bmc-muc-r04"},"spec":{"type":"bmc-credentials","data":{"username":"root","password":"%s"}}}"""
                    .formatted(BMC_PASSWORD))), 201);
            expect(record(seen, server.call("POST", "/api/v1/tenants/acme/secrets", alice, """
                    {"kind":"Secret","metadata":{"name":"short-lived"},"spec":{"data":{"token":"%s"}}}""".formatted(HUB_TOKEN))), 201);
            expect(record(seen, server.call("DELETE", "/api/v1/tenants/acme/secrets/short-lived", alice, null)), 200);

            // refused writes that carry a value: invalid, malformed, forbidden, stale, status
            assertError(record(seen, server.call("POST", "/api/v1/tenants/acme/secrets", alice, """
                    {"kind":"Secret","metadata":{"name":"bad"},"spec":{"bogus":"%s","data":{"token":"%s","n":42}}}"""
                    .formatted(REFUSED, REFUSED + "x".repeat(70_000)))), 422, "spec.bogus", "spec.data.token", "spec.data.n");
            assertError(record(seen, server.call("POST", "/api/v1/tenants/acme/secrets", alice,
                    "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"bad\"},\"spec\":{\"data\":{\"token\":" + REFUSED + "}}}")), 400, "line 1");
            assertError(record(seen, server.call("POST", "/api/v1/tenants/acme/secrets", alice,
                    "kind: Secret\nmetadata: {name: bad}\nspec:\n  data:\n    token: \"" + REFUSED + "\n    other: [\n", YAML)), 400, "malformed YAML");
            assertError(record(seen, server.call("PUT", HUB, vic, hubSecret(REFUSED, ""))), 403);
            assertError(record(seen, server.call("PUT", HUB, alice, hubSecret(REFUSED, ",\"resourceVersion\":\"" + rv + "\""))), 409);
            assertError(record(seen, server.call("PATCH", HUB, alice, "{\"spec\":{\"data\":{\"token\":[\"" + REFUSED + "\"]}}}", MERGE_PATCH)), 422, "spec.data.token");
            assertError(record(seen, server.admin("PUT", HUB + "/status", "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"hub\"},\"status\":{\"v\":\"" + REFUSED + "\"}}")), 422, "status");

            // the values were stored, and only server-side code can read them
            ResourceKey hub = new ResourceKey(SecretKinds.SECRET, "acme", "hub");
            assertThat(server.server().secrets().reveal(hub, "token")).isEqualTo(ROTATED);
            assertThat(server.server().secrets().reveal(hub, "extra")).isEqualTo(PATCHED);
            assertThat(server.server().secrets().reveal(ResourceKey.platform(SecretKinds.PLATFORM_SECRET, "bmc-muc-r04"), "password")).isEqualTo(BMC_PASSWORD);

            // reads
            record(seen, expectOk(server.call("GET", HUB, vic, null)));
            record(seen, expectOk(server.call("GET", "/api/v1/tenants/acme/secrets", vic, null)));
            record(seen, expectOk(server.admin("GET", "/api/v1/secrets", null)));
            record(seen, expectOk(server.admin("GET", "/api/v1/platformsecrets/bmc-muc-r04", null)));
            record(seen, expectOk(server.admin("GET", "/api/v1/platformsecrets", null)));

            // watches, as they went, and from the start
            assertThat(tenantWatch.until(e -> e.type().equals("DELETED"), Duration.ofSeconds(10))).isNotEmpty();
            for (SseStream w : List.of(tenantWatch, everyTenant, platform)) w.drain(Duration.ofMillis(300)).forEach(e -> seen.add(e.data().toString()));
            try (SseStream fresh = SseStream.open(server, "/api/v1/secrets?watch=true&resourceVersion=0", server.adminToken())) {
                fresh.until(e -> e.type().equals("DELETED"), Duration.ofSeconds(10)).forEach(e -> seen.add(e.data().toString()));
            }
        }

        // the audit log has every write and refusal, and none of the values
        JsonNode audit = expect(record(seen, server.admin("GET", "/api/v1/audit?limit=5000&kind=Secret", null)), 200);
        List<String> verbs = new ArrayList<>();
        audit.get("items").forEach(r -> verbs.add(r.get("verb").asText() + " " + r.get("outcome").asInt()));
        assertThat(verbs).contains("create 201", "update 200", "patch 200", "delete 200", "create 422", "create 400", "update 403", "update 409", "patch 422");
        record(seen, server.admin("GET", "/api/v1/audit?limit=5000", null));
        record(seen, server.admin("GET", "/api/v1/events", null));

        for (String body : seen) for (String v : VALUES) assertThat(body).doesNotContain(v);
        for (String v : VALUES) {
            assertThat(databaseText()).as("database rows").doesNotContain(v).doesNotContain(hex(v)).doesNotContain(base64(v));
        }
        assertThat(countValueRows()).as("sealed values: hub token, user, extra; bmc username, password").isEqualTo(5);

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            lines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("secret values are sealed with key"));
        for (String line : lines) for (String v : VALUES) assertThat(line).doesNotContain(v);
    }

    private static HttpResponse<String> record(List<String> seen, HttpResponse<String> r) {
        seen.add(r.body());
        return r;
    }

    private static HttpResponse<String> expectOk(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** Every row of every table, as PostgreSQL prints it (bytea as \x and hex). */
    private static String databaseText() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", null)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            assertThat(tables).contains("resources", "changes", "audit", "events", "secret_values");
            for (String t : tables) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT t::text FROM \"" + t + "\" t")) {
                    while (rs.next()) out.append(rs.getString(1)).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static long countValueRows() throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", null);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM secret_values")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String hex(String v) {
        return HexFormat.of().formatHex(v.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(String v) {
        return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
    }
}
