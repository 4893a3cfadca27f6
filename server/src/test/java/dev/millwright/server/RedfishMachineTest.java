package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.redfish.TestBmc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Machine whose BMC endpoint is http(s):// is driven over Redfish by the server itself: the machine controller
 * reads its inventory and health from a test BMC over loopback (the DMTF tower mockup: two NVIDIA TU102 GPUs),
 * with the credentials its PlatformSecret holds; a missing secret or refused credentials show on its status.
 */
class RedfishMachineTest {
    private static TestServer server;
    private static TestBmc bmc;

    @BeforeAll
    static void start() {
        bmc = TestBmc.serving(TestBmc.TOWER).start();
        server = TestServer.start(dev.millwright.store.TestDatabases.freshUrl("redfish-machines"));
        create(server, "/api/v1/sites", FleetFixtures.site("lab", "datacenter", "DE"));
        create(server, "/api/v1/platformsecrets", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc-lab\"},\"spec\":{\"data\":{\"username\":\""
                + TestBmc.USER + "\",\"password\":\"" + TestBmc.PASSWORD + "\"}}}");
        create(server, "/api/v1/platformsecrets", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc-wrong\"},\"spec\":{\"data\":{\"username\":\"admin\",\"password\":\"nope\"}}}");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (bmc != null) bmc.close();
    }

    private static String machine(String name, String credentials) {
        return "{\"kind\":\"Machine\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"site\":\"lab\",\"rack\":\"r1\","
                + "\"bmc\":{\"endpoint\":\"" + bmc.url() + "\",\"credentialsRef\":\"" + credentials + "\"}}}";
    }

    @Test
    void theMachineControllerReadsARealBmcsInventoryWithTheSecretsCredentials() {
        create(server, "/api/v1/machines", machine("tower-1", "bmc-lab"));
        JsonNode status = FleetFixtures.awaitObject(server, "/api/v1/machines/tower-1",
                m -> m.path("status").path("inventory").path("gpus").size() == 2, "the tower's inventory over Redfish").path("status");
        assertThat(status.path("inventory").path("gpus").get(0).path("model").asText()).isEqualTo("NVIDIA TU102");
        assertThat(status.path("phase").asText()).isNotEqualTo("Unmanaged");
        assertThat(status.toString()).doesNotContain(TestBmc.PASSWORD);
    }

    @Test
    void aMissingSecretOrRefusedCredentialsShowOnTheMachine() {
        create(server, "/api/v1/machines", machine("tower-nosecret", "bmc-missing"));
        JsonNode missing = FleetFixtures.awaitObject(server, "/api/v1/machines/tower-nosecret",
                m -> m.path("status").path("message").asText().contains("bmc-missing"), "the missing secret named").path("status");
        assertThat(missing.path("message").asText()).contains("credentials bmc-missing");

        create(server, "/api/v1/machines", machine("tower-refused", "bmc-wrong"));
        JsonNode refused = FleetFixtures.awaitObject(server, "/api/v1/machines/tower-refused",
                m -> m.path("status").path("phase").asText().equals("Unreachable"), "refused credentials").path("status");
        assertThat(refused.path("message").asText()).containsIgnoringCase("401");
    }
}
