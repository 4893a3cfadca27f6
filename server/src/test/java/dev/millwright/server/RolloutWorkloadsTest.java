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
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.twin.Twin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rollout and the scheduler together: a production service keeps all its replicas serving while the nodes
 * under it are upgraded (each moving replica's replacement runs elsewhere before it stops), and a training job
 * on a node to be drained checkpoints within its grace period and resumes elsewhere from its checkpoint.
 */
class RolloutWorkloadsTest {
    private static TestServer server;
    private static Twin twin;

    @BeforeAll
    static void start() {
        server = TwinWorld.start("rollout-workloads");
        twin = server.server().twin();
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        for (String m : List.of("w1", "w2", "w3", "w4")) create(server, "/api/v1/machines", machine(m, "muc", "twin://hgx-h100/" + m, 8));
        create(server, "/api/v1/clusters", cluster("c1", "muc", null));
        create(server, "/api/v1/nodepools", pool("gpu", "c1", "w1", "w2", "w3", "w4"));
        TwinWorld.publishLlmTemplateAndApps(server);
        expect(server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"llm-1-1-0"},"spec":{"template":"llm","version":"1.1.0","layers":[
                  {"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"12.9.1"},{"pack":"kubernetes","version":"1.33"},
                  {"pack":"gpu-operator","version":"25.10.1"},{"pack":"vllm","version":"0.9.2"},{"pack":"kubeflow-trainer","version":"2.1.0"}]}}"""), 201);
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"prod"},"spec":{"stage":"prod","template":{"name":"llm","version":"1.0.0"},
                 "nodePools":["gpu"]}}""");
        create(server, "/api/v1/tenants/acme/queues", """
                {"kind":"Queue","metadata":{"name":"acme"},"spec":{"gpus":{"H100 80GB":{"guaranteed":32}}}}""");
        TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/environments/prod").path("status"),
                s -> s.path("phase").asText().equals("Ready") && s.path("gpus").asText().equals("32x H100 80GB"),
                Duration.ofMinutes(2), "environment prod ready");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void submit(String name, String spec) {
        create(server, "/api/v1/tenants/acme/workloads", "{\"kind\":\"Workload\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}");
    }

    private static JsonNode workload(String name) {
        return get(server, "/api/v1/tenants/acme/workloads/" + name).path("status");
    }

    /** The service's replicas that serve in the world right now. */
    private static int serving(JsonNode status) {
        int n = 0;
        for (JsonNode p : status.path("placements")) {
            if (twin.workload("acme/chat/" + p.path("replica").asInt()).state() == WorkloadObservation.State.RUNNING) n++;
        }
        return n;
    }

    @Test
    void servicesKeepServingAndJobsCheckpointWhileTheirNodesAreUpgraded() {
        submit("chat", "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"replicas\":2,\"gpusPerReplica\":4,"
                + "\"priorityClass\":\"production-inference\",\"parameters\":{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\"}}");
        submit("train", "{\"environment\":\"prod\",\"app\":\"pytorch-training\",\"replicas\":1,\"gpusPerReplica\":8,\"priorityClass\":\"training\","
                + "\"work\":{\"gpuHours\":100},\"checkpointGraceSeconds\":120,\"parameters\":{\"image\":\"ghcr.io/acme/train:1\",\"script\":\"train.py\"}}");
        TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/workloads").path("items"),
                items -> items.size() == 2 && items.get(0).path("status").path("phase").asText().equals("Running")
                        && items.get(1).path("status").path("phase").asText().equals("Running"), Duration.ofSeconds(10), "both running");
        twin.advance(Duration.ofMinutes(10)); // the job makes some progress worth checkpointing

        create(server, "/api/v1/tenants/acme/rollouts", """
                {"kind":"Rollout","metadata":{"name":"cuda"},"spec":{"environment":"prod","template":{"name":"llm","version":"1.1.0"},
                 "canary":1,"maxUnavailable":1}}""");
        List<Integer> servingSeen = new ArrayList<>();
        JsonNode done = TwinWorld.awaitAdvancing(server, () -> {
            servingSeen.add(serving(workload("chat")));
            return get(server, "/api/v1/tenants/acme/rollouts/cuda").path("status");
        }, s -> s.path("phase").asText().equals("Completed"), Duration.ofSeconds(20), "the rollout completed");

        assertThat(done.path("progress").asText()).isEqualTo("4/4");
        assertThat(servingSeen).as("replicas of the production service serving at each look").allMatch(n -> n >= 2);
        JsonNode train = TwinWorld.awaitAdvancing(server, () -> workload("train"), s -> s.path("phase").asText().equals("Running"),
                Duration.ofSeconds(10), "train running again");
        assertThat(train.path("preemptions").asInt()).as("the job was asked to leave its node").isGreaterThanOrEqualTo(1);
        assertThat(train.path("checkpointProgress").asDouble()).as("and resumed from its checkpoint").isGreaterThan(0);
        assertThat(get(server, "/api/v1/events?kind=Workload&name=train&tenant=acme").path("items").toString()).contains("emptied for an upgrade");
        assertThat(get(server, "/api/v1/events?kind=Workload&name=chat&tenant=acme").path("items").toString()).contains("its replacement runs");
    }
}
