package dev.millwright.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL for tests: one embedded server per test JVM, started on first use, and a fresh database
 * for every caller, so test classes never see each other's rows.
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestDatabases() {
    }

    /** The shared server, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory("millwright-test-pg");
                // throwaway data: fsync off for speed; tests of durability start a durable server of their own
                server = EmbeddedPostgresServer.start(dir.resolve("pg"), false);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    /** The JDBC URL of a new, empty database (not yet migrated). */
    public static String freshUrl(String hint) {
        String name = "t" + COUNTER.incrementAndGet() + "_" + hint.toLowerCase().replaceAll("[^a-z0-9]", "").substring(0, Math.min(20, hint.replaceAll("[^A-Za-z0-9]", "").length()));
        server().createDatabase(name);
        return server().jdbcUrl(name);
    }

    /** A new database, migrated and ready. Close it at the end of the test. */
    public static Database fresh(String hint) {
        return Database.connect(freshUrl(hint), "postgres", null);
    }
}
