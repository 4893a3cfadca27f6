package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.store.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One server per data directory: a second server on a directory in use fails to start, naming the directory,
 * and leaves the first one serving; once the first has closed, the directory can be used again.
 */
class DataDirectoryLockTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A test server's settings (as {@link TestServer} has them) on {@code dataDir} and {@code dbUrl}. */
    private static ServerConfig config(Path dataDir, String dbUrl) {
        return new ServerConfig(0, "127.0.0.1", dataDir, dbUrl, "postgres", null, false,
                Duration.ofSeconds(2), Duration.ofMinutes(10), 1024, 100_000, Clock.systemUTC());
    }

    private static int ready(MillwrightServer s) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(s.url() + "/readyz")).timeout(Duration.ofSeconds(10)).GET().build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aSecondServerOnADataDirectoryInUseFailsNamingItAndTheDirectoryIsFreeAfterTheFirstCloses() throws Exception {
        Path dataDir = Files.createTempDirectory("millwright-lock");
        String dbUrl = TestDatabases.freshUrl("lock");
        MillwrightServer first = MillwrightServer.start(config(dataDir, dbUrl));
        try {
            assertThatThrownBy(() -> MillwrightServer.start(config(dataDir, dbUrl)).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dataDir.toString());
            assertThat(ready(first)).as("the first server still serves").isEqualTo(200);
        } finally {
            first.close();
        }
        try (MillwrightServer again = MillwrightServer.start(config(dataDir, dbUrl))) {
            assertThat(ready(again)).isEqualTo(200);
            String admin = Files.readString(again.adminTokenFile()).trim();
            HttpRequest whoami = HttpRequest.newBuilder(URI.create(again.url() + "/api/v1/whoami"))
                    .header("Authorization", "Bearer " + admin).GET().build();
            HttpResponse<String> r = CLIENT.send(whoami, HttpResponse.BodyHandlers.ofString());
            assertThat(expect(r, 200).get("identity").asText()).isEqualTo("user:admin");
        }
    }

    /**
     * The refused server closes its own channel to {@code .lock}; POSIX record locks belong to the process, so
     * closing any descriptor of the file drops the first server's lock too, and another process (another
     * {@code millwright up}) could then take the directory while the first server still runs on it.
     */
    @Test
    void aRefusedSecondServerInTheSameProcessLeavesTheFirstServersLockInPlace() throws Exception {
        Path dataDir = Files.createTempDirectory("millwright-lock");
        String dbUrl = TestDatabases.freshUrl("lock");
        try (MillwrightServer first = MillwrightServer.start(config(dataDir, dbUrl))) {
            assertThat(lockedByAnotherProcess(dataDir.resolve(".lock"))).as("locked before the refused start").isTrue();
            assertThatThrownBy(() -> MillwrightServer.start(config(dataDir, dbUrl)).close()).hasMessageContaining(dataDir.toString());
            assertThat(lockedByAnotherProcess(dataDir.resolve(".lock"))).as("locked after the refused start").isTrue();
        }
    }

    /** Whether a separate JVM fails to lock {@code file}: the view of a second {@code millwright up}. */
    private static boolean lockedByAnotherProcess(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the lock probe finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(out).as("probe output").isIn("locked", "free");
        return out.equals("locked");
    }

    /** Run in a child JVM: prints whether the file is locked by another process. */
    public static final class LockProbe {
        public static void main(String[] args) throws IOException {
            try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                System.out.println(c.tryLock() == null ? "locked" : "free");
            }
        }
    }
}
