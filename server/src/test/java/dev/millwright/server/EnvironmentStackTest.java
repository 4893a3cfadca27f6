package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.infra.twin.Twin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Environments run their template on their own nodes, through the twin: a new environment's nodes get the
 * template's packs, and moving it to another template version installs what changed and removes what the new
 * version dropped, while an environment on other pools is not touched at all.
 */
class EnvironmentStackTest {
    private static TestServer server;
    private static Twin twin;

    @BeforeAll
    static void start() {
        server = TwinWorld.start("envstack");
        twin = server.server().twin();
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        for (String m : List.of("a1", "a2", "b1", "b2", "d1")) create(server, "/api/v1/machines", machine(m, "muc", "twin://hgx-h100/" + m, 8));
        create(server, "/api/v1/clusters", cluster("c1", "muc", null));
        create(server, "/api/v1/nodepools", pool("pa", "c1", "a1", "a2"));
        create(server, "/api/v1/nodepools", pool("pb", "c1", "b1", "b2"));
        create(server, "/api/v1/nodepools", pool("pd", "c1", "d1"));
        template("1.0.0", "580.95.05", "12.8.0", "\"vllm\",\"version\":\"0.8.5\"");
        template("1.1.0", "580.95.05", "12.9.1", null);
        // a workload type added as data alone: SGLang behind a Deployment, needing no pack of the stack
        create(server, "/api/v1/apptemplates", """
                {"kind":"AppTemplate","metadata":{"name":"sglang-inference"},"spec":{"category":"inference",
                 "parameters":{"type":"object","required":["model"],"properties":{"model":{"type":"string"}}},
                 "profile":{"gpusPerReplica":2,"maxGpusPerReplica":8},
                 "components":[{"name":"server","renders":"deployment","image":"lmsysorg/sglang:v0.4.9",
                   "args":["--model-path","${model}","--tp","${gpus}"],"port":30000,"gpus":true}]}}""");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void template(String version, String driver, String cuda, String serving) {
        String layers = "{\"pack\":\"ubuntu\",\"version\":\"24.04\"},{\"pack\":\"gpu-driver\",\"version\":\"%s\"},{\"pack\":\"cuda\",\"version\":\"%s\"},{\"pack\":\"kubernetes\",\"version\":\"1.33\"}"
                .formatted(driver, cuda) + (serving == null ? "" : ",{\"pack\":" + serving + "}");
        var r = server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"gpu-%s"},"spec":{"template":"gpu","version":"%s","layers":[%s]}}"""
                .formatted(version.replace('.', '-'), version, layers));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static String env(String name, String version, String pool) {
        return "{\"kind\":\"Environment\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"stage\":\"prod\",\"template\":{\"name\":\"gpu\",\"version\":\"%s\"},\"nodePools\":[\"%s\"]}}"
                .formatted(name, version, pool);
    }

    static JsonNode awaitEnvironment(String name, Predicate<JsonNode> until, String what) {
        return TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/environments/" + name).path("status"),
                until, Duration.ofMinutes(2), "environment " + name + " " + what);
    }

    private static boolean runs(JsonNode status, String template) {
        return status.path("template").asText().equals(template) && status.path("phase").asText().equals("Ready")
                && status.path("nodesInSync").asInt() == 2;
    }

    @Test
    void movingOneEnvironmentToANewTemplateVersionLeavesEveryNodeAndWorkloadOfAnotherUntouched() {
        expect(server.admin("POST", "/api/v1/tenants/acme/environments", env("alpha", "1.0.0", "pa")), 201);
        expect(server.admin("POST", "/api/v1/tenants/acme/environments", env("beta", "1.0.0", "pb")), 201);
        awaitEnvironment("alpha", s -> runs(s, "gpu@1.0.0"), "ran gpu@1.0.0");
        awaitEnvironment("beta", s -> runs(s, "gpu@1.0.0"), "ran gpu@1.0.0");
        for (String m : List.of("a1", "a2", "b1", "b2")) {
            assertThat(twin.installedPacks(m)).as(m).contains(Map.entry("gpu-driver", "580.95.05"), Map.entry("cuda", "12.8.0"),
                    Map.entry("vllm", "0.8.5"), Map.entry("ubuntu", "24.04.4")).containsKey("kubernetes");
        }
        expect(server.admin("POST", "/api/v1/tenants/acme/workloads", """
                {"kind":"Workload","metadata":{"name":"chat"},"spec":{"environment":"beta","app":"sglang-inference","parameters":{"model":"Qwen/Qwen2.5-7B-Instruct"}}}"""), 201);
        JsonNode chat = TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/workloads/chat").path("status"),
                s -> s.path("phase").asText().equals("Running"), Duration.ofSeconds(30), "workload chat running");
        assertThat(chat.path("placements").get(0).path("machine").asText()).isIn("b1", "b2");
        Map<String, String> betaPacks = twin.installedPacks("b1");
        long betaHistory = twin.history().stream().filter(h -> h.contains(" b1 ") || h.contains(" b2 ")).count();

        var moved = server.call("PATCH", "/api/v1/tenants/acme/environments/alpha", server.adminToken(),
                "{\"spec\":{\"template\":{\"version\":\"1.1.0\"}}}", ApiFixtures.MERGE_PATCH);
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        awaitEnvironment("alpha", s -> runs(s, "gpu@1.1.0") && s.path("managedPacks").toString().equals("[\"cuda\",\"gpu-driver\",\"kubernetes\",\"ubuntu\"]"),
                "ran gpu@1.1.0 without vllm");

        for (String m : List.of("a1", "a2")) {
            assertThat(twin.installedPacks(m)).as(m).containsEntry("cuda", "12.9.1").doesNotContainKey("vllm");
        }
        assertThat(twin.installedPacks("b1")).isEqualTo(betaPacks);
        assertThat(twin.history().stream().filter(h -> h.contains(" b1 ") || h.contains(" b2 ")).count())
                .as("beta's machines saw no operation while alpha moved").isEqualTo(betaHistory);
        assertThat(get(server, "/api/v1/tenants/acme/environments/beta").path("status").path("template").asText()).isEqualTo("gpu@1.0.0");
        JsonNode chatAfter = get(server, "/api/v1/tenants/acme/workloads/chat").path("status");
        assertThat(chatAfter.path("phase").asText()).isEqualTo("Running");
        assertThat(chatAfter.path("placements")).isEqualTo(chat.path("placements"));
        assertThat(twin.workload("acme/chat/0").state()).isEqualTo(dev.millwright.infra.WorkloadObservation.State.RUNNING);
    }

    @Test
    void aNodeChangedOutOfBandIsFlaggedAsDriftOrPutRightAsTheEnvironmentsPolicySays() {
        expect(server.admin("POST", "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"delta"},"spec":{"stage":"dev","template":{"name":"gpu","version":"1.0.0"},
                 "nodePools":["pd"],"driftPolicy":"flag"}}"""), 201);
        awaitEnvironment("delta", s -> s.path("phase").asText().equals("Ready") && s.path("nodesInSync").asInt() == 1, "ran gpu@1.0.0");
        // someone upgrades CUDA by hand on d1
        var op = twin.installPack("d1", "cuda", "12.9.1");
        TwinWorld.awaitAdvancing(server, () -> Json.MAPPER.getNodeFactory().textNode(twin.operation(op.id()).state().name()),
                s -> s.asText().equals("SUCCEEDED"), Duration.ofSeconds(30), "the manual install");
        JsonNode flagged = awaitEnvironment("delta", s -> s.path("phase").asText().equals("Drifted"), "drift flagged");
        assertThat(flagged.path("driftedNodes").asInt()).isEqualTo(1);
        assertThat(flagged.path("nodeStacks").path("d1").path("state").asText()).isEqualTo("Drifted");
        assertThat(flagged.path("nodeStacks").path("d1").path("drift").toString()).contains("cuda: runs 12.9.1, the template has 12.8.0");
        // the node and its cluster show it too
        FleetFixtures.awaitObject(server, "/api/v1/machines/d1", m -> m.path("status").path("drift").toString().contains("cuda: runs 12.9.1"),
                "drift on the machine");
        FleetFixtures.awaitObject(server, "/api/v1/clusters/c1", c -> c.path("status").path("driftedNodes").asInt() == 1, "drift on the cluster");
        // flagged is left alone, and a drifted node takes no new work
        for (int i = 0; i < 3; i++) twin.advance(Duration.ofMinutes(1));
        assertThat(twin.installedPacks("d1")).containsEntry("cuda", "12.9.1");
        assertThat(get(server, "/api/v1/events?kind=Environment&name=delta&tenant=acme").path("items").toString())
                .contains("DriftDetected", "d1 no longer runs gpu@1.0.0", "flagged, left as it is");

        expect(server.call("PATCH", "/api/v1/tenants/acme/environments/delta", server.adminToken(),
                "{\"spec\":{\"driftPolicy\":\"reconcile\"}}", ApiFixtures.MERGE_PATCH), 200);
        awaitEnvironment("delta", s -> s.path("phase").asText().equals("Ready") && s.path("nodesInSync").asInt() == 1, "drift put right");
        assertThat(twin.installedPacks("d1")).containsEntry("cuda", "12.8.0");
        // the machine reports what it runs at its next poll
        ApiFixtures.await(() -> get(server, "/api/v1/machines/d1"), m -> !m.path("status").has("drift")
                && m.path("status").path("packs").path("cuda").asText().equals("12.8.0"), Duration.ofSeconds(40),
                "the machine no longer drifted, running 12.8.0");
        FleetFixtures.awaitObject(server, "/api/v1/clusters/c1", c -> c.path("status").path("driftedNodes").asInt() == 0, "the cluster clean");
    }
}
