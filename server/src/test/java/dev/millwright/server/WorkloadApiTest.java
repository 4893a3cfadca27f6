package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.twin.Twin;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Self-service end to end: a practitioner deploys the demo's AppTemplates into an environment; workloads
 * that cannot run are refused with the rule that failed, the others are placed on the environment's nodes
 * and run in the twin, and a gang that does not fit waits with the reason.
 */
class WorkloadApiTest {
    private static TestServer server;
    private static Twin twin;
    private static String ben;

    @BeforeAll
    static void start() {
        server = TwinWorld.start("workloads");
        twin = server.server().twin();
        create(server, "/api/v1/users", ApiFixtures.user("ben"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "ben", "practitioner"));
        ben = ApiFixtures.token(server, "ben");
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        for (String m : new String[] {"w1", "w2"}) create(server, "/api/v1/machines", machine(m, "muc", "twin://hgx-h100/" + m, 8));
        create(server, "/api/v1/clusters", cluster("c1", "muc", null));
        create(server, "/api/v1/nodepools", pool("gpu", "c1", "w1", "w2"));
        TwinWorld.publishLlmTemplateAndApps(server);
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"prod"},"spec":{"stage":"prod","template":{"name":"llm","version":"1.0.0"},
                 "nodePools":["gpu"],"quota":{"gpus":{"H100 80GB":24}}}}""");
        // the machines report their GPUs before workloads can be checked against them
        // and run the template, before workloads are placed on them
        TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/environments/prod").path("status"),
                s -> s.path("gpus").asText().equals("16x H100 80GB") && s.path("phase").asText().equals("Ready"),
                Duration.ofMinutes(2), "environment prod ready with its GPUs");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String workload(String name, String spec) {
        return "{\"kind\":\"Workload\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}";
    }

    private static JsonNode awaitWorkload(String name, Predicate<JsonNode> until, String what) {
        return TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/workloads/" + name).path("status"), until,
                Duration.ofSeconds(30), name + " " + what);
    }

    @Test
    void workloadsThatCannotRunAreRefusedWithTheRuleThatFailedAndNothingIsCreated() {
        assertError(server.call("POST", "/api/v1/tenants/acme/workloads", ben, workload("nb",
                "{\"environment\":\"prod\",\"app\":\"jupyter-notebook\"}")), 422,
                "spec.app", "jupyter-notebook needs jupyterhub >=4.0.0", "does not have");
        assertError(server.call("POST", "/api/v1/tenants/acme/workloads", ben, workload("b200",
                "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"gpuModel\":\"B200 180GB\",\"parameters\":{\"model\":\"m\"}}")), 422,
                "spec.gpuModel", "environment prod has no B200 180GB GPUs");
        assertError(server.call("POST", "/api/v1/tenants/acme/workloads", ben, workload("huge",
                "{\"environment\":\"prod\",\"app\":\"pytorch-training\",\"replicas\":4,\"parameters\":{\"image\":\"i\",\"script\":\"s\"}}")), 422,
                "spec.replicas", "32 H100 80GB GPUs asked");
        assertError(server.call("POST", "/api/v1/tenants/acme/workloads", ben, workload("typo",
                "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"parameters\":{\"modle\":\"m\"}}")), 422,
                "spec.parameters.model", "spec.parameters.modle");
        assertError(server.call("POST", "/api/v1/tenants/acme/workloads", ben, workload("lost",
                "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"project\":\"ghost\",\"parameters\":{\"model\":\"m\"}}")), 422,
                "spec.project", "Project ghost not found");
        for (String name : new String[] {"nb", "b200", "huge", "typo", "lost"}) {
            assertThat(server.call("GET", "/api/v1/tenants/acme/workloads/" + name, ben, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void anEndpointRunsAJobWaitsForRoomAndRunsToCompletionOnceItHasIt() {
        expect(server.call("POST", "/api/v1/tenants/acme/workloads", ben, workload("chat",
                "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"replicas\":2,\"parameters\":{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\"}}")), 201);
        JsonNode chat = awaitWorkload("chat", s -> s.path("phase").asText().equals("Running"), "running");
        assertThat(chat.path("gpus").asText()).isEqualTo("2x H100 80GB");
        assertThat(chat.path("framework").asText()).isEqualTo("vllm 0.9.2");
        assertThat(chat.path("placements")).hasSize(2);
        // an inference service spreads its replicas over nodes, so that losing one node loses one replica
        assertThat(chat.path("placements").get(0).path("machine").asText()).isNotEqualTo(chat.path("placements").get(1).path("machine").asText());
        assertThat(twin.workload("acme/chat/1").state()).isEqualTo(WorkloadObservation.State.RUNNING);
        String metrics = ApiFixtures.await(() -> dev.millwright.resource.Json.MAPPER.getNodeFactory().textNode(server.admin("GET", "/metrics", null).body()),
                m -> m.asText().contains("millwright_gpus{model=\"H100 80GB\",state=\"allocated\"} 2.0"), Duration.ofSeconds(10), "allocation metric").asText();
        assertThat(metrics).contains("millwright_gpus{model=\"H100 80GB\",state=\"total\"} 16.0")
                .contains("millwright_workloads{phase=\"Running\",tenant=\"acme\"} 1.0");
        var manifests = server.call("GET", "/api/v1/tenants/acme/workloads/chat/manifests", ben, null);
        assertThat(manifests.statusCode()).as(manifests.body()).isEqualTo(200);
        assertThat(manifests.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        assertThat(manifests.body()).contains("kind: InferenceService", "namespace: acme-prod", "kubernetes.io/hostname",
                chat.path("placements").get(0).path("machine").asText(), "nvidia.com/gpu", "vllm/vllm-openai:v0.9.2", "millwright.dev/workload: chat");

        // two whole nodes: within the quota (2 + 16 of 24) but not on the nodes while chat holds two GPUs
        expect(server.call("POST", "/api/v1/tenants/acme/workloads", ben, workload("train",
                "{\"environment\":\"prod\",\"app\":\"pytorch-training\",\"replicas\":2,\"work\":{\"gpuHours\":4},\"parameters\":{\"image\":\"ghcr.io/acme/train:1\",\"script\":\"train.py\"}}")), 201);
        JsonNode waiting = awaitWorkload("train", s -> s.path("phase").asText().equals("Pending") && s.path("reason").asText().startsWith("queue "), "pending");
        // the tenant has no queue: it borrows what is idle, and only 14 GPUs are
        assertThat(waiting.path("reason").asText()).isEqualTo("queue acme/(default) has no H100 80GB guarantee and borrows idle GPUs: 14 can be borrowed now, 16 needed");
        assertThat(waiting.path("queue").asText()).isEqualTo("acme/(default)");
        JsonNode listed = expect(server.call("GET", "/api/v1/tenants/acme/workloads", ben, null), 200);
        assertThat(listed.path("items").toString()).contains("14 can be borrowed now");
        ApiFixtures.await(() -> dev.millwright.resource.Json.MAPPER.getNodeFactory().textNode(server.admin("GET", "/metrics", null).body()),
                m -> m.asText().contains("millwright_queue_length{tenant=\"acme\"} 1.0") && m.asText().contains("millwright_queue_oldest_wait_seconds{tenant=\"acme\"}"),
                Duration.ofSeconds(10), "queue metrics");

        expect(server.call("DELETE", "/api/v1/tenants/acme/workloads/chat", ben, null), 200);
        TwinWorld.awaitAdvancing(server, () -> Json(twin.workload("acme/chat/0").state().name()), s -> s.asText().equals("STOPPED"),
                Duration.ofSeconds(30), "chat's replicas stopped");
        JsonNode running = awaitWorkload("train", s -> s.path("phase").asText().equals("Running"), "running");
        assertThat(running.path("placements")).hasSize(2);
        // 4 GPU-hours over 16 GPUs: a quarter of an hour of the twin's time
        JsonNode done = awaitWorkload("train", s -> s.path("phase").asText().equals("Succeeded"), "succeeded");
        assertThat(done.path("placements")).isEmpty();
        assertThat(get(server, "/api/v1/events?kind=Workload&name=train&tenant=acme").path("items").toString()).contains("WorkloadSucceeded");
    }

    @Test
    void anEnvironmentRendersTheGpuOperatorObjectsOfItsTemplateAndTheKueueQueuesOfItsQuota() {
        var yaml = server.call("GET", "/api/v1/tenants/acme/environments/prod/manifests", ben, null);
        assertThat(yaml.statusCode()).as(yaml.body()).isEqualTo(200);
        assertThat(yaml.body()).contains("kind: ClusterPolicy", "kind: NVIDIADriver", "version: 580.95.05",
                "millwright.dev/environment: acme-prod", "kind: ResourceFlavor", "nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3", "kind: ClusterQueue",
                "nominalQuota: 24", "kind: LocalQueue", "namespace: acme-prod");
        assertThat(server.call("GET", "/api/v1/tenants/acme/environments/nowhere/manifests", ben, null).statusCode()).isEqualTo(404);
        assertThat(server.call("GET", "/api/v1/tenants/acme/environments/prod/manifests", null, null).statusCode()).isEqualTo(401);
    }

    private static JsonNode Json(String text) {
        return dev.millwright.resource.Json.MAPPER.getNodeFactory().textNode(text);
    }
}
