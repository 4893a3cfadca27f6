package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.Operation;
import dev.millwright.infra.twin.Twin;
import dev.millwright.infra.twin.TwinServer;
import dev.millwright.resource.Json;
import dev.millwright.store.TestDatabases;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of a real {@code millwright up} process in the middle of a dock batch. The machines are a twin
 * served by this JVM ({@code up --twin-url}), so the world outlives the control plane as hardware does and goes on
 * while no server runs; a new process on the same database and data directory finishes the batch. No machine repeats
 * a step it completed, none is lost: the twin's own record of what it was asked says so.
 */
class DockKillTest {
    private static final int MACHINES = 12;
    /** What the twin is asked for each machine of the batch, once each. */
    private static final List<String> STEPS = List.of("power-on", "check:inspect", "check:dcgm-r3", "check:nvlink", "check:infiniband",
            "check:nccl", "check:stress", "install", "install:kubernetes@1.33.4");

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void aServerKilledMidBatchIsRestartedAndFinishesItWithoutRepeatingAStepOrLosingAMachine() throws Exception {
        Twin twin = Twin.builder().seed(9).build();
        try (TwinServer world = TwinServer.start(twin, 0, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Path data = servers.newDir("dock-kill");
            String[] flags = {"--db-url", TestDatabases.freshUrl("dock-kill"), "--db-user", "postgres", "--twin-url", world.url().toString()};
            ServerProcesses.Server first = servers.start(data, flags).awaitUp();
            assertThat(first.output()).contains("twin:        " + world.url() + " (its own process)");
            String token = first.adminToken();
            created(first.call("POST", "/api/v1/sites", token, """
                    {"kind":"Site","metadata":{"name":"muc"},"spec":{"kind":"datacenter","region":"eu","jurisdiction":"DE"}}"""));
            created(first.call("POST", "/api/v1/clusters", token, """
                    {"kind":"Cluster","metadata":{"name":"c1"},"spec":{"site":"muc"}}"""));
            created(first.call("POST", "/api/v1/nodepools", token, """
                    {"kind":"NodePool","metadata":{"name":"new"},"spec":{"cluster":"c1","role":"worker","machines":[]}}"""));
            Path manifest = data.resolve("rack-a.csv");
            StringBuilder csv = new StringBuilder("name,bmc,credentials,rack,position\n");
            for (int i = 1; i <= MACHINES; i++) csv.append("n%d,twin://hgx-h100/n%d,,r%d,%d%n".formatted(i, i, i % 3, i));
            Files.writeString(manifest, csv);
            Cli.Result imported = Cli.run("dock", "import", manifest.toString(), "--site", "muc", "--pool", "new", "--gpu-model", "H100 80GB",
                    "--gpu-count", "8", "--per-bmc-network", "4", "--per-rack", "3", "--server", first.url(), "--token", token);
            assertThat(imported.exit()).as(imported.toString()).isZero();

            // mid-batch: some machines in burn-in, some steps done, some asked for and still running in the world
            advanceUntil(twin, first, token, st -> st.path("counts").path("Validating").asInt() >= 3, "machines in burn-in");
            Map<String, Long> doneBeforeKill = count(twin, Operation.State.SUCCEEDED);
            long runningAtKill = count(twin, Operation.State.RUNNING).values().stream().mapToLong(Long::longValue).sum();
            first.kill(); // SIGKILL: no shutdown hook, no goodbye to the database or the twin
            assertThat(first.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            twin.advance(Duration.ofMinutes(20)); // the world goes on while no server runs

            long restarted = System.nanoTime();
            ServerProcesses.Server second = servers.start(data, flags).awaitUp();
            JsonNode done = advanceUntil(twin, second, token, st -> st.has("finishedAt"), "the batch finished after the restart");
            System.out.printf("kill -9 with %s completed and %d in flight; the restarted server finished the batch %d ms after it was started%n",
                    doneBeforeKill, runningAtKill, Duration.ofNanos(System.nanoTime() - restarted).toMillis());

            assertThat(doneBeforeKill.getOrDefault("check:inspect", 0L)).as("inspections completed before the kill: %s", doneBeforeKill).isGreaterThanOrEqualTo(3);
            assertThat(runningAtKill).as("steps in flight at the kill").isPositive();
            assertThat(done.path("phase").asText()).isEqualTo("Completed");
            assertThat(done.path("joined").asInt()).as("no machine lost").isEqualTo(MACHINES);
            for (int i = 1; i <= MACHINES; i++) {
                Map<String, Long> byKind = twin.operations("n" + i).stream()
                        .collect(Collectors.groupingBy(Operation::kind, TreeMap::new, Collectors.counting()));
                assertThat(byKind).as("n%d: every step asked once", i).containsOnlyKeys(STEPS).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
            }
            JsonNode pool = Json.tree(second.call("GET", "/api/v1/nodepools/new", token, null).body());
            assertThat(pool.path("spec").path("machines")).hasSize(MACHINES);
        }
    }

    @Test
    void upRefusesToStartWhenNoTwinAnswersAtTheTwinUrl() throws Exception {
        int nobody = ServerProcesses.freePort();
        ServerProcesses.Server s = servers.start(servers.newDir("no-twin"), "--db-url", TestDatabases.freshUrl("no-twin"),
                "--db-user", "postgres", "--twin-url", "http://127.0.0.1:" + nobody);
        assertThat(s.process.waitFor()).isEqualTo(ExitCodes.ERROR);
        assertThat(s.output()).contains("error: cannot start: no twin answers at http://127.0.0.1:" + nobody);
    }

    /** Moves the twin on a minute at a time while the server works, until the batch's status passes {@code until}. */
    private static JsonNode advanceUntil(Twin twin, ServerProcesses.Server s, String token, Predicate<JsonNode> until, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode status = Json.object();
        while (System.nanoTime() < deadline) {
            var r = s.call("GET", "/api/v1/dockbatches/rack-a", token, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            status = Json.tree(r.body()).path("status");
            if (until.test(status)) return status;
            twin.advance(Duration.ofMinutes(1));
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; last seen " + status);
    }

    /** The batch's operations in the twin in {@code state}, by kind. */
    private static Map<String, Long> count(Twin twin, Operation.State state) {
        List<Operation> all = new ArrayList<>();
        for (int i = 1; i <= MACHINES; i++) {
            try {
                all.addAll(twin.operations("n" + i));
            } catch (dev.millwright.infra.UnreachableException e) {
                // not enrolled yet
            }
        }
        return all.stream().filter(o -> o.state() == state).collect(Collectors.groupingBy(Operation::kind, TreeMap::new, Collectors.counting()));
    }

    private static void created(java.net.http.HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
