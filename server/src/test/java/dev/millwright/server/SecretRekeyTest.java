package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.ResourceKey;
import dev.millwright.secrets.Keyring;
import dev.millwright.secrets.SecretKinds;
import dev.millwright.secrets.UnreadableSecretException;
import dev.millwright.store.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rotating the encryption key: the operator restarts with a new primary key ahead of the old one, values sealed
 * under the old key stay readable, a rekey seals them all under the new one (the rows say so), and the old key can
 * then go. A value whose key is not in the ring is a clear error, and writing it again recovers it.
 */
class SecretRekeyTest {
    private static final String K1 = "k1=" + Keyring.generate();
    private static final String K2 = "k2=" + Keyring.generate();
    private static final ResourceKey HUB = new ResourceKey(SecretKinds.SECRET, "acme", "hub");
    private static final ResourceKey BMC = ResourceKey.platform(SecretKinds.PLATFORM_SECRET, "bmc");

    private static TestServer start(String db, String keys) {
        return TestServer.start(TestServer.config(db).withSecretKeys(Keyring.parse(keys, "test")));
    }

    @Test
    void aRekeySealsEveryValueUnderTheNewPrimarySoTheOldKeyCanGo() throws SQLException {
        String db = TestDatabases.freshUrl("secretrekey");
        try (TestServer first = start(db, K1)) {
            create(first, "/api/v1/tenants", ApiFixtures.tenant("acme"));
            create(first, "/api/v1/tenants/acme/secrets", "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"hub\"},\"spec\":{\"data\":{\"token\":\"t1\",\"user\":\"u1\"}}}");
            create(first, "/api/v1/platformsecrets", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc\"},\"spec\":{\"data\":{\"password\":\"p1\"}}}");
        }
        assertThat(keyIds(db)).containsOnly("k1");

        try (TestServer rotated = start(db, K2 + "\n" + K1)) {
            assertThat(rotated.server().secrets().reveal(HUB, "token")).as("old values stay readable").isEqualTo("t1");
            JsonNode mixed = expect(rotated.call("PATCH", "/api/v1/tenants/acme/secrets/hub", rotated.adminToken(),
                    "{\"spec\":{\"data\":{\"extra\":\"e1\"}}}", MERGE_PATCH), 200);
            assertThat(mixed.path("status").path("keyId").asText()).as("a rekey is due").isEqualTo("k1,k2");

            JsonNode done = expect(rotated.admin("POST", "/api/v1/secrets/rekey", ""), 200);
            assertThat(done.get("primaryKeyId").asText()).isEqualTo("k2");
            assertThat(done.get("objects").asInt()).isEqualTo(2);
            assertThat(done.get("values").asInt()).isEqualTo(3);
            assertThat(done.get("failed").size()).isZero();
            assertThat(done.get("valuesByKeyId").toString()).isEqualTo("{\"k2\":4}");
            assertThat(keyIds(db)).containsOnly("k2");

            JsonNode hub = expect(rotated.admin("GET", "/api/v1/tenants/acme/secrets/hub", null), 200);
            assertThat(hub.path("status").path("keyId").asText()).isEqualTo("k2");
            assertThat(hub.path("status").path("keys").path("token").path("keyId").asText()).isEqualTo("k2");
            assertThat(hub.path("status").path("keys").path("token").path("version").asInt()).as("the value did not change").isEqualTo(1);
            List<String> audited = new ArrayList<>();
            expect(rotated.admin("GET", "/api/v1/audit?limit=100&actor=user:admin", null), 200).get("items")
                    .forEach(r -> audited.add(r.get("verb").asText() + " " + r.get("kind").asText() + " " + r.get("name").asText()));
            assertThat(audited).contains("rekey Secret hub", "rekey PlatformSecret bmc");
            assertThat(expect(rotated.admin("POST", "/api/v1/secrets/rekey", ""), 200).get("objects").asInt()).as("nothing left").isZero();
        }

        try (TestServer newKeyOnly = start(db, K2)) {
            assertThat(newKeyOnly.server().secrets().reveal(HUB, "token")).isEqualTo("t1");
            assertThat(newKeyOnly.server().secrets().reveal(HUB, "extra")).isEqualTo("e1");
            assertThat(newKeyOnly.server().secrets().reveal(BMC, "password")).isEqualTo("p1");
        }
    }

    @Test
    void aValueWhoseKeyIsNotInTheRingIsAClearErrorUntilItIsWrittenAgain() throws SQLException {
        String db = TestDatabases.freshUrl("secretlostkey");
        try (TestServer first = start(db, K1)) {
            create(first, "/api/v1/platformsecrets", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc\"},\"spec\":{\"data\":{\"password\":\"p1\"}}}");
        }
        try (TestServer lost = start(db, K2)) {
            assertThatThrownBy(() -> lost.server().secrets().reveal(BMC, "password"))
                    .isInstanceOf(UnreadableSecretException.class)
                    .hasMessage("key password of PlatformSecret bmc is sealed with key k1, which is not in the keyring (it holds k2);"
                            + " add that key to the keyring, after the primary, to read it");
            JsonNode rekey = expect(lost.admin("POST", "/api/v1/secrets/rekey", ""), 200);
            assertThat(rekey.get("objects").asInt()).isZero();
            assertThat(rekey.get("failed").get(0).asText()).contains("PlatformSecret bmc is sealed with key k1, which is not in the keyring");
            assertThat(keyIds(db)).as("left as it was").containsOnly("k1");

            expect(lost.admin("PUT", "/api/v1/platformsecrets/bmc", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc\"},\"spec\":{\"data\":{\"password\":\"p2\"}}}"), 200);
            assertThat(lost.server().secrets().reveal(BMC, "password")).isEqualTo("p2");
            assertThat(keyIds(db)).containsOnly("k2");
        }
    }

    private static List<String> keyIds(String db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db, "postgres", null);
             ResultSet rs = c.createStatement().executeQuery("SELECT key_id FROM secret_values")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        assertThat(out).isNotEmpty();
        return out;
    }
}
