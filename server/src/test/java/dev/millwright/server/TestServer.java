package dev.millwright.server;

import dev.millwright.store.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real Millwright server for tests: its own fresh database on the shared embedded PostgreSQL, a random
 * loopback port, a short controller lease, and a small HTTP client.
 */
public final class TestServer implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final MillwrightServer server;
    private final String adminToken;

    private TestServer(MillwrightServer server) {
        this.server = server;
        try {
            this.adminToken = Files.readString(server.adminTokenFile()).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestServer start() {
        return start(TestDatabases.freshUrl("api"));
    }

    /** A replica on the given database, so that several can share one. */
    public static TestServer start(String dbUrl) {
        return start(config(dbUrl));
    }

    /** A server with a config of the test's own, such as {@code config(url).withDemo(true)}. */
    public static TestServer start(ServerConfig config) {
        return new TestServer(MillwrightServer.start(config));
    }

    /** A server acting on an existing twin: a restart of the control plane while the world goes on. */
    public static TestServer start(ServerConfig config, dev.millwright.infra.twin.Twin world) {
        return new TestServer(MillwrightServer.start(config, world));
    }

    /**
     * What tests run with: a fresh data directory, the given database, no demo, a short lease, and a still
     * twin advanced by hand ({@link ServerConfig.TwinSettings#MANUAL}).
     */
    public static ServerConfig config(String dbUrl) {
        try {
            Path dataDir = Files.createTempDirectory("millwright-test-data");
            return new ServerConfig(0, "127.0.0.1", dataDir, dbUrl, "postgres", null, false,
                    Duration.ofSeconds(2), Duration.ofMinutes(10), 1024, 100_000, Clock.systemUTC(), ServerConfig.TwinSettings.MANUAL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MillwrightServer server() {
        return server;
    }

    public String url() {
        return server.url();
    }

    public String adminToken() {
        return adminToken;
    }

    public HttpResponse<String> call(String method, String path, String token, String body) {
        return call(method, path, token, body, "application/json");
    }

    /** Sends one request; {@code token} and {@code body} may be null. */
    public HttpResponse<String> call(String method, String path, String token, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> admin(String method, String path, String body) {
        return call(method, path, adminToken, body);
    }

    @Override
    public void close() {
        server.close();
    }

    /** Reads until {@code until} holds, moving this server's twin on by {@code step} between reads; 30 s at most. */
    public <T> T awaitAdvancing(java.util.function.Supplier<T> read, java.util.function.Predicate<T> until, Duration step, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        T last = read.get();
        while (!until.test(last)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "; last seen " + last);
            server.twin().advance(step);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = read.get();
        }
        return last;
    }
}
