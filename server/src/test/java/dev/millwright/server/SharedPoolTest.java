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
import dev.millwright.infra.twin.Twin;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node pool the platform shares between two tenants: the platform's template runs on it, each tenant's
 * environment binds that version, and the tenants' queues govern its GPUs: one tenant borrows the other's idle
 * guarantee and gives it back by preemption when the other needs it.
 */
class SharedPoolTest {
    private static TestServer server;
    private static Twin twin;
    private static String ben;
    private static String gus;

    @BeforeAll
    static void start() {
        server = TwinWorld.start("sharedpool");
        twin = server.server().twin();
        create(server, "/api/v1/users", ApiFixtures.user("ben"));
        create(server, "/api/v1/users", ApiFixtures.user("gus"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "ben", "tenant-admin"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("globex", "gus", "tenant-admin"));
        ben = ApiFixtures.token(server, "ben");
        gus = ApiFixtures.token(server, "gus");
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("s1", "muc", "twin://hgx-h100/s1", 8));
        create(server, "/api/v1/machines", machine("s2", "muc", "twin://hgx-h100/s2", 8));
        create(server, "/api/v1/machines", machine("own1", "muc", "twin://hgx-h100/own1", 8));
        create(server, "/api/v1/clusters", cluster("c1", "muc", null));
        for (String v : new String[] {"1.0.0", "1.1.0"}) {
            create(server, "/api/v1/stacktemplates", """
                    {"kind":"StackTemplate","metadata":{"name":"llm-%s"},"spec":{"template":"llm","version":"%s","layers":[
                      {"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"12.8.0"},{"pack":"kubernetes","version":"1.33"},
                      {"pack":"gpu-operator","version":"25.10.1"},{"pack":"kubeflow-trainer","version":"2.1.0"}]}}""".formatted(v.replace('.', '-'), v));
        }
        TwinWorld.createAll(server, Path.of("../examples/demo/60-apptemplates.yaml"));
        create(server, "/api/v1/nodepools", sharedPool("shared", "1.0.0", "s1", "s2"));
        create(server, "/api/v1/nodepools", pool("own", "c1", "own1"));
        create(server, "/api/v1/tenants/acme/environments", environment("prod", "1.0.0", "\"sharedNodePool\":\"shared\""));
        create(server, "/api/v1/tenants/globex/environments", environment("prod", "1.0.0", "\"sharedNodePool\":\"shared\""));
        create(server, "/api/v1/tenants/acme/queues", queue("acme", 8));
        create(server, "/api/v1/tenants/globex/queues", queue("globex", 8));
        TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/globex/environments/prod").path("status"),
                s -> s.path("gpus").asText().equals("16x H100 80GB") && s.path("phase").asText().equals("Ready"),
                Duration.ofMinutes(2), "globex's environment ready on the shared pool");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String sharedPool(String name, String version, String... machines) {
        StringBuilder list = new StringBuilder();
        for (String m : machines) list.append(list.isEmpty() ? "" : ",").append('"').append(m).append('"');
        return "{\"kind\":\"NodePool\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"cluster\":\"c1\",\"machines\":[" + list
                + "],\"shared\":{\"template\":{\"name\":\"llm\",\"version\":\"" + version + "\"}}}}";
    }

    private static String environment(String name, String version, String pools) {
        return "{\"kind\":\"Environment\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"stage\":\"prod\","
                + "\"template\":{\"name\":\"llm\",\"version\":\"" + version + "\"}," + pools + "}}";
    }

    private static String queue(String name, int guaranteed) {
        return "{\"kind\":\"Queue\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"gpus\":{\"H100 80GB\":{\"guaranteed\":" + guaranteed + "}}}}";
    }

    private static String training(String name, int replicas) {
        return "{\"kind\":\"Workload\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"environment\":\"prod\",\"app\":\"pytorch-training\","
                + "\"replicas\":" + replicas + ",\"priorityClass\":\"training\",\"checkpointGraceSeconds\":0,\"work\":{\"gpuHours\":64},"
                + "\"parameters\":{\"image\":\"ghcr.io/t/train:1\",\"script\":\"train.py\"}}}";
    }

