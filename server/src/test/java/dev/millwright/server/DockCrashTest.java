package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.infra.Operation;
import dev.millwright.infra.twin.Twin;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.Database;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.WriteContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The control plane dies in the middle of a batch while the machines go on: a new server on the same database and
 * the same twin finishes it. The worst moment is taken on purpose: one machine's step was asked for and the crash
 * came before its operation id was written. No machine repeats a completed step, none is lost.
 */
class DockCrashTest {
    @Test
    void aServerKilledMidBatchFinishesItWithoutRepeatingAStepOrLosingAMachine() throws Exception {
        String url = dev.millwright.store.TestDatabases.freshUrl("dock-crash");
        TestServer first = TestServer.start(TestServer.config(url).withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES));
        Twin twin = first.server().twin();
        create(first, "/api/v1/sites", site("muc", "datacenter", "DE"));
        create(first, "/api/v1/clusters", cluster("c1", "muc", null));
        create(first, "/api/v1/nodepools", pool("new", "c1"));
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= 12; i++) rows.add(DockTest.row("n" + i, "twin://hgx-h100/n" + i, "none", "r" + (i % 3), i).replace(",\"credentialsRef\":\"none\"", ""));
        create(first, "/api/v1/dockbatches", DockTest.batch(rows));

        // mid-batch: some machines in burn-in with a check in flight
        first.awaitAdvancing(() -> get(first, "/api/v1/dockbatches/rack-a").path("status"),
                st -> st.path("counts").path("Validating").asInt() >= 3, Duration.ofMinutes(1), "machines in burn-in");
        String victim = inFlight(first);
        first.close(); // the control plane is gone; the twin, the world, goes on
        twin.advance(Duration.ofSeconds(30));

        // the crash hit between asking for the victim's step and recording its id
        try (Database db = Database.connect(url, "postgres", null)) {
            ResourceStore store = new ResourceStore(db, Clock.systemUTC());
            store.update(ResourceKey.platform("Machine", victim), r -> {
                ObjectNode status = r.status().deepCopy();
                ObjectNode l = (ObjectNode) status.path("lifecycle");
                String kind = twin.operation(l.path("operation").asText()).kind();
                l.remove("operation");
                l.put("pending", kind);
                return r.withStatus(status);
            }, WriteContext.of("crash"), "update-status");
            store.close();
        }

        try (TestServer second = TestServer.start(TestServer.config(url).withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES), twin)) {
            JsonNode done = second.awaitAdvancing(() -> get(second, "/api/v1/dockbatches/rack-a").path("status"),
                    st -> st.has("finishedAt"), Duration.ofMinutes(3), "the batch finished after the restart");
            assertThat(done.path("phase").asText()).isEqualTo("Completed");
            assertThat(done.path("joined").asInt()).as("no machine lost").isEqualTo(12);
            for (int i = 1; i <= 12; i++) {
                Map<String, Long> byKind = twin.operations("n" + i).stream().collect(Collectors.groupingBy(Operation::kind, TreeMap::new, Collectors.counting()));
                assertThat(byKind).as("n%d: every step once", i).containsOnlyKeys("power-on", "check:inspect", "check:dcgm-r2", "check:nvlink",
                        "check:infiniband", "check:nccl", "check:stress", "install", "install:kubernetes@1.33.4").allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
            }
            assertThat(get(second, "/api/v1/nodepools/new").path("spec").path("machines")).hasSize(12);
        }
    }

    /** A machine with a check in flight. */
    private static String inFlight(TestServer s) {
        for (JsonNode m : get(s, "/api/v1/machines?labelSelector=millwright.dev/dock-batch%3Drack-a").path("items")) {
            JsonNode l = m.path("status").path("lifecycle");
            if (l.path("state").asText().equals("Validating") && l.hasNonNull("operation")) return m.path("metadata").path("name").asText();
        }
        throw new AssertionError("no machine with a check in flight");
    }
}
