package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.detailLines;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ResourceKey;
import dev.millwright.secrets.SecretKinds;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writing secrets through the API: what each verb does to the values, how rotation by writing again shows in
 * the status, and how bad input is refused (a 422 naming the field, never the value).
 */
class SecretApiTest {
    private static final String SECRETS = "/api/v1/tenants/acme/secrets";
    private static TestServer server;
    private static String alice;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/users", ApiFixtures.user("alice"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "alice", "tenant-admin"));
        alice = ApiFixtures.token(server, "alice");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String secret(String name, String data) {
        return "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"type\":\"registry-credentials\""
                + (data == null ? "" : ",\"data\":" + data) + "}}";
    }

    private static String reveal(String name, String key) {
        return server.server().secrets().reveal(new ResourceKey(SecretKinds.SECRET, "acme", name), key);
    }

    private static JsonNode keys(JsonNode object) {
        return object.path("status").path("keys");
    }

    @Test
    void writingTheSameManifestAgainChangesNothingAndWritingANewValueRotatesOnlyThatKey() {
        JsonNode created = expect(server.call("POST", SECRETS, alice, secret("registry", "{\"username\":\"ci\",\"password\":\"p1\"}")), 201);
        assertThat(created.path("status").path("keyId").asText()).matches("k-[0-9a-f]{8}");
        assertThat(keys(created).path("password").path("version").asInt()).isEqualTo(1);

        JsonNode same = expect(server.call("PUT", SECRETS + "/registry", alice, secret("registry", "{\"username\":\"ci\",\"password\":\"p1\"}")), 200);
        assertThat(ApiFixtures.rv(same)).as("unchanged: nothing written").isEqualTo(ApiFixtures.rv(created));

        JsonNode rotated = expect(server.call("PUT", SECRETS + "/registry", alice, secret("registry", "{\"username\":\"ci\",\"password\":\"p2\"}")), 200);
        assertThat(keys(rotated).path("password").path("version").asInt()).isEqualTo(2);
        assertThat(keys(rotated).path("username")).isEqualTo(keys(created).path("username"));
        assertThat(rotated.path("metadata").path("generation").asLong()).as("values are not spec").isEqualTo(1);
        assertThat(reveal("registry", "password")).isEqualTo("p2");
    }

    @Test
    void aReplaceWithoutDataKeepsTheValuesSoAReadModifyWriteOfLabelsLosesNothing() {
        expect(server.call("POST", SECRETS, alice, secret("labelled", "{\"token\":\"t1\"}")), 201);
        JsonNode read = expect(server.call("GET", SECRETS + "/labelled", alice, null), 200);
        ((com.fasterxml.jackson.databind.node.ObjectNode) read.path("metadata")).putObject("labels").put("team", "ml");
        JsonNode written = expect(server.call("PUT", SECRETS + "/labelled", alice, Json.string(read)), 200);
        assertThat(written.path("metadata").path("labels").path("team").asText()).isEqualTo("ml");
        assertThat(keys(written).fieldNames()).toIterable().containsExactly("token");
        assertThat(reveal("labelled", "token")).isEqualTo("t1");
    }

