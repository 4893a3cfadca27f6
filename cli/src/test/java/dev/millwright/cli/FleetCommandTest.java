package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The fleet views of the CLI ({@code fleet}, {@code get sites|machines}, {@code describe machine}) against a real
 * server whose still twin holds two H100 nodes at one site (one of them dead) and an L40S node at another; and
 * the twin options of {@code up}.
 */
class FleetCommandTest {
    private static TestServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start();
        post("/api/v1/sites", site("cli-munich", "datacenter"));
        post("/api/v1/sites", site("cli-edge", "edge"));
        post("/api/v1/machines", machine("cli-h100-a", "cli-munich", "twin://hgx-h100"));
        post("/api/v1/machines", machine("cli-h100-b", "cli-munich", "twin://hgx-h100"));
        post("/api/v1/machines", machine("cli-l40s", "cli-edge", "twin://l40s-4x"));
        for (String m : List.of("cli-h100-a", "cli-h100-b", "cli-l40s")) awaitStatus(m, s -> s.path("health").asText().equals("Healthy"));
        assertThat(server.admin("POST", "/api/v1/twin/faults", "{\"machine\":\"cli-h100-b\",\"fault\":\"machine-death\"}").statusCode())
                .isEqualTo(202);
        assertThat(server.call("PATCH", "/api/v1/machines/cli-h100-b", server.adminToken(), "{\"metadata\":{\"labels\":{\"t\":\"1\"}}}",
                "application/merge-patch+json").statusCode()).isEqualTo(200);
        awaitStatus("cli-h100-b", s -> s.path("phase").asText().equals("Failed"));
        awaitSite("cli-munich", s -> s.path("healthyMachines").asInt() == 1 && s.path("gpuCount").asInt() == 16);
        awaitSite("cli-edge", s -> s.path("gpuCount").asInt() == 4);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void fleetPrintsGpusByModelWithAnAllRowThenBySiteAndMachinesByPhase() {
        Cli.Result r = admin("fleet");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = lines(r.out());
        assertThat(lines.get(0).split("\\s+")).containsExactly("GPU", "MODEL", "TOTAL", "HEALTHY", "FAILED", "MAINTENANCE", "UNREACHABLE");
        assertThat(row(lines, "H100 80GB")).containsExactly("16", "8", "8", "0", "0");
        assertThat(row(lines, "L40S")).containsExactly("4", "4", "0", "0", "0");
        assertThat(row(lines, "all")).containsExactly("20", "12", "8", "0", "0");
        assertThat(r.out()).contains("SITE").contains("cli-edge").contains("4x L40S");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cli-munich").endsWith("16x H100 80GB"));
        assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("Failed", "1"));
        assertThat(lines).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("all", "3"));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void fleetAsJsonIsTheApisSummary() throws Exception {
        Cli.Result r = admin("fleet", "-o", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode f = Json.MAPPER.readTree(r.out());
        assertThat(f.at("/gpus/total").asInt()).isEqualTo(20);
        assertThat(f.at("/gpus/failed").asInt()).isEqualTo(8);
        assertThat(f.at("/machines/total").asInt()).isEqualTo(3);
    }

    @Test
    void fleetIsForPlatformAdminsOnly() {
        assertThat(server.admin("POST", "/api/v1/users", "{\"kind\":\"User\",\"metadata\":{\"name\":\"cli-viewer\"},\"spec\":{}}").statusCode())
                .isEqualTo(201);
        HttpResponse<String> issued = server.admin("POST", "/api/v1/tokens", "{\"user\":\"cli-viewer\"}");
        String token = Json.MAPPER.valueToTree(parse(issued.body())).path("token").asText();
        Cli.Result r = Cli.run("fleet", "--server", server.url(), "--token", token);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.err()).contains("cli-viewer").contains("platform admins");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void getSitesShowsTheirGpusAndHealthyMachines() {
        Cli.Result r = admin("get", "sites");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = lines(r.out());
        assertThat(lines.get(0).split("\\s+")).containsExactly("NAME", "KIND", "REGION", "JURISDICTION", "MACHINES", "GPUS", "HEALTHY", "AGE");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cli-munich ").contains(" datacenter ").contains(" DE ")
                .contains(" 2 ").contains(" 16x H100 80GB ").contains(" 1 "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cli-edge ").contains(" 4x L40S "));
    }

    @Test
    void getMachinesShowsGpusPhaseAndHealth() {
        Cli.Result r = admin("get", "machines");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = lines(r.out());
        assertThat(lines.get(0).split("\\s+")).containsExactly("NAME", "SITE", "RACK", "GPUS", "PHASE", "LIFECYCLE", "HEALTH", "DRIFT", "AGE");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cli-h100-b ").contains(" 8x H100 80GB ").contains(" Failed "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cli-l40s ").contains(" 4x L40S ").contains(" Healthy "));
    }

    @Test
    void describeMachineShowsItsInventoryAndEvents() {
        Cli.Result r = admin("describe", "machine", "cli-h100-b");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("inventory:").contains("NVIDIA H100 80GB HBM3").contains("infiniband").contains("firmware:");
        assertThat(r.out()).contains("events:").contains("MachineDead");
    }

    @Test
    void upTakesTheTwinsSpeedSeedAndFaults() {
        UpCommand defaults = new UpCommand();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.twinSpeed).isEqualTo(60.0);
        assertThat(defaults.twinSeed).isEqualTo(42L);
        assertThat(defaults.twinFaults).isTrue();
        assertThat(defaults.noDemo).isFalse();

        UpCommand still = new UpCommand();
        new CommandLine(still).parseArgs("--twin-speed", "0", "--twin-seed", "7", "--no-twin-faults", "--no-demo");
        assertThat(still.twinSpeed).isZero();
        assertThat(still.twinSeed).isEqualTo(7L);
        assertThat(still.twinFaults).isFalse();
        assertThat(still.noDemo).isTrue();

        UpCommand fast = new UpCommand();
        new CommandLine(fast).parseArgs("--twin-speed=3600", "--twin-faults");
        assertThat(fast.twinSpeed).isEqualTo(3600.0);
        assertThat(fast.twinFaults).isTrue();
    }

    @Test
    void upRefusesANegativeTwinSpeedBeforeStartingAnything() {
        Path data = tmp.resolve("data");
        Cli.Result r = Cli.run("up", "--twin-speed=-1", "--port", "0", "--data", data.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("twin speed must be from 0 to 86400");
        Cli.Result tooFast = Cli.run("up", "--twin-speed=Infinity", "--port", "0", "--data", data.toString());
        assertThat(tooFast.exit()).as(tooFast.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(data).doesNotExist();
        Cli.Result notANumber = Cli.run("up", "--twin-seed", "many", "--port", "0", "--data", data.toString());
        assertThat(notANumber.exit()).as(notANumber.toString()).isNotZero();
        assertThat(notANumber.err()).contains("--twin-seed");
    }

    // ---- helpers

    private static Cli.Result admin(String... args) {
        return Cli.asAdmin(server, args);
    }

    /** The cells after a table row's first cell, which may hold spaces, such as "H100 80GB". */
    private static List<String> row(List<String> lines, String first) {
        for (String l : lines) {
            if (l.startsWith(first + "  ")) return List.of(l.substring(first.length()).trim().split("\\s+"));
        }
        throw new AssertionError("no row " + first + " in\n" + String.join("\n", lines));
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    private static void post(String path, String body) {
        HttpResponse<String> r = server.admin("POST", path, body);
        assertThat(r.statusCode()).as("%s %s", path, r.body()).isEqualTo(201);
    }

    private static String site(String name, String kind) {
        return "{\"kind\":\"Site\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"kind\":\"" + kind
                + "\",\"region\":\"r\",\"jurisdiction\":\"DE\"}}";
    }

    private static String machine(String name, String site, String endpoint) {
        return "{\"kind\":\"Machine\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"site\":\"" + site
                + "\",\"rack\":\"r01\",\"bmc\":{\"endpoint\":\"" + endpoint + "\"}}}";
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    private static JsonNode get(String path) {
        HttpResponse<String> r = server.admin("GET", path, null);
        assertThat(r.statusCode()).as("%s %s", path, r.body()).isEqualTo(200);
        return parse(r.body());
    }

    private static void awaitStatus(String machine, java.util.function.Predicate<JsonNode> until) {
        await("/api/v1/machines/" + machine, until);
    }

    private static void awaitSite(String site, java.util.function.Predicate<JsonNode> until) {
        await("/api/v1/sites/" + site, until);
    }

    private static void await(String path, java.util.function.Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode last = get(path);
        while (!until.test(last.path("status"))) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting on " + path + "; last seen " + last);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = get(path);
        }
    }
}
