package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code millwright up} as a real process with its embedded PostgreSQL: first start, kill -9, restart, stop. */
class UpProcessTest {
    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void survivesKillNineWithoutLosingAnAcknowledgedWriteAndStopsCleanlyOnSigterm() throws Exception {
        Path data = servers.newDir("up").resolve("data");

        // 1. first start: initdb, migrations, the admin token and the client config
        ServerProcesses.Server first = servers.start(data).awaitUp();
        Path tokenFile = data.resolve("admin.token");
        assertThat(tokenFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        Path config = data.resolve("config.yaml");
        assertThat(config).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(Files.readString(config)).contains("server: " + first.url()).contains("tokenFile: " + tokenFile.toAbsolutePath());
        String token = first.adminToken();
        assertThat(first.call("GET", "/api/v1/whoami", token, null).body()).contains("admin");

        // 2. a write the API acknowledges, then kill -9 at once: no shutdown hook, PostgreSQL is orphaned
        var created = first.call("POST", "/api/v1/tenants", token, """
                {"kind":"Tenant","metadata":{"name":"durable"},"spec":{"displayName":"Survives kill -9"}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        first.kill();
        long orphan = ServerProcesses.postmasterPid(data).orElseThrow(() -> new AssertionError("no postmaster.pid after kill -9"));
        assertThat(ServerProcesses.alive(orphan)).as("PostgreSQL %d outlives its killed JVM", orphan).isTrue();

        // 3. restart on the same data directory: the orphan is shut down, the data and the token are kept
        ServerProcesses.Server second = servers.start(data).awaitUp();
        assertThat(ServerProcesses.alive(orphan)).as("the orphaned PostgreSQL %d was stopped", orphan).isFalse();
        assertThat(ServerProcesses.postmasterPid(data)).isPresent().get().isNotEqualTo(orphan);
        assertThat(second.adminToken()).as("the admin token file is kept while its token works").isEqualTo(token);
        var tenant = second.call("GET", "/api/v1/tenants/durable", token, null);
        assertThat(tenant.statusCode()).as(tenant.body()).isEqualTo(200);
        assertThat(tenant.body()).contains("Survives kill -9");
        assertThat(second.call("GET", "/api/v1/audit/verify", token, null).body()).contains("\"intact\":true");

        // 4. SIGTERM: the shutdown hook stops the server and its PostgreSQL
        long postgres = ServerProcesses.postmasterPid(data).orElseThrow();
        second.stop();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && (ServerProcesses.alive(postgres) || pidFileNamesALiveProcess(data))) {
            Thread.sleep(100);
        }
        assertThat(ServerProcesses.alive(postgres)).as("PostgreSQL %d stopped with its server", postgres).isFalse();
        assertThat(pidFileNamesALiveProcess(data)).as("postmaster.pid is gone or stale").isFalse();
    }

    private static boolean pidFileNamesALiveProcess(Path data) {
        Optional<Long> pid = ServerProcesses.postmasterPid(data);
        return pid.isPresent() && ServerProcesses.alive(pid.get());
    }
}
