package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.ApiFixtures.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.kinds.Kinds;
import dev.millwright.store.TestDatabases;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code millwright up}'s demo AI factory: the manifests of examples/demo, loaded through the API at start,
 * reported on by the fleet controllers, and left alone on a restart so that a user's changes survive.
 */
class DemoFactoryTest {
    /** The sites of the demo and how many machines each has. */
    private static final Map<String, Integer> SITE_MACHINES = Map.of("munich", 32, "frankfurt", 8, "stuttgart-plant", 4, "hamburg-port", 4);
    /** The clusters of the demo and how many nodes each has. */
    private static final Map<String, Integer> CLUSTER_NODES = Map.of("muc-training", 16, "muc-automaker", 8, "muc-research", 8,
            "fra-inference", 8, "str-edge", 4, "ham-edge", 4);
    /** Fleet controllers report at once on writes, clusters look again every 15 s. */
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private static String path(JsonNode manifest) {
        String plural = Kinds.registry().require(manifest.path("kind").asText()).plural();
        String tenant = manifest.path("metadata").path("tenant").asText("");
        String name = manifest.path("metadata").path("name").asText();
        return tenant.isEmpty() ? "/api/v1/" + plural + "/" + name : "/api/v1/tenants/" + tenant + "/" + plural + "/" + name;
    }

