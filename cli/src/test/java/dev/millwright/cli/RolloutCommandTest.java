package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.twin.Twin;
import dev.millwright.resource.Json;
import dev.millwright.server.ServerConfig;
import dev.millwright.server.TestServer;
import dev.millwright.store.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code millwright rollout} against a real server whose still twin enrolls machines as ready nodes and is moved on
 * by the test: three environments of three nodes each, on template gpu 1.0.0, each test moving one of them.
 */
class RolloutCommandTest {
    private static final String TENANT = "roll-co";
    private static TestServer server;
    private static Twin twin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestServer.config(TestDatabases.freshUrl("cli-rollout")).withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES));
        twin = server.server().twin();
        StringBuilder world = new StringBuilder("""
                kind: Tenant
                metadata: {name: roll-co}
                spec: {}
                ---
                kind: Site
                metadata: {name: roll-site}
                spec: {kind: datacenter, region: eu, jurisdiction: DE}
                ---
                kind: Cluster
                metadata: {name: roll-c1}
                spec: {site: roll-site}
                """);
        for (String version : List.of("1.0.0", "1.1.0", "1.2.0")) {
            String driver = version.equals("1.2.0") ? "580.105.08" : "580.95.05";
            String cuda = version.equals("1.0.0") ? "12.8.0" : "12.9.1";
            world.append("""
                    ---
                    kind: StackTemplate
                    metadata: {name: gpu-%s}
                    spec: {template: gpu, version: %s, layers: [{pack: ubuntu, version: "24.04"}, {pack: gpu-driver, version: %s},
                      {pack: cuda, version: %s}, {pack: kubernetes, version: "1.33"}]}
                    """.formatted(version.replace('.', '-'), version, driver, cuda));
        }
        for (String env : List.of("serve", "stage", "train", "saved")) {
            for (int i = 1; i <= 3; i++) {
                world.append("""
                        ---
                        kind: Machine
                        metadata: {name: %1$s-n%2$d}
                        spec: {site: roll-site, rack: r01, bmc: {endpoint: "twin://hgx-h100/%1$s-n%2$d", credentialsRef: bmc-roll}, inventory: {gpuCount: 8}}
                        """.formatted(env, i));
            }
            world.append("""
                    ---
                    kind: NodePool
                    metadata: {name: %1$s-pool}
                    spec: {cluster: roll-c1, role: worker, machines: [%1$s-n1, %1$s-n2, %1$s-n3]}
                    ---
                    kind: Environment
                    metadata: {name: %1$s, tenant: roll-co}
                    spec: {stage: prod, template: {name: gpu, version: 1.0.0}, nodePools: [%1$s-pool]}
                    """.formatted(env));
        }
        Path file = Files.createTempFile("rollout-world", ".yaml");
        Files.writeString(file, world);
        Cli.Result applied = admin("apply", "-f", file.toString());
        assertThat(applied.exit()).as(applied.toString()).isZero();
        for (String env : List.of("serve", "stage", "train", "saved")) {
            awaitAdvancing(() -> get("/api/v1/tenants/roll-co/environments/" + env).path("status"),
                    s -> s.path("phase").asText().equals("Ready") && s.path("nodesInSync").asInt() == 3, Duration.ofMinutes(2),
                    "environment " + env + " ready on 1.0.0");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void startThenStatusShowsTheCanaryThenWatchFollowsItToCompletedWithEveryNode() throws Exception {
        Cli.Result started = admin("rollout", "start", "serve", "-t", TENANT, "--to", "gpu@1.1.0", "--max-unavailable", "2");
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(started.out()).isEqualTo("rollout serve-gpu-1-1-0 started: environment serve -> gpu@1.1.0, "
                + "canary 1, max unavailable 2, max surge 0, failure budget 1\n");

        // the canary is one node, alone in its wave, and the only one out of service
        String canary = awaitStatus("serve-gpu-1-1-0", out -> out.contains("phase:       Canary") && nodeRows(out).stream()
                .anyMatch(r -> r[1].equals("canary") && !r[2].equals("Pending")), "the canary under way");
        List<String[]> waves = waveRows(canary);
        assertThat(waves.get(0)).startsWith("canary", "1", "0", "0", "-");
        assertThat(waves.stream().mapToInt(w -> Integer.parseInt(w[1])).sum()).isEqualTo(3);
        List<String[]> nodes = nodeRows(canary);
        assertThat(nodes).hasSize(3);
        assertThat(nodes.stream().filter(r -> r[1].equals("canary"))).hasSize(1);
        assertThat(nodes.stream().filter(r -> !r[1].equals("canary"))).allSatisfy(r -> assertThat(r[2]).isEqualTo("Pending"));
        assertThat(canary).startsWith("rollout serve-gpu-1-1-0: environment serve -> gpu@1.1.0\n").contains("progress:    0/3 upgraded");

        Cli.Result result = watchWhileAdvancing(withAdmin("rollout", "status", "serve-gpu-1-1-0", "-t", TENANT, "--watch"));
        assertThat(result.exit()).as(result.toString()).isZero();
        // not a terminal: a block each time the rollout changed, never the same block twice in a row
        List<String> blocks = List.of(result.out().split("\n(?=rollout serve-gpu-1-1-0: )"));
        assertThat(blocks.size()).as(result.out()).isGreaterThan(2);
        for (int i = 1; i < blocks.size(); i++) assertThat(blocks.get(i)).isNotEqualTo(blocks.get(i - 1));
        String last = lastBlock(result.out(), "serve-gpu-1-1-0");
        assertThat(last).contains("phase:       Completed", "message:     3 of 3 nodes upgraded", "progress:    3/3 upgraded (3 Upgraded)");
        assertThat(waveRows(last).get(0)[4]).isEqualTo("passed:");
        assertThat(nodeRows(last)).extracting(r -> r[0]).containsExactly("serve-n1", "serve-n2", "serve-n3");
        assertThat(nodeRows(last)).allSatisfy(r -> assertThat(r[2]).isEqualTo("Upgraded"));

        Cli.Result json = admin("rollout", "status", "serve-gpu-1-1-0", "-t", TENANT, "-o", "json");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode status = Json.tree(json.out()).path("status");
        assertThat(status.path("phase").asText()).isEqualTo("Completed");
        assertThat(status.path("progress").asText()).isEqualTo("3/3");
        // a watch of a finished rollout prints it once and exits at once
        Cli.Result again = admin("rollout", "status", "serve-gpu-1-1-0", "-t", TENANT, "--watch");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).isEqualTo(last);
    }

    @Test
    void aPlanSavedWithPlanUpgradeIsWhatRolloutStartPlanExecutes() {
        Cli.Result saved = admin("plan", "upgrade", "saved", "-t", TENANT, "--to", "gpu@1.1.0", "--parallel", "3", "--save", "saved-cuda");
        assertThat(saved.exit()).as(saved.toString()).isZero();
        assertThat(saved.out()).contains("Estimate: 3 worker nodes, 3 at a time");
        assertThat(saved.err()).contains("rollout start --plan saved-cuda");
        assertThat(get("/api/v1/tenants/" + TENANT + "/upgradeplans/saved-cuda").path("status").path("phase").asText()).isEqualTo("Planned");

        Cli.Result started = admin("rollout", "start", "--plan", "saved-cuda", "-t", TENANT);
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(started.out()).startsWith("rollout saved-gpu-1-1-0 started: environment saved -> gpu@1.1.0");
        assertThat(get("/api/v1/tenants/" + TENANT + "/rollouts/saved-gpu-1-1-0").path("spec").path("plan").asText()).isEqualTo("saved-cuda");
    }

    @Test
    void pauseAndResumeChangeThePhaseAndTheWatchOfAnAbortedRolloutExitsNine() throws Exception {
        Cli.Result started = admin("rollout", "start", "stage", "-t", TENANT, "--to", "gpu@1.1.0", "--name", "stage-up");
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(started.out()).startsWith("rollout stage-up started: ");
        awaitStatus("stage-up", out -> out.contains("phase:       Canary"), "the canary");

        Cli.Result paused = admin("rollout", "pause", "stage-up", "-t", TENANT);
        assertThat(paused.exit()).as(paused.toString()).isZero();
        assertThat(paused.out()).startsWith("rollout stage-up paused: phase Paused (paused: ");
        // the canary, already out, finishes; no other node starts
        String held = awaitStatus("stage-up", out -> nodeRows(out).stream().anyMatch(r -> r[1].equals("canary") && r[2].equals("Upgraded")),
                "the canary upgraded while paused");
        for (int i = 0; i < 20; i++) {
            twin.advance(Duration.ofMinutes(1));
            Thread.sleep(20);
        }
        held = admin("rollout", "status", "stage-up", "-t", TENANT).out();
        assertThat(held).contains("phase:       Paused");
        assertThat(nodeRows(held).stream().filter(r -> !r[1].equals("canary"))).as(held).allSatisfy(r -> assertThat(r[2]).isEqualTo("Pending"));

        Cli.Result resumed = admin("rollout", "resume", "stage-up", "-t", TENANT);
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).startsWith("rollout stage-up resumed: phase Progressing (1 of 3 upgraded, ");

        Cli.Result aborted = admin("rollout", "abort", "stage-up", "-t", TENANT);
        assertThat(aborted.exit()).as(aborted.toString()).isZero();
        assertThat(aborted.out()).startsWith("rollout stage-up aborted: phase Abort");
        Cli.Result watched = watchWhileAdvancing(withAdmin("rollout", "status", "stage-up", "-t", TENANT, "-w"));
        assertThat(watched.exit()).as(watched.toString()).isEqualTo(ExitCodes.ROLLOUT_NOT_COMPLETED);
        String last = lastBlock(watched.out(), "stage-up");
        assertThat(last).contains("phase:       Aborted", "message:     every changed node runs the previous version again");
        assertThat(nodeRows(last)).allSatisfy(r -> assertThat(r[2]).isIn("RolledBack", "Pending"));
        assertThat(nodeRows(last)).anySatisfy(r -> assertThat(r).startsWith("stage-n1", "canary", "RolledBack"));

        Cli.Result finished = admin("rollout", "pause", "stage-up", "-t", TENANT);
        assertThat(finished.exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(finished.err()).contains("rollout stage-up has already finished (Aborted): nothing to pause");
        Cli.Result missing = admin("rollout", "abort", "nothing-here", "-t", TENANT);
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(admin("rollout", "status", "nothing-here", "-t", TENANT, "--watch").exit()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void aBadDriverHaltsTheCanaryAndStartWatchEndsThereWithTheReason() throws Exception {
        twin.breakVersion("gpu-driver", "580.105.08");
        Cli.Result r = watchWhileAdvancing(withAdmin("rollout", "start", "train", "-t", TENANT, "--to", "gpu@1.2.0", "--max-unavailable", "34%", "--watch"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.ROLLOUT_NOT_COMPLETED);
        assertThat(r.out()).startsWith("rollout train-gpu-1-2-0 started: environment train -> gpu@1.2.0, canary 1, max unavailable 34%,");
        String last = lastBlock(r.out(), "train-gpu-1-2-0");
        // it ends once the canary is back in service, not at the halt while it still rolls back
        assertThat(last).contains("phase:       Halted", "message:     wave 0 (canary) failed its gate: the canary failed: ", "Xid 79");
        assertThat(waveRows(last).get(0)).startsWith("canary", "1", "0", "1", "failed:");
        assertThat(nodeRows(last)).anySatisfy(row -> assertThat(row).startsWith(row[0], "canary", "RolledBack"));
    }

    @Test
    void aStartTheServerRefusesPrintsTheFieldWithItsReasonAndExitsSix() {
        Cli.Result noRoom = admin("rollout", "start", "serve", "-t", TENANT, "--to", "gpu@1.2.0", "--name", "no-room", "--max-unavailable", "0");
        assertThat(noRoom.exit()).as(noRoom.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(noRoom.err()).contains("spec.maxUnavailable", "no node could ever be taken out");
        assertThat(noRoom.out()).isEmpty();

        Cli.Result lots = admin("rollout", "start", "serve", "-t", TENANT, "--to", "gpu@1.2.0", "--name", "lots", "--max-surge", "lots");
        assertThat(lots.exit()).as(lots.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(lots.err()).contains("spec.maxSurge", "percentage such as 25%");

        Cli.Result older = admin("rollout", "start", "serve", "-t", TENANT, "--to", "gpu@0.9.0");
        assertThat(older.exit()).as(older.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(older.err()).contains("spec.template");

        Cli.Result malformed = admin("rollout", "start", "serve", "-t", TENANT, "--to", "latest");
        assertThat(malformed.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.err()).contains("TEMPLATE@VERSION");
        Cli.Result bare = Cli.run("rollout");
        assertThat(bare.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bare.err()).contains("Usage: millwright rollout", "start", "status", "pause", "resume", "abort");
        assertThat(admin("rollout", "status", "x", "-t", TENANT, "-o", "yaml").exit()).isEqualTo(ExitCodes.USAGE);
    }

    // ---- helpers

    private static Cli.Result admin(String... args) {
        return Cli.run(withAdmin(args));
    }

    private static String[] withAdmin(String... args) {
        return Cli.against(server, server.adminToken(), args);
    }

    /** Runs a CLI command that follows a rollout in a thread of its own, moving the twin on until it ends. */
    private static Cli.Result watchWhileAdvancing(String... args) throws InterruptedException {
        Cli.Capture output = new Cli.Capture();
        AtomicReference<Cli.Result> result = new AtomicReference<>();
        Thread watcher = new Thread(() -> result.set(Cli.run(output, args)), "cli-rollout-watch");
        watcher.setDaemon(true);
        watcher.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (watcher.isAlive() && System.nanoTime() < deadline) {
            twin.advance(Duration.ofSeconds(30));
            Thread.sleep(50);
        }
        watcher.join(Duration.ofSeconds(5).toMillis());
        assertThat(watcher.isAlive()).as("the watch ends with the rollout; printed:\n" + output.out() + output.err()).isFalse();
        return result.get();
    }

    /** The last status block a watch printed. */
    private static String lastBlock(String out, String rollout) {
        return out.substring(out.lastIndexOf("rollout " + rollout + ": "));
    }

    /** {@code rollout status} until its output satisfies {@code until}, moving the twin on between reads. */
    private static String awaitStatus(String rollout, Predicate<String> until, String what) {
        return awaitAdvancing(() -> {
            Cli.Result r = admin("rollout", "status", rollout, "-t", TENANT);
            assertThat(r.exit()).as(r.toString()).isZero();
            return r.out();
        }, until, Duration.ofSeconds(5), "rollout " + rollout + " " + what);
    }

    private static <T> T awaitAdvancing(Supplier<T> read, Predicate<T> until, Duration step, String what) {
        return server.awaitAdvancing(read, until, step, what);
    }

    private static JsonNode get(String path) {
        HttpResponse<String> r = server.admin("GET", path, null);
        assertThat(r.statusCode()).as("%s %s", path, r.body()).isEqualTo(200);
        return Json.tree(r.body());
    }

    /** The rows of the table whose header starts with {@code header}, split on whitespace, up to the next blank line. */
    private static List<String[]> rows(String block, String header) {
        List<String[]> out = new ArrayList<>();
        boolean in = false;
        for (String line : block.split("\n")) {
            if (line.startsWith(header)) {
                in = true;
            } else if (in && line.isBlank()) {
                break;
            } else if (in) {
                out.add(line.trim().split("\\s+"));
            }
        }
        return out;
    }

    private static List<String[]> waveRows(String block) {
        return rows(block, "WAVE ");
    }

    private static List<String[]> nodeRows(String block) {
        return rows(block, "NODE ");
    }
}