    @Test
    void aReplaceWithDataSetsExactlyThoseKeys() {
        expect(server.call("POST", SECRETS, alice, secret("exact", "{\"a\":\"1\",\"b\":\"2\"}")), 201);
        JsonNode written = expect(server.call("PUT", SECRETS + "/exact", alice, secret("exact", "{\"b\":\"2\"}")), 200);
        assertThat(keys(written).fieldNames()).toIterable().containsExactly("b");
        assertThat(reveal("exact", "b")).isEqualTo("2");
        assertThat(catchThrowable(() -> reveal("exact", "a"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aMergePatchSetsTheKeysItNamesRemovesNulledOnesAndKeepsTheRest() {
        expect(server.call("POST", SECRETS, alice, secret("patched", "{\"a\":\"1\",\"b\":\"2\"}")), 201);
        JsonNode patched = expect(server.call("PATCH", SECRETS + "/patched", alice,
                "{\"metadata\":{\"labels\":{\"x\":\"y\"}},\"spec\":{\"data\":{\"a\":null,\"c\":\"3\"}}}", MERGE_PATCH), 200);
        assertThat(keys(patched).fieldNames()).toIterable().containsExactly("b", "c");
        assertThat(patched.path("metadata").path("labels").path("x").asText()).isEqualTo("y");
        assertThat(reveal("patched", "b")).isEqualTo("2");
        assertThat(reveal("patched", "c")).isEqualTo("3");
        assertThat(catchThrowable(() -> reveal("patched", "a"))).isInstanceOf(NotFoundException.class);
        JsonNode emptied = expect(server.call("PATCH", SECRETS + "/patched", alice, "{\"spec\":{\"data\":null}}", MERGE_PATCH), 200);
        assertThat(keys(emptied).size()).isZero();
    }

    @Test
    void deletingASecretRemovesItsValues() {
        expect(server.call("POST", SECRETS, alice, secret("gone", "{\"token\":\"t\"}")), 201);
        expect(server.call("DELETE", SECRETS + "/gone", alice, null), 200);
        assertError(server.call("GET", SECRETS + "/gone", alice, null), 404);
        assertThat(catchThrowable(() -> reveal("gone", "token"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void badInputIsA422NamingEachFieldWithoutRepeatingTheValue() {
        String value = "do-not-echo-7731";
        JsonNode error = assertError(server.call("POST", SECRETS, alice, "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"bad\"},\"spec\":{"
                + "\"colour\":\"" + value + "\",\"data\":{\"token\":1234,\"\":\"" + value + "\",\"big\":\"" + value.repeat(7000)
                + "\",\"list\":[\"" + value + "\"],\"" + value + " !\":\"x\"}}}"), 422);
        assertThat(detailLines(error)).containsExactlyInAnyOrder(
                "spec.colour: unknown field",
                "spec.data.token: must be a string, not a number (quote it)",
                "spec.data[\"\"]: a key name cannot be empty",
                "spec.data.big: is 112000 bytes; a value is at most 65536 bytes",
                "spec.data.list: must be a string, not an array",
                "spec.data: key 5 is not a valid key name (1 to 253 letters, digits, '-', '_' or '.'); it is not repeated here in case it is a value");
        assertThat(error.toString()).doesNotContain(value);
        assertError(server.call("GET", SECRETS + "/bad", alice, null), 404);
    }

    @Test
    void theStatusIsTheServersAndDataIsAMapOfStrings() {
        expect(server.call("POST", SECRETS, alice, secret("owned", "{\"token\":\"t\"}")), 201);
        assertError(server.admin("PUT", SECRETS + "/owned/status", "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"owned\"},\"status\":{}}"), 422, "status");
        assertError(server.call("PATCH", SECRETS + "/owned", alice, "{\"status\":{\"keys\":{}}}", MERGE_PATCH), 422, "status");
        assertError(server.call("PUT", SECRETS + "/owned", alice, secret("owned", "\"t\"")), 422, "spec.data: must be a map of key names to string values");
    }

    @Test
    void theKindsAreListedWithTheirColumnsAndTheRekeyRouteIsDocumented() {
        JsonNode kinds = expect(server.admin("GET", "/api/v1/kinds", null), 200).get("kinds");
        List<String> names = new java.util.ArrayList<>();
        kinds.forEach(k -> names.add(k.get("kind").asText() + "/" + k.get("scope").asText()));
        assertThat(names).contains("Secret/tenant", "PlatformSecret/platform");
        JsonNode openApi = expect(server.call("GET", "/api/v1/openapi.json", null, null), 200);
        assertThat(openApi.path("paths").has("/api/v1/secrets/rekey")).isTrue();
        assertThat(openApi.path("paths").has("/api/v1/tenants/{tenant}/secrets")).isTrue();
    }
}
