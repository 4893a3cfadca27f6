package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.FleetFixtures.awaitObject;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.site;
import static dev.millwright.server.FleetFixtures.touch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet controllers observing machines through the digital twin, and the twin's controls: the
 * MachineController reports what the BMC says, faults injected through the API show on the machine, its
 * site, its events and the fleet summary. The twin is still (no driver, no random faults), so nothing
 * happens that a test did not cause. Each test uses a site of its own.
 */
class FleetTwinTest {
    private static TestServer server;
    private static String pat;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/users", ApiFixtures.user("pat"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("automaker", "pat", "practitioner"));
        pat = ApiFixtures.token(server, "pat");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static JsonNode machineWhen(String name, String what, java.util.function.Predicate<JsonNode> status) {
        return awaitObject(server, "/api/v1/machines/" + name, m -> status.test(m.path("status")), "machine " + name + " " + what);
    }

    private static JsonNode observed(String name) {
        return machineWhen(name, "observed", s -> s.has("gpus") && s.path("health").asText().equals("Healthy"));
    }

    private static String fault(String machine, String fault) {
        return Json.string(Json.object().put("machine", machine).put("fault", fault));
    }

    private static List<JsonNode> events(String name) {
        List<JsonNode> out = new ArrayList<>();
        get(server, "/api/v1/events?kind=Machine&name=" + name).path("items").forEach(out::add);
        return out;
    }

