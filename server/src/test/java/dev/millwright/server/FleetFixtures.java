package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** Bodies and reads of the fleet kinds, for the fleet API tests. */
final class FleetFixtures {
    /** Longest wait for a controller to report; it reacts to writes at once, and polls every 10 to 30 s. */
    static final Duration WAIT = Duration.ofSeconds(15);

    private FleetFixtures() {
    }

    static String site(String name, String kind, String jurisdiction) {
        return ApiFixtures.resource("Site", name, Json.object().put("kind", kind).put("region", "r-" + name)
                .put("jurisdiction", jurisdiction), new String[0]);
    }

    /** A machine with a BMC endpoint and, when {@code gpuCount >= 0}, a declared GPU count. */
    static String machine(String name, String site, String endpoint, int gpuCount) {
        ObjectNode spec = Json.object().put("site", site).put("rack", "r01");
        spec.putObject("bmc").put("endpoint", endpoint).put("credentialsRef", "bmc-" + site);
        if (gpuCount >= 0) spec.putObject("inventory").put("gpuCount", gpuCount);
        return ApiFixtures.resource("Machine", name, spec, new String[] {"site", site});
    }

    static String cluster(String name, String site, String tenant) {
        ObjectNode spec = Json.object().put("site", site);
        if (tenant != null) spec.put("tenant", tenant);
        return ApiFixtures.resource("Cluster", name, spec, new String[0]);
    }

    static String pool(String name, String cluster, String... machines) {
        ObjectNode spec = Json.object().put("cluster", cluster).put("role", "worker");
        ArrayNode list = spec.putArray("machines");
        for (String m : machines) list.add(m);
        return ApiFixtures.resource("NodePool", name, spec, new String[0]);
    }

    static JsonNode get(TestServer s, String path) {
        return expect(s.admin("GET", path, null), 200);
    }

    static JsonNode awaitObject(TestServer s, String path, Predicate<JsonNode> until, String what) {
        return ApiFixtures.await(() -> get(s, path), until, WAIT, what);
    }

    /** Enqueues a machine for its controller at once, without waiting for its poll: a label change. */
    static void touch(TestServer s, String machine, String value) {
        expect(s.call("PATCH", "/api/v1/machines/" + machine, s.adminToken(),
                "{\"metadata\":{\"labels\":{\"touched\":\"" + value + "\"}}}", ApiFixtures.MERGE_PATCH), 200);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