    /** Every demo object's uid, by its path. */
    private static Map<String, String> uids(TestServer s, List<JsonNode> manifests) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode m : manifests) out.put(path(m), expect(s.admin("GET", path(m), null), 200).at("/metadata/uid").asText());
        return out;
    }

    /** How many objects of each kind the server holds. */
    private static Map<String, Integer> counts(TestServer s) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (var k : Kinds.registry().all()) {
            out.put(k.kind(), expect(s.admin("GET", "/api/v1/" + k.plural() + "?limit=1000", null), 200).path("items").size());
        }
        return out;
    }

    @Test
    void theManifestsDescribeAFactoryOfFourSitesFortyEightMachinesAndSixClusters() {
        List<JsonNode> manifests = DemoFactory.manifests();
        assertThat(manifests).hasSizeGreaterThan(50);
        Map<String, Integer> byKind = new TreeMap<>();
        for (JsonNode m : manifests) {
            byKind.merge(m.path("kind").asText(), 1, Integer::sum);
            assertThat(m.path("apiVersion").asText()).as("%s", m).isEqualTo("millwright.dev/v1");
        }
        assertThat(byKind).containsEntry("Site", 4).containsEntry("Machine", 48).containsEntry("Cluster", 6).containsEntry("NodePool", 6)
                .containsEntry("StackTemplate", 3).containsEntry("AppTemplate", 6).containsEntry("Environment", 5).containsEntry("Workload", 6)
                .containsEntry("Queue", 5);
        assertThat(manifests).extracting(DemoFactoryTest::path).doesNotHaveDuplicates();
    }

    @Test
    void loadsTheDemoThroughTheApiAndKeepsAUsersChangesOnRestart() {
        String db = TestDatabases.freshUrl("demo");
        List<JsonNode> manifests = DemoFactory.manifests();
        Map<String, String> uidsBefore;
        Map<String, Integer> countsBefore;
        try (TestServer first = TestServer.start(TestServer.config(db).withDemo(true))) {
            // 1. every manifest is an object, with the spec it was written with
            for (JsonNode m : manifests) {
                JsonNode stored = expect(first.admin("GET", path(m), null), 200);
                // numbers by value: YAML reads 7.5 as a double, the stored JSON may give it back as a decimal
                assertThat(dev.millwright.resource.Json.equivalent(stored.path("spec"), m.path("spec")))
                        .as("%s: stored %s, written %s", path(m), stored.path("spec"), m.path("spec")).isTrue();
                if (m.at("/metadata/labels").isObject()) {
                    assertThat(stored.at("/metadata/labels")).as(path(m)).isEqualTo(m.at("/metadata/labels"));
                }
            }
            assertThat(names(expect(first.admin("GET", "/api/v1/sites", null), 200)))
                    .containsExactlyInAnyOrder("munich", "frankfurt", "stuttgart-plant", "hamburg-port");
            assertThat(expect(first.admin("GET", "/api/v1/machines?limit=1000", null), 200).path("items")).hasSize(48);

            // 2. the controllers report the fleet: machines per site, every cluster ready with its nodes
            for (var e : SITE_MACHINES.entrySet()) {
                JsonNode site = ApiFixtures.await(() -> expect(first.admin("GET", "/api/v1/sites/" + e.getKey(), null), 200),
                        s -> s.at("/status/machines").asInt() == e.getValue() && s.at("/status/healthyMachines").asInt() == e.getValue()
                                && s.at("/status/gpuCount").asInt() > 0,
                        SETTLE, "site " + e.getKey() + " reports " + e.getValue() + " healthy machines");
                assertThat(site.at("/status/failedGpus").asInt()).isZero();
            }
            for (var e : CLUSTER_NODES.entrySet()) {
                JsonNode cluster = ApiFixtures.await(() -> expect(first.admin("GET", "/api/v1/clusters/" + e.getKey(), null), 200),
                        c -> c.at("/status/phase").asText().equals("Ready"), SETTLE, "cluster " + e.getKey() + " Ready");
                assertThat(cluster.at("/status/nodes").asInt()).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(cluster.at("/status/readyNodes").asInt()).as(e.getKey()).isEqualTo(e.getValue());
            }
            JsonNode munich = expect(first.admin("GET", "/api/v1/sites/munich", null), 200);
            assertThat(munich.at("/status/gpus").asText()).contains("H100 80GB").contains("H200 141GB");
            assertThat(munich.at("/status/gpuCount").asInt()).isEqualTo(32 * 8);
            JsonNode machine = expect(first.admin("GET", "/api/v1/machines/muc-r01-n01", null), 200);
            assertThat(machine.at("/status/phase").asText()).as("demo machines are enrolled as ready nodes").isEqualTo("Ready");
            JsonNode fleet = expect(first.admin("GET", "/api/v1/fleet", null), 200);
            assertThat(fleet.at("/machines/total").asInt()).isEqualTo(48);
            assertThat(fleet.at("/gpus/failed").asInt()).isZero();
            assertThat(fleet.at("/gpus/healthy").asInt()).isEqualTo(fleet.at("/gpus/total").asInt());

            // 3. the environments run their templates and every self-service workload is placed on its environment's nodes
            for (String env : List.of("automaker/environments/prod", "automaker/environments/staging", "research/environments/dev")) {
                JsonNode e = ApiFixtures.await(() -> expect(first.admin("GET", "/api/v1/tenants/" + env, null), 200),
                        x -> x.at("/status/nodes").asInt() == 8 && !x.at("/status/phase").asText().equals("TemplateMissing"), SETTLE, env + " observed");
                assertThat(e.at("/status/gpus").asText()).as(env).matches("64x (H100 80GB|H200 141GB)");
            }
            for (String w : List.of("automaker/workloads/cockpit-chat", "automaker/workloads/manuals-rag", "research/workloads/llama-finetune",
                    "research/workloads/dora-lab")) {
                // the still twin is moved on by hand: the nodes install their environment's template, then take workloads
                JsonNode placed = TwinWorld.awaitAdvancing(first, () -> expect(first.admin("GET", "/api/v1/tenants/" + w, null), 200),
                        x -> x.at("/status/placements").size() > 0, Duration.ofMinutes(2), w + " placed");
                assertThat(placed.at("/status/phase").asText()).as(w).isIn("Starting", "Running");
            }

            // 4. a user changes the demo
            expect(first.call("PATCH", "/api/v1/tenants/automaker", first.adminToken(),
                    "{\"spec\":{\"displayName\":\"Renamed by a user\"}}", ApiFixtures.MERGE_PATCH), 200);
            uidsBefore = uids(first, manifests);
            countsBefore = counts(first);
        }

        // 5. a restart on the same database creates nothing and keeps the change
        try (TestServer second = TestServer.start(TestServer.config(db).withDemo(true))) {
            assertThat(uids(second, manifests)).as("no demo object recreated").isEqualTo(uidsBefore);
            assertThat(counts(second)).as("no object added").isEqualTo(countsBefore);
            assertThat(expect(second.admin("GET", "/api/v1/tenants/automaker", null), 200).at("/spec/displayName").asText())
                    .isEqualTo("Renamed by a user");
        }
    }

    @Test
    void startsEmptyWithoutTheDemo() {
        try (TestServer empty = TestServer.start()) {
            for (String plural : List.of("sites", "machines", "clusters", "nodepools")) {
                assertThat(expect(empty.admin("GET", "/api/v1/" + plural, null), 200).path("items")).as(plural).isEmpty();
            }
        }
    }
}
