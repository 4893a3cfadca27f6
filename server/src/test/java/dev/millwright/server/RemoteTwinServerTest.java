package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.FleetFixtures.awaitObject;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.Health;
import dev.millwright.infra.twin.Twin;
import dev.millwright.infra.twin.TwinServer;
import dev.millwright.resource.Json;
import dev.millwright.store.TestDatabases;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server whose world is a twin served by another process (here, this test): it outlives the server. */
class RemoteTwinServerTest {
    @Test
    void theServerDrivesTheServedTwinAndANewServerFindsTheWorldWhereTheOldOneLeftIt() {
        Twin world = Twin.builder().enrolledAs(Health.NodeState.READY).build();
        try (TwinServer served = TwinServer.start(world, 0, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ServerConfig config = TestServer.config(TestDatabases.freshUrl("remote-twin")).withTwin(ServerConfig.TwinSettings.at(served.url()));
            try (TestServer first = TestServer.start(config)) {
                create(first, "/api/v1/sites", site("muc", "datacenter", "DE"));
                create(first, "/api/v1/machines", machine("m1", "muc", "twin://hgx-h100/m1", 8));
                JsonNode status = awaitObject(first, "/api/v1/machines/m1", m -> m.path("status").has("gpus"), "m1 observed").path("status");
                assertThat(status.path("phase").asText()).isEqualTo("Ready");
                assertThat(status.path("gpus").asText()).isEqualTo("8x H100 80GB");
                assertThat(world.machineCount()).isEqualTo(1);

                var controls = first.admin("GET", "/api/v1/twin", null);
                assertThat(controls.statusCode()).isEqualTo(409);
                assertThat(Json.tree(controls.body()).path("message").asText()).contains("runs in its own process");
            }

            world.advance(Duration.ofHours(1));
            world.inject("m1", Twin.FaultKind.GPU_XID); // the world went on while no server ran
            try (TestServer second = TestServer.start(config)) {
                JsonNode status = awaitObject(second, "/api/v1/machines/m1", m -> m.path("status").path("failedGpus").asInt() == 1,
                        "m1's failed GPU seen by the new server").path("status");
                assertThat(status.path("health").asText()).isEqualTo("Degraded");
                assertThat(world.machineCount()).isEqualTo(1);
                assertThat(world.history()).filteredOn(l -> l.contains("enrolled")).as("enrolled once, by the first server").hasSize(1);
            }
        }
    }
}