    private static JsonNode await(String tenant, String name, String phase) {
        return TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/" + tenant + "/workloads/" + name).path("status"),
                s -> s.path("phase").asText().equals(phase), Duration.ofSeconds(2), tenant + "/" + name + " " + phase);
    }

    @Test
    void aSharedPoolRunsThePlatformsTemplateAndEnvironmentsOnItBindThatVersion() {
        JsonNode pool = get(server, "/api/v1/nodepools/shared").path("status");
        assertThat(pool.path("template").asText()).isEqualTo("llm@1.0.0");
        assertThat(pool.path("nodeStacks").path("s1").path("state").asText()).isEqualTo("InSync");
        assertThat(get(server, "/api/v1/tenants/acme/environments/prod").path("status").path("nodesInSync").asInt()).isEqualTo(2);

        assertError(server.call("POST", "/api/v1/tenants/acme/environments", ben, environment("next", "1.1.0", "\"sharedNodePool\":\"shared\"")),
                422, "spec.template", "shared node pool shared runs llm@1.0.0");
        assertError(server.call("POST", "/api/v1/tenants/acme/environments", ben, environment("grab", "1.0.0", "\"nodePools\":[\"shared\"]")),
                422, "spec.nodePools", "is shared between tenants");
        assertError(server.call("POST", "/api/v1/tenants/acme/environments", ben, environment("mixed", "1.0.0",
                "\"nodePools\":[\"own\"],\"sharedNodePool\":\"shared\"")), 422, "spec.sharedNodePool", "not both");
        assertError(server.call("POST", "/api/v1/tenants/acme/environments", ben, environment("fake", "1.0.0", "\"sharedNodePool\":\"own\"")),
                422, "spec.sharedNodePool", "node pool own is not shared");
        expect(server.call("POST", "/api/v1/tenants/acme/environments", ben, environment("dev", "1.0.0", "\"nodePools\":[\"own\"]")), 201);
        assertError(server.admin("PUT", "/api/v1/nodepools/own", sharedPool("own", "1.0.0", "own1")), 422,
                "spec.shared", "environment acme/dev has this pool as its own");
    }

    @Test
    void oneTenantBorrowsTheOthersIdleGuaranteeAndGivesItBackWhenTheOtherNeedsIt() {
        expect(server.call("POST", "/api/v1/tenants/acme/workloads", ben, training("big", 2)), 201);
        JsonNode big = await("acme", "big", "Running");
        assertThat(big.path("queue").asText()).isEqualTo("acme/acme");
        ApiFixtures.await(() -> get(server, "/api/v1/tenants/acme/queues/acme").path("status"),
                s -> s.path("gpus").asText().equals("16/8 H100 80GB"), Duration.ofSeconds(10), "acme borrowing globex's idle 8");

        expect(server.call("POST", "/api/v1/tenants/globex/workloads", gus, training("mine", 1)), 201);
        JsonNode mine = await("globex", "mine", "Running");
        JsonNode preempted = get(server, "/api/v1/tenants/acme/workloads/big").path("status");
        assertThat(preempted.path("phase").asText()).isEqualTo("Pending");
        assertThat(preempted.path("preemptions").asInt()).isEqualTo(1);
        // acme learns why, and nothing of globex's names (issue 7: tenant isolation)
        String seenByAcme = expect(server.call("GET", "/api/v1/events?kind=Workload&name=big&tenant=acme", ben, null), 200).path("items").toString()
                + expect(server.call("GET", "/api/v1/tenants/acme/workloads/big", ben, null), 200).path("status");
        assertThat(seenByAcme).contains("preempted by a workload of another tenant",
                "queue acme/acme borrowed H100 80GB GPUs that a queue of another tenant needs within its guarantee");
        assertThat(seenByAcme).doesNotContain("globex");
        assertThat(mine.path("placements").get(0).path("machine").asText()).isIn("s1", "s2");
        // each tenant still sees only its own workloads
        assertThat(server.call("GET", "/api/v1/tenants/acme/workloads/big", gus, null).statusCode()).isEqualTo(404);
        // acme waits for the room it borrowed
        JsonNode waiting = ApiFixtures.await(() -> get(server, "/api/v1/tenants/acme/workloads/big").path("status"),
                s -> s.path("reason").asText().startsWith("queue acme/acme"), Duration.ofSeconds(10), "acme waiting, saying why");
        assertThat(waiting.path("reason").asText()).contains("borrowing blocked");
    }
}
