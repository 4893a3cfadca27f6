package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.Health;
import dev.millwright.infra.Operation;
import dev.millwright.infra.twin.Twin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Day-2 on a real server and the twin: machines a small DockBatch joined run a training job; one is put in
 * maintenance (cordoned, the job checkpoints and moves, drained, held in Maintenance), cleared (uncordoned, Joined
 * again), and another is retired (out of its pool, powered off, released, Retired with when and why).
 */
class Day2Test {
    @Test
    void maintenanceDrainsANodeAndClearingItBringsItBackWhileRetirementTakesAnotherOutForGood() {
        try (TestServer s = TestServer.start(TestServer.config(dev.millwright.store.TestDatabases.freshUrl("day2"))
                .withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES))) {
            Twin twin = s.server().twin();
            create(s, "/api/v1/tenants", ApiFixtures.tenant("acme"));
            create(s, "/api/v1/sites", site("muc", "datacenter", "DE"));
            create(s, "/api/v1/clusters", cluster("c1", "muc", null));
            create(s, "/api/v1/nodepools", pool("new", "c1"));
            List<String> rows = new ArrayList<>();
            for (int i = 1; i <= 3; i++) rows.add(DockTest.row("n" + i, "twin://hgx-h100/d-" + i, "bmc", "r1", i));
            create(s, "/api/v1/platformsecrets", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc\"},\"spec\":{\"data\":{\"password\":\"p\"}}}");
            create(s, "/api/v1/dockbatches", """
                    {"kind":"DockBatch","metadata":{"name":"rack-a"},"spec":{"site":"muc","pool":"new",
                     "expected":{"gpuModel":"H100 80GB","gpuCount":8},"gates":[{"check":"dcgm","level":1}],
                     "machines":[%s]}}""".formatted(String.join(",", rows)));
            JsonNode batch = s.awaitAdvancing(() -> get(s, "/api/v1/dockbatches/rack-a").path("status"), st -> st.has("finishedAt"),
                    Duration.ofMinutes(3), "the batch settles");
            assertThat(batch.path("joined").asInt()).isEqualTo(3);

            TwinWorld.publishLlmTemplateAndApps(s);
            create(s, "/api/v1/tenants/acme/environments", """
                    {"kind":"Environment","metadata":{"name":"dev"},"spec":{"stage":"dev","template":{"name":"llm","version":"1.0.0"},
                     "nodePools":["new"]}}""");
            create(s, "/api/v1/tenants/acme/queues", """
                    {"kind":"Queue","metadata":{"name":"acme"},"spec":{"gpus":{"H100 80GB":{"guaranteed":24}}}}""");
            s.awaitAdvancing(() -> get(s, "/api/v1/tenants/acme/environments/dev").path("status"),
                    st -> st.path("phase").asText().equals("Ready") && st.path("gpus").asText().equals("24x H100 80GB"),
                    Duration.ofMinutes(2), "environment dev ready on the batch's machines");
            create(s, "/api/v1/tenants/acme/workloads", """
                    {"kind":"Workload","metadata":{"name":"train"},"spec":{"environment":"dev","app":"pytorch-training","replicas":1,
                     "gpusPerReplica":8,"priorityClass":"training","work":{"gpuHours":100},"checkpointGraceSeconds":120,
                     "parameters":{"image":"ghcr.io/acme/train:1","script":"train.py"}}}""");
            JsonNode running = s.awaitAdvancing(() -> get(s, "/api/v1/tenants/acme/workloads/train").path("status"),
                    st -> st.path("phase").asText().equals("Running"), Duration.ofSeconds(10), "the job runs");
            String busy = running.path("placements").get(0).path("machine").asText();
            twin.advance(Duration.ofMinutes(10)); // progress worth a checkpoint

            // maintenance: cordoned, the job checkpoints and moves, drained, held
            patch(s, busy, "{\"spec\":{\"maintenance\":true,\"reason\":\"swap a DIMM\"}}");
            JsonNode held = s.awaitAdvancing(() -> lifecycle(s, busy), l -> l.path("state").asText().equals("Maintenance"),
                    Duration.ofSeconds(20), busy + " in maintenance");
            assertThat(held.path("reason").asText()).isEqualTo("maintenance: swap a DIMM");
            assertThat(held.path("entered").has("Draining")).isTrue();
            assertThat(twin.health(busy).node()).isEqualTo(Health.NodeState.CORDONED);
            assertThat(kinds(twin, busy)).containsSubsequence("cordon", "drain");
            JsonNode moved = s.awaitAdvancing(() -> get(s, "/api/v1/tenants/acme/workloads/train").path("status"),
                    st -> st.path("phase").asText().equals("Running") && !st.path("placements").get(0).path("machine").asText().equals(busy),
                    Duration.ofSeconds(10), "the job runs elsewhere");
            assertThat(moved.path("preemptions").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(get(s, "/api/v1/events?kind=Workload&name=train&tenant=acme").path("items").toString()).contains("emptied for maintenance");

            // cleared: uncordoned, Joined again
            patch(s, busy, "{\"spec\":{\"maintenance\":false,\"reason\":null}}");
            JsonNode back = s.awaitAdvancing(() -> lifecycle(s, busy), l -> l.path("state").asText().equals("Joined"),
                    Duration.ofSeconds(20), busy + " back in service");
            assertThat(back.has("reason")).isFalse();
            assertThat(twin.health(busy).node()).isEqualTo(Health.NodeState.READY);
            assertThat(kinds(twin, busy)).containsSubsequence("cordon", "drain", "uncordon");

            // retirement: out of the pool, powered off, released, Retired with when and why
            String old = busy.equals("n3") ? "n2" : "n3";
            patch(s, old, "{\"spec\":{\"retire\":true,\"reason\":\"end of lease\"}}");
            JsonNode retired = s.awaitAdvancing(() -> lifecycle(s, old), l -> l.path("state").asText().equals("Retired"),
                    Duration.ofSeconds(20), old + " retired");
            assertThat(retired.path("reason").asText()).isEqualTo("end of lease");
            Instant when = Instant.parse(retired.path("entered").path("Retired").asText());
            assertThat(when).isAfter(Instant.parse(retired.path("entered").path("Joined").asText()));
            List<String> members = new ArrayList<>();
            get(s, "/api/v1/nodepools/new").path("spec").path("machines").forEach(m -> members.add(m.asText()));
            assertThat(members).doesNotContain(old).contains(busy);
            assertThat(twin.operations(old)).anyMatch(o -> o.kind().equals("power-off") && o.state() == Operation.State.SUCCEEDED);
            assertThat(twin.health(old).reachable()).as("released from the port").isFalse();
            JsonNode machine = s.awaitAdvancing(() -> get(s, "/api/v1/machines/" + old).path("status"),
                    st -> st.path("phase").asText().equals("Retired"), Duration.ofSeconds(5), old + " phase Retired");
            assertThat(machine.path("lifecycle").path("state").asText()).isEqualTo("Retired");
        }
    }

    private static void patch(TestServer s, String machine, String body) {
        expect(s.call("PATCH", "/api/v1/machines/" + machine, s.adminToken(), body, ApiFixtures.MERGE_PATCH), 200);
    }

    private static JsonNode lifecycle(TestServer s, String machine) {
        return get(s, "/api/v1/machines/" + machine).path("status").path("lifecycle");
    }

    private static List<String> kinds(Twin twin, String machine) {
        return twin.operations(machine).stream().map(Operation::kind).toList();
    }
}
