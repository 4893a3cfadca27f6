package dev.millwright.server;

import dev.millwright.secrets.Keyring;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run a Millwright server; validated once, when built.
 *
 * @param port 0 for any free port
 * @param host the address to listen on; loopback by default, so a fresh server is not exposed by accident
 * @param dataDir where the embedded PostgreSQL keeps its data, and where the admin token and client config go
 * @param dbUrl an external PostgreSQL; null to run the embedded one
 * @param demo whether to load the demo factory (later issues fill it; start empty with false)
 * @param leaseDuration how long the controller lease lasts without renewal
 * @param resync how often controllers reconcile every object without a change
 * @param feedCapacity changes kept in memory for watchers
 * @param feedRetention changes kept in the database for watches that resume
 * @param twin how the digital twin, the default infrastructure, runs
 * @param secretKeys the keys that seal secret values; null to use {@code <dataDir>/secret.key}, generated on first start
 */
public record ServerConfig(int port, String host, Path dataDir, String dbUrl, String dbUser, String dbPassword,
                           boolean demo, Duration leaseDuration, Duration resync, int feedCapacity, long feedRetention,
                           Clock clock, TwinSettings twin, Keyring secretKeys) {
    /**
     * How the digital twin runs: inside the server, or in its own process ({@code millwright twin serve}), where it
     * outlives the server and several replicas share it.
     *
     * @param speed simulated seconds per real second; 0 leaves the twin still until something advances it
     * @param faults whether the twin injects random faults at realistic rates
     * @param readyNodes machines enroll as running Kubernetes nodes (Ubuntu 24.04, Kubernetes 1.33) rather than
     *                   bare and powered off, until provisioning brings them there itself
     * @param remote the twin served in another process; null to run one inside the server. When given, the other
     *               settings are that process's own and are ignored here
     */
    public record TwinSettings(long seed, double speed, boolean faults, boolean readyNodes, java.net.URI remote) {
        public TwinSettings {
            if (!(speed >= 0 && speed <= MAX_SPEED)) {
                throw new IllegalArgumentException("twin speed must be from 0 to " + (long) MAX_SPEED + " (a simulated day per second), got " + speed);
            }
        }

        /** A twin inside the server. */
        public TwinSettings(long seed, double speed, boolean faults, boolean readyNodes) {
            this(seed, speed, faults, readyNodes, null);
        }

        /** The twin served at {@code url} by another process. */
        public static TwinSettings at(java.net.URI url) {
            return new TwinSettings(0, 0, false, false, java.util.Objects.requireNonNull(url, "url"));
        }

        /** Fastest pacing: beyond it one step of the driver would hold the twin for long. */
        public static final double MAX_SPEED = 86_400;

        /** A still twin without faults, advanced by hand: for tests. */
        public static final TwinSettings MANUAL = new TwinSettings(1, 0, false, false);

        /** A still twin whose machines enroll as ready nodes: for tests of what runs on nodes. */
        public static final TwinSettings MANUAL_READY_NODES = new TwinSettings(1, 0, false, true);
    }

    /** With the secret key of the data directory. */
    public ServerConfig(int port, String host, Path dataDir, String dbUrl, String dbUser, String dbPassword, boolean demo,
                        Duration leaseDuration, Duration resync, int feedCapacity, long feedRetention, Clock clock, TwinSettings twin) {
        this(port, host, dataDir, dbUrl, dbUser, dbPassword, demo, leaseDuration, resync, feedCapacity, feedRetention, clock, twin, null);
    }

    /** Without twin settings: a still twin advanced by hand. */
    public ServerConfig(int port, String host, Path dataDir, String dbUrl, String dbUser, String dbPassword, boolean demo,
                        Duration leaseDuration, Duration resync, int feedCapacity, long feedRetention, Clock clock) {
        this(port, host, dataDir, dbUrl, dbUser, dbPassword, demo, leaseDuration, resync, feedCapacity, feedRetention, clock,
                TwinSettings.MANUAL);
    }

    public static final int DEFAULT_PORT = 8080;

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(resync, "resync");
        Objects.requireNonNull(clock, "clock");
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("db-url must start with jdbc:postgresql:, got " + dbUrl);
        }
        if (feedCapacity < 16) throw new IllegalArgumentException("feedCapacity must be at least 16");
        if (feedRetention < feedCapacity) throw new IllegalArgumentException("feedRetention must be at least feedCapacity");
        Objects.requireNonNull(twin, "twin");
    }

    /** The defaults of {@code millwright up}. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(DEFAULT_PORT, "127.0.0.1", dataDir, null, null, null, true,
                Duration.ofSeconds(15), Duration.ofMinutes(5), 65_536, 1_000_000, Clock.systemUTC(), new TwinSettings(42, 60, true, true));
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(port, host, dataDir, dbUrl, dbUser, dbPassword, demo, leaseDuration, resync, feedCapacity, feedRetention, clock, twin, secretKeys);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(port, host, dataDir, dbUrl, dbUser, dbPassword, demo, leaseDuration, resync, feedCapacity, feedRetention, clock, twin, secretKeys);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(port, host, dataDir, url, user, password, demo, leaseDuration, resync, feedCapacity, feedRetention, clock, twin, secretKeys);
    }

    public ServerConfig withDemo(boolean demo) {
        return new ServerConfig(port, host, dataDir, dbUrl, dbUser, dbPassword, demo, leaseDuration, resync, feedCapacity, feedRetention, clock, twin, secretKeys);
    }

    public ServerConfig withTwin(TwinSettings twin) {
        return new ServerConfig(port, host, dataDir, dbUrl, dbUser, dbPassword, demo, leaseDuration, resync, feedCapacity, feedRetention, clock, twin, secretKeys);
    }

    /** Seals secret values with {@code keys} (from {@code --secret-key-file} or {@code MILLWRIGHT_SECRET_KEY}). */
    public ServerConfig withSecretKeys(Keyring keys) {
        return new ServerConfig(port, host, dataDir, dbUrl, dbUser, dbPassword, demo, leaseDuration, resync, feedCapacity, feedRetention, clock, twin, keys);
    }

    public ServerConfig withLeaseDuration(Duration leaseDuration) {
        return new ServerConfig(port, host, dataDir, dbUrl, dbUser, dbPassword, demo, leaseDuration, resync, feedCapacity, feedRetention, clock, twin, secretKeys);
    }
}
