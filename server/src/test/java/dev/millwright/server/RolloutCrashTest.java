package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.infra.Health;
import dev.millwright.infra.twin.Twin;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.Database;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.WriteContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The control plane dies mid-wave while the hardware goes on: a new server on the same database and the same
 * twin continues the rollout where it was. The worst moment is taken on purpose: one node's operation was asked
 * for and the crash came before its id was written (the stored status says so). No node is upgraded twice,
 * none skipped, none left cordoned.
 */
class RolloutCrashTest {
    private static final String[] MACHINES = {"n1", "n2", "n3", "n4", "n5", "n6"};

    @Test
    void aServerKilledMidWaveContinuesTheRolloutWithoutRepeatingOrSkippingANode() throws Exception {
        String url = dev.millwright.store.TestDatabases.freshUrl("rollout-crash");
        TestServer first = TestServer.start(TestServer.config(url).withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES));
        Twin twin = first.server().twin();
        create(first, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        create(first, "/api/v1/sites", site("muc", "datacenter", "DE"));
        create(first, "/api/v1/clusters", cluster("c1", "muc", null));
        for (String m : MACHINES) create(first, "/api/v1/machines", machine(m, "muc", "twin://hgx-h100/" + m, 8));
        create(first, "/api/v1/nodepools", pool("p", "c1", MACHINES));
        for (String[] t : new String[][] {{"1.0.0", "12.8.0"}, {"1.1.0", "12.9.1"}}) {
            create(first, "/api/v1/stacktemplates", """
                    {"kind":"StackTemplate","metadata":{"name":"gpu-%s"},"spec":{"template":"gpu","version":"%s","layers":[
                     {"pack":"ubuntu","version":"24.04"},{"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"%s"},
                     {"pack":"kubernetes","version":"1.33"}]}}""".formatted(t[0].replace('.', '-'), t[0], t[1]));
        }
        create(first, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"prod"},"spec":{"stage":"prod","template":{"name":"gpu","version":"1.0.0"},"nodePools":["p"]}}""");
        TwinWorld.awaitAdvancing(first, () -> get(first, "/api/v1/tenants/acme/environments/prod").path("status"),
                s -> s.path("phase").asText().equals("Ready"), Duration.ofMinutes(2), "environment ready");
        create(first, "/api/v1/tenants/acme/rollouts", """
                {"kind":"Rollout","metadata":{"name":"cuda"},"spec":{"environment":"prod","template":{"name":"gpu","version":"1.1.0"},
                 "canary":1,"maxUnavailable":2}}""");

        // mid-wave: past the canary, with an install in flight
        JsonNode mid = TwinWorld.awaitAdvancing(first, () -> get(first, "/api/v1/tenants/acme/rollouts/cuda").path("status"),
                s -> s.path("counts").path("Upgraded").asInt() >= 1 && installInFlight(s) != null, Duration.ofSeconds(20), "an install in flight");
        first.close(); // the control plane is gone; the twin, the world, goes on
        twin.advance(Duration.ofSeconds(30));

        // the crash hit between asking for that install and recording its id
        String victim = installInFlight(mid);
        try (Database db = Database.connect(url, "postgres", null)) {
            ResourceStore store = new ResourceStore(db, Clock.systemUTC());
            store.update(new ResourceKey("Rollout", "acme", "cuda"), r -> {
                ObjectNode status = r.status().deepCopy();
                ObjectNode node = (ObjectNode) status.path("nodes").path(victim);
                String kind = twin.operation(node.path("operation").asText()).kind();
                node.remove("operation");
                node.put("pending", kind);
                return r.withStatus(status);
            }, WriteContext.of("crash"), "update-status");
            store.close();
        }

        try (TestServer second = TestServer.start(TestServer.config(url).withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES), twin)) {
            JsonNode done = TwinWorld.awaitAdvancing(second, () -> get(second, "/api/v1/tenants/acme/rollouts/cuda").path("status"),
                    s -> s.path("phase").asText().equals("Completed"), Duration.ofSeconds(20), "the rollout completed after the restart");
            assertThat(done.path("progress").asText()).isEqualTo("6/6");
            for (String m : MACHINES) {
                long installs = twin.operations(m).stream().filter(o -> o.kind().equals("install:cuda@12.9.1")).count();
                assertThat(installs).as("%s was upgraded exactly once", m).isEqualTo(1);
                assertThat(twin.installedPacks(m)).containsEntry("cuda", "12.9.1");
                assertThat(twin.health(m).node()).as("%s is not left cordoned", m).isEqualTo(Health.NodeState.READY);
            }
        }
    }

    /** A node whose CUDA install is running, or null. */
    private static String installInFlight(JsonNode status) {
        Iterator<Map.Entry<String, JsonNode>> it = status.path("nodes").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().path("phase").asText().equals("Upgrading") && e.getValue().hasNonNull("operation")
                    && e.getValue().path("step").asText().contains("cuda")) {
                return e.getKey();
            }
        }
        return null;
    }
}
