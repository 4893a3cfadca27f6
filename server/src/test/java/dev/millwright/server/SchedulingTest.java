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
import dev.millwright.resource.Json;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live scheduler end to end, in the twin: a tenant's queue divided between two projects; one project
 * borrows the other's idle GPUs and gives them back by preemption when the owner needs them, checkpointing
 * first and resuming from its checkpoint; production inference is never preempted by training; shares of
 * one GPU pack onto one GPU; gangs stay on one InfiniBand unit; every waiting workload says why.
 */
class SchedulingTest {
    private static TestServer server;
    private static Twin twin;
    private static String ben;

    @BeforeAll
    static void start() {
        server = TwinWorld.start("scheduling");
        twin = server.server().twin();
        create(server, "/api/v1/users", ApiFixtures.user("ben"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "ben", "practitioner"));
        ben = ApiFixtures.token(server, "ben");
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("vision", "Vision"));
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("nlp", "NLP"));
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        // two servers in InfiniBand unit su1, one in su2
        create(server, "/api/v1/machines", machine("w1", "muc", "twin://hgx-h100/w1?unit=su1", 8));
        create(server, "/api/v1/machines", machine("w2", "muc", "twin://hgx-h100/w2?unit=su1", 8));
        create(server, "/api/v1/machines", machine("w3", "muc", "twin://hgx-h100/w3?unit=su2", 8));
        create(server, "/api/v1/clusters", cluster("c1", "muc", null));
        create(server, "/api/v1/nodepools", pool("gpu", "c1", "w1", "w2", "w3"));
        TwinWorld.publishLlmTemplateAndApps(server);
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"prod"},"spec":{"stage":"prod","template":{"name":"llm","version":"1.0.0"},
                 "nodePools":["gpu"]}}""");
        // the tenant is guaranteed all 24; each project 8 of them, the rest is for work of no project
        create(server, "/api/v1/tenants/acme/queues", queue("acme", null, null, 24));
        create(server, "/api/v1/tenants/acme/queues", queue("vision", "acme", "vision", 8));
        create(server, "/api/v1/tenants/acme/queues", queue("nlp", "acme", "nlp", 8));
        TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/environments/prod").path("status"),
                s -> s.path("gpus").asText().equals("24x H100 80GB") && s.path("phase").asText().equals("Ready"),
                Duration.ofMinutes(2), "environment prod ready with its GPUs");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Each test starts on an empty fleet. */
    @AfterEach
    void deleteWorkloads() {
        for (JsonNode w : get(server, "/api/v1/tenants/acme/workloads").path("items")) {
            expect(server.call("DELETE", "/api/v1/tenants/acme/workloads/" + w.path("metadata").path("name").asText(), ben, null), 200);
        }
        ApiFixtures.await(() -> get(server, "/api/v1/tenants/acme/queues/acme").path("status"),
                s -> s.path("gpus").asText().startsWith("0/"), Duration.ofSeconds(20), "the fleet empty again");
    }

    private static String queue(String name, String parent, String project, int guaranteed) {
        return "{\"kind\":\"Queue\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + (parent == null ? "" : "\"parent\":\"" + parent + "\",") + (project == null ? "" : "\"project\":\"" + project + "\",")
                + "\"gpus\":{\"H100 80GB\":{\"guaranteed\":" + guaranteed + "}}}}";
    }

    private static void submit(String name, String spec) {
        expect(server.call("POST", "/api/v1/tenants/acme/workloads", ben,
                "{\"kind\":\"Workload\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":" + spec + "}"), 201);
    }

    private static String training(String project, int replicas, double gpuHours, String extra) {
        return "{\"environment\":\"prod\",\"app\":\"pytorch-training\"," + (project == null ? "" : "\"project\":\"" + project + "\",")
                + "\"replicas\":" + replicas + ",\"priorityClass\":\"training\",\"work\":{\"gpuHours\":" + gpuHours + "},"
                + "\"parameters\":{\"image\":\"ghcr.io/acme/train:1\",\"script\":\"train.py\"}" + extra + "}";
    }

    private static JsonNode await(String name, Predicate<JsonNode> until, Duration step, String what) {
        return TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/workloads/" + name).path("status"), until, step,
                name + " " + what);
    }

    private static JsonNode awaitPhase(String name, String phase) {
        return await(name, s -> s.path("phase").asText().equals(phase), Duration.ofSeconds(5), phase);
    }

    private static Set<String> machines(JsonNode status) {
        Set<String> out = new HashSet<>();
        status.path("placements").forEach(p -> out.add(p.path("machine").asText()));
        return out;
    }

    @Test
    void borrowedGpusAreReclaimedForTheirOwnerAfterACheckpointAndTheBorrowerResumesFromIt() {
        // nlp takes 16 GPUs, its 8 and 8 borrowed from vision's idle guarantee: a gang of two nodes, kept on one
        // InfiniBand unit (su1 holds it whole; su2 has one node)
        submit("nlp-train", training("nlp", 2, 64, ",\"checkpointGraceSeconds\":1"));
        JsonNode nlp = awaitPhase("nlp-train", "Running");
        assertThat(machines(nlp)).containsExactlyInAnyOrder("w1", "w2");
        assertThat(nlp.path("queue").asText()).isEqualTo("acme/nlp");
        // work of no project takes the rest, within the tenant's own remainder
        submit("base", training(null, 1, 1000, ""));
        assertThat(machines(awaitPhase("base", "Running"))).containsExactly("w3");
        ApiFixtures.await(() -> get(server, "/api/v1/tenants/acme/queues/nlp").path("status"),
                s -> s.path("gpus").asText().equals("16/8 H100 80GB"), Duration.ofSeconds(10), "nlp's queue borrowing");
        await("nlp-train", s -> s.path("progress").asDouble() >= 0.1, Duration.ofSeconds(10), "progressing");

        // vision wants its guarantee back: nlp's gang is preempted, checkpoints for its grace period, and stops
        submit("vision-train", training("vision", 1, 2, ""));
        JsonNode preempting = await("nlp-train", s -> s.path("phase").asText().equals("Preempting") || s.path("phase").asText().equals("Pending"),
                Duration.ofSeconds(1), "preempted");
        assertThat(preempting.path("reason").asText()).contains("acme/vision-train");
        JsonNode vision = awaitPhase("vision-train", "Running");
        JsonNode preempted = get(server, "/api/v1/tenants/acme/workloads/nlp-train").path("status");
        assertThat(preempted.path("phase").asText()).isEqualTo("Pending");
        assertThat(preempted.path("preemptions").asInt()).isEqualTo(1);
        double checkpoint = preempted.path("checkpointProgress").asDouble();
        assertThat(checkpoint).isGreaterThanOrEqualTo(0.1);
        assertThat(preempted.path("reason").asText()).isNotEmpty();
        assertThat(twin.workload("acme/nlp-train/0").state()).isEqualTo(WorkloadObservation.State.STOPPED);
        assertThat(machines(vision)).hasSize(1).doesNotContain("w3");
        assertThat(get(server, "/api/v1/events?kind=Workload&name=nlp-train&tenant=acme").path("items").toString())
                .contains("Preempting", "Preempted", "resumes from");

        // once vision is done, nlp runs again and finishes from its checkpoint, not from the start
        awaitPhase("vision-train", "Succeeded");
        JsonNode resumed = awaitPhase("nlp-train", "Running");
        assertThat(resumed.path("progress").asDouble()).isGreaterThanOrEqualTo(checkpoint);
        JsonNode done = await("nlp-train", s -> s.path("phase").asText().equals("Succeeded"), Duration.ofMinutes(1), "succeeded");
        assertThat(done.path("restarts").asInt()).isZero();
    }

    @Test
    void productionInferenceOnBorrowedGpusIsNeverPreemptedByTrainingWhichWaitsSayingWhy() {
        submit("base", training(null, 1, 1000, ""));
        awaitPhase("base", "Running");
        submit("nlp-chat", "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"project\":\"nlp\",\"replicas\":2,\"gpusPerReplica\":8,"
                + "\"priorityClass\":\"production-inference\",\"parameters\":{\"model\":\"meta-llama/Llama-3.1-70B-Instruct\"}}");
        // all replicas running (one may first fail to start on GPUs the last test's replicas are still leaving)
        JsonNode chat = await("nlp-chat", s -> s.path("phase").asText().equals("Running") && s.path("readyReplicas").asInt() == 2,
                Duration.ofSeconds(5), "running both replicas");
        // inference replicas spread over nodes
        assertThat(machines(chat)).hasSize(2);
        submit("vision-train", training("vision", 1, 2, ""));
        JsonNode waiting = await("vision-train", s -> !s.path("reason").asText().isEmpty() && !s.path("reason").asText().equals("queued"),
                Duration.ofSeconds(1), "waiting with a reason");
        assertThat(waiting.path("phase").asText()).isEqualTo("Pending");
        assertThat(waiting.path("queue").asText()).isEqualTo("acme/vision");
        for (int i = 0; i < 5; i++) {
            twin.advance(Duration.ofSeconds(5));
            ApiFixtures.sleep(200);
        }
        assertThat(get(server, "/api/v1/tenants/acme/workloads/nlp-chat").path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(get(server, "/api/v1/tenants/acme/workloads/vision-train").path("status").path("phase").asText()).isEqualTo("Pending");
        JsonNode listed = expect(server.call("GET", "/api/v1/tenants/acme/workloads", ben, null), 200);
        assertThat(listed.path("items").toString()).contains(waiting.path("reason").asText());
        String metrics = server.admin("GET", "/metrics", null).body();
        assertThat(metrics).contains("millwright_queue_length{tenant=\"acme\"} 1.0").contains("millwright_gpu_utilization{model=\"H100 80GB\"}");
    }

    @Test
    void sharesOfOneGpuPackOntoOneGpuAndAMigSliceRendersAsItsOwnResource() {
        String half = "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"gpuShare\":500,\"parameters\":{\"model\":\"m\"}}";
        submit("half-a", half);
        submit("half-b", half);
        JsonNode a = awaitPhase("half-a", "Running");
        JsonNode b = awaitPhase("half-b", "Running");
        assertThat(a.path("gpus").asText()).isEqualTo("1x H100 80GB (0.50 each)");
        // the same GPU of the same machine
        assertThat(b.path("placements").get(0).path("machine")).isEqualTo(a.path("placements").get(0).path("machine"));
        assertThat(b.path("placements").get(0).path("gpus")).isEqualTo(a.path("placements").get(0).path("gpus"));
        ApiFixtures.await(() -> get(server, "/api/v1/tenants/acme/queues/acme").path("status"),
                s -> s.path("gpus").asText().startsWith("1/24"), Duration.ofSeconds(10), "two halves counted as one GPU");

        submit("slice", "{\"environment\":\"prod\",\"app\":\"vllm-inference\",\"migProfile\":\"3g.40gb\",\"parameters\":{\"model\":\"m\"}}");
        JsonNode slice = awaitPhase("slice", "Running");
        assertThat(slice.path("gpus").asText()).isEqualTo("1x H100 80GB (MIG 3g.40gb each)");
        String yaml = server.call("GET", "/api/v1/tenants/acme/workloads/slice/manifests", ben, null).body();
        assertThat(yaml).contains("nvidia.com/mig-3g.40gb: \"1\"").doesNotContain("nvidia.com/gpu: \"1\"");
    }

    @Test
    void workBoundAndReclaimedInOnePassIsNeverStartedSoNoGpuIsGivenTwice() {
        // every node goes into maintenance; w1 alone comes back, so that both workloads are decided in one pass
        maintenance(true, "w1", "w2", "w3");
        try {
            // scratch has no guarantee: the 8 it asks are borrowed; vision asks 8 within its guarantee
            create(server, "/api/v1/tenants/acme/queues", "{\"kind\":\"Queue\",\"metadata\":{\"name\":\"scratch\"},\"spec\":{\"parent\":\"acme\"}}");
            submit("borrower", training(null, 1, 100, ",\"queue\":\"scratch\""));
            submit("owner", training("vision", 1, 100, ""));
            await("owner", s -> s.path("reason").asText().startsWith("waiting for"), Duration.ofSeconds(1), "waiting for a node");
            maintenance(false, "w1");
            JsonNode owner = awaitPhase("owner", "Running");
            assertThat(owner.path("queue").asText()).isEqualTo("acme/vision");
            JsonNode borrower = get(server, "/api/v1/tenants/acme/workloads/borrower").path("status");
            assertThat(borrower.path("phase").asText()).isEqualTo("Pending");
            assertThat(borrower.path("placements")).isEmpty();
            assertThat(get(server, "/api/v1/events?kind=Workload&name=borrower&tenant=acme").path("items").toString())
                    .doesNotContain("Scheduled", "StartFailed");
        } finally {
            maintenance(false, "w2", "w3");
        }
    }

    private static void maintenance(boolean on, String... machines) {
        for (String m : machines) {
            expect(server.call("PATCH", "/api/v1/machines/" + m, server.adminToken(), "{\"spec\":{\"maintenance\":" + on + "}}",
                    ApiFixtures.MERGE_PATCH), 200);
        }
        for (String m : machines) {
            ApiFixtures.await(() -> get(server, "/api/v1/machines/" + m).path("status"),
                    s -> s.path("phase").asText().equals("Maintenance") == on, Duration.ofSeconds(20), m + (on ? " in" : " out of") + " maintenance");
        }
    }
}