    @Test
    void reportsTheInventoryAndHealthTheBmcReports() {
        create(server, "/api/v1/sites", site("obs", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("obs-h100", "obs", "twin://hgx-h100/obs-h100", 8));
        JsonNode m = observed("obs-h100");
        JsonNode s = m.path("status");
        assertThat(s.path("phase").asText()).as("a still twin enrolls machines powered off: %s", s).isEqualTo("Off");
        assertThat(s.path("health").asText()).isEqualTo("Healthy");
        assertThat(s.path("gpus").asText()).isEqualTo("8x H100 80GB");
        assertThat(s.path("gpuCount").asInt()).isEqualTo(8);
        assertThat(s.path("failedGpus").asInt()).isZero();
        assertThat(s.path("inventoryMatches").asBoolean()).isTrue();
        assertThat(s.path("observedGeneration").asLong()).isEqualTo(m.at("/metadata/generation").asLong());
        JsonNode inv = s.path("inventory");
        assertThat(inv.path("gpus")).hasSize(8);
        assertThat(inv.path("gpus")).allSatisfy(g -> {
            assertThat(g.path("model").asText()).isEqualTo("NVIDIA H100 80GB HBM3");
            assertThat(g.path("memoryGiB").asInt()).isEqualTo(80);
            assertThat(g.path("serial").asText()).isNotBlank();
        });
        assertThat(inv.path("cpu").path("cores").asInt()).isPositive();
        assertThat(inv.path("nics")).anySatisfy(n -> assertThat(n.path("kind").asText()).isEqualTo("infiniband"));
        assertThat(inv.path("firmware")).isNotEmpty();

        // the site sums up its machines
        JsonNode site = awaitObject(server, "/api/v1/sites/obs", x -> x.at("/status/machines").asInt() == 1
                && x.at("/status/gpuCount").asInt() == 8, "site obs counts its machine");
        assertThat(site.at("/status/gpus").asText()).isEqualTo("8x H100 80GB");
        assertThat(site.at("/status/healthyMachines").asInt()).isEqualTo(1);
    }

    @Test
    void reportsADeclaredGpuCountTheBmcContradicts() {
        create(server, "/api/v1/sites", site("mismatch", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("mm-n01", "mismatch", "twin://hgx-h200", 4));
        JsonNode m = observed("mm-n01");
        assertThat(m.at("/status/inventoryMatches").asBoolean()).isFalse();
        assertThat(m.at("/status/gpus").asText()).isEqualTo("8x H200 141GB");
        JsonNode event = ApiFixtures.await(() -> Json.MAPPER.valueToTree(events("mm-n01")),
                e -> e.size() > 0, FleetFixtures.WAIT, "an InventoryMismatch event");
        assertThat(event.get(0).path("reason").asText()).isEqualTo("InventoryMismatch");
        assertThat(event.get(0).path("message").asText()).contains("4").contains("8");
    }

    @Test
    void aMachineWithoutAnAdapterOrCredentialsIsUnmanaged() {
        create(server, "/api/v1/sites", site("unmanaged", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("redfish-n01", "unmanaged", "https://10.0.0.1", 8));
        create(server, "/api/v1/machines", machine("ghost-profile", "unmanaged", "twin://nonexistent-profile", -1));
        // an https BMC is driven over Redfish, with the credentials its PlatformSecret holds: without them, not at all
        JsonNode redfish = machineWhen("redfish-n01", "unmanaged", s -> s.path("phase").asText().equals("Unmanaged"));
        assertThat(redfish.at("/status/message").asText()).contains("credentials bmc-unmanaged", "PlatformSecret");
        assertThat(redfish.at("/status/health").asText()).isEqualTo("Unknown");
        assertThat(redfish.at("/status/reason").asText()).isEqualTo("NoCredentials");
        assertThat(redfish.at("/status/gpus").isMissingNode()).isTrue();
        JsonNode ghost = machineWhen("ghost-profile", "unmanaged", s -> s.path("phase").asText().equals("Unmanaged"));
        assertThat(ghost.at("/status/message").asText()).contains("nonexistent-profile").contains("hgx-h100");

        // the twin knows nothing of them: a fault there is a 404, not a 500
        assertError(server.admin("POST", "/api/v1/twin/faults", fault("redfish-n01", "machine-death")), 404, "redfish-n01");
        assertError(server.admin("POST", "/api/v1/twin/faults", fault("ghost-profile", "gpu-xid")), 404);
    }

    @Test
    void aMachineThatDiesIsFailedOnItsStatusInEventsOnItsSiteAndInTheFleet() {
        create(server, "/api/v1/sites", site("death", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("death-n01", "death", "twin://hgx-h100", 8));
        create(server, "/api/v1/machines", machine("death-n02", "death", "twin://hgx-h100", 8));
        observed("death-n01");
        observed("death-n02");
        awaitObject(server, "/api/v1/sites/death", x -> x.at("/status/healthyMachines").asInt() == 2, "both machines healthy");
        JsonNode fleetBefore = get(server, "/api/v1/fleet");
        int failedBefore = fleetBefore.at("/gpus/failed").asInt();

        JsonNode accepted = expect(server.admin("POST", "/api/v1/twin/faults", fault("death-n01", "machine-death")), 202);
        assertThat(accepted.path("machine").asText()).isEqualTo("death-n01");
        assertThat(accepted.path("fault").asText()).isEqualTo("machine-death");
        touch(server, "death-n01", "1");

        JsonNode dead = machineWhen("death-n01", "failed", s -> s.path("phase").asText().equals("Failed"));
        assertThat(dead.at("/status/health").asText()).isEqualTo("Failed");
        assertThat(dead.at("/status/reason").asText()).isEqualTo("MachineDead");
        assertThat(dead.at("/status/failedGpus").asInt()).isEqualTo(8);
        assertThat(dead.at("/status/gpus").asText()).as("what it had is kept").isEqualTo("8x H100 80GB");
        JsonNode event = ApiFixtures.await(() -> Json.MAPPER.valueToTree(events("death-n01")),
                e -> e.findValuesAsText("reason").contains("MachineDead"), FleetFixtures.WAIT, "a MachineDead event");
        assertThat(event).anySatisfy(e -> {
            assertThat(e.path("reason").asText()).isEqualTo("MachineDead");
            assertThat(e.path("type").asText()).isEqualTo("Warning");
            assertThat(e.path("message").asText()).contains("Healthy -> Failed");
        });

        JsonNode site = awaitObject(server, "/api/v1/sites/death", x -> x.at("/status/healthyMachines").asInt() == 1,
                "the site counts one healthy machine");
        assertThat(site.at("/status/machines").asInt()).as("a dead machine is not dropped").isEqualTo(2);
        assertThat(site.at("/status/failedGpus").asInt()).isEqualTo(8);

        JsonNode fleet = get(server, "/api/v1/fleet");
        assertThat(fleet.at("/gpus/failed").asInt()).isEqualTo(failedBefore + 8);
        assertThat(fleet.at("/machines/byPhase/Failed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(fleet.at("/machines/byHealth/Failed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(fleet.at("/gpus/byModel/H100 80GB/failed").asInt()).isGreaterThanOrEqualTo(8);
        assertThat(fleet.at("/gpus/bySite/death/H100 80GB").asInt()).isEqualTo(16);
        JsonNode all = fleet.path("gpus");
        assertThat(all.path("total").asInt()).isEqualTo(all.path("healthy").asInt() + all.path("failed").asInt()
                + all.path("maintenance").asInt() + all.path("unreachable").asInt());

        // a dead machine stays dead: another fault changes nothing, and it is not healthy after a day
        expect(server.admin("POST", "/api/v1/twin/faults", fault("death-n01", "gpu-xid")), 202);
        expect(server.admin("POST", "/api/v1/twin/advance", "{\"seconds\": 86400}"), 200);
        touch(server, "death-n01", "2");
        ApiFixtures.sleep(300);
        assertThat(get(server, "/api/v1/machines/death-n01").at("/status/phase").asText()).isEqualTo("Failed");
    }

    @Test
    void aGpuThatFallsOffTheBusDegradesItsMachine() {
        create(server, "/api/v1/sites", site("xid", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("xid-n01", "xid", "twin://l40s-4x", 4));
        observed("xid-n01");
        expect(server.admin("POST", "/api/v1/twin/faults", fault("xid-n01", "gpu-xid")), 202);
        touch(server, "xid-n01", "1");
        JsonNode m = machineWhen("xid-n01", "degraded", s -> s.path("health").asText().equals("Degraded"));
        assertThat(m.at("/status/failedGpus").asInt()).isEqualTo(1);
        assertThat(m.at("/status/reason").asText()).isEqualTo("GpuFault");
        assertThat(m.at("/status/message").asText()).contains("Xid 79");
        assertThat(m.at("/status/phase").asText()).as("a degraded machine is still up").isNotIn("Failed", "Unreachable");
        ApiFixtures.await(() -> Json.MAPPER.valueToTree(events("xid-n01")),
                e -> e.findValuesAsText("reason").contains("GpuFault"), FleetFixtures.WAIT, "a GpuFault event");
        JsonNode site = awaitObject(server, "/api/v1/sites/xid", x -> x.at("/status/failedGpus").asInt() == 1, "site counts the GPU");
        assertThat(site.at("/status/healthyMachines").asInt()).isZero();
    }

    @Test
    void aBmcThatStopsAnsweringMakesItsMachineUnreachableUntilItAnswersAgain() {
        create(server, "/api/v1/sites", site("bmc", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("bmc-n01", "bmc", "twin://hgx-h100", 8));
        observed("bmc-n01");
        expect(server.admin("POST", "/api/v1/twin/faults", fault("bmc-n01", "bmc-unreachable")), 202);
        touch(server, "bmc-n01", "1");
        JsonNode m = machineWhen("bmc-n01", "unreachable", s -> s.path("phase").asText().equals("Unreachable"));
        assertThat(m.at("/status/reason").asText()).isEqualTo("BmcUnreachable");
        assertThat(m.at("/status/gpus").asText()).isEqualTo("8x H100 80GB");

        expect(server.admin("POST", "/api/v1/twin/advance", "{\"seconds\": 86400}"), 200);
        touch(server, "bmc-n01", "2");
        machineWhen("bmc-n01", "back", s -> s.path("health").asText().equals("Healthy"));
        ApiFixtures.await(() -> Json.MAPPER.valueToTree(events("bmc-n01")),
                e -> e.findValuesAsText("reason").contains("Recovered"), FleetFixtures.WAIT, "a Recovered event");
    }

    @Test
    void noticesAFaultByPollingWithoutAnyWrite() {
        create(server, "/api/v1/sites", site("poll", "edge", "DE"));
        create(server, "/api/v1/machines", machine("poll-n01", "poll", "twin://l40s-4x", 4));
        observed("poll-n01");
        expect(server.admin("POST", "/api/v1/twin/faults", fault("poll-n01", "slow-node")), 202);
        // no touch: the controller reads each machine's health every 10 s
        JsonNode m = machineWhen("poll-n01", "slow", s -> s.path("reason").asText().equals("SlowNode"));
        assertThat(m.at("/status/health").asText()).isEqualTo("Degraded");
        assertThat(m.at("/status/failedGpus").asInt()).isZero();
    }

    @Test
    void aSiteStopsCountingAMachineThatMovedAway() {
        create(server, "/api/v1/sites", site("move-from", "datacenter", "DE"));
        create(server, "/api/v1/sites", site("move-to", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("move-n01", "move-from", "twin://hgx-h100", 8));
        awaitObject(server, "/api/v1/sites/move-from", x -> x.at("/status/machines").asInt() == 1, "move-from counts it");
        expect(server.call("PATCH", "/api/v1/machines/move-n01", server.adminToken(), "{\"spec\":{\"site\":\"move-to\"}}",
                ApiFixtures.MERGE_PATCH), 200);
        awaitObject(server, "/api/v1/sites/move-to", x -> x.at("/status/machines").asInt() == 1, "move-to counts it");
        ApiFixtures.await(() -> get(server, "/api/v1/sites/move-from"), x -> x.at("/status/machines").asInt() == 0,
                Duration.ofSeconds(5), "move-from no longer counts it");
    }

    @Test
    void refusesBadFaultRequests() {
        create(server, "/api/v1/sites", site("badfault", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("bf-n01", "badfault", "twin://hgx-h100", 8));
        observed("bf-n01");
        assertError(server.admin("POST", "/api/v1/twin/faults", fault("bf-n01", "meteor-strike")), 422, "machine-death");
        assertError(server.admin("POST", "/api/v1/twin/faults", fault("bf-n01", "")), 422);
        assertError(server.admin("POST", "/api/v1/twin/faults", "{\"fault\": \"gpu-xid\"}"), 422, "machine");
        assertError(server.admin("POST", "/api/v1/twin/faults", fault("no-such-machine", "machine-death")), 404, "no-such-machine");
        assertError(server.admin("POST", "/api/v1/twin/faults", "{not json"), 400);
        assertError(server.call("POST", "/api/v1/twin/faults", pat, fault("bf-n01", "machine-death")), 403);
        assertError(server.call("POST", "/api/v1/twin/faults", null, fault("bf-n01", "machine-death")), 401);
        assertError(server.call("POST", "/api/v1/twin/advance", pat, "{\"seconds\": 60}"), 403);
        assertError(server.call("GET", "/api/v1/twin", pat, null), 403);
        // none of them hurt the machine
        touch(server, "bf-n01", "1");
        ApiFixtures.sleep(300);
        assertThat(get(server, "/api/v1/machines/bf-n01").at("/status/health").asText()).isEqualTo("Healthy");
    }

    @Test
    void advancesTheTwinsClockAndAuditsIt() {
        Instant before = Instant.parse(get(server, "/api/v1/twin").path("clock").asText());
        JsonNode advanced = expect(server.admin("POST", "/api/v1/twin/advance", "{\"seconds\": 3600}"), 200);
        Instant after = Instant.parse(get(server, "/api/v1/twin").path("clock").asText());
        // other tests may advance it too, but never backwards and never by less than asked
        assertThat(Duration.between(before, after)).isGreaterThanOrEqualTo(Duration.ofHours(1));
        assertThat(Instant.parse(advanced.path("clock").asText())).isAfterOrEqualTo(before.plus(Duration.ofHours(1)));

        JsonNode twin = get(server, "/api/v1/twin");
        assertThat(twin.path("historyDigest").asText()).isNotBlank();
        assertThat(twin.path("machines").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(twin.path("recent").isArray()).isTrue();

        for (String bad : List.of("{\"seconds\": -1}", "{\"seconds\": \"3600\"}", "{}", "{\"seconds\": 1e12}")) {
            assertError(server.admin("POST", "/api/v1/twin/advance", bad), 400, "seconds");
        }
        JsonNode audit = get(server, "/api/v1/audit?kind=Twin&limit=100").path("items");
        assertThat(audit).anySatisfy(r -> {
            assertThat(r.path("verb").asText()).isEqualTo("advance");
            assertThat(r.path("actor").asText()).isEqualTo("user:admin");
        });
    }
}
