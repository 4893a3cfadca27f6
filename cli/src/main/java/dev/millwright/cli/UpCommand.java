package dev.millwright.cli;

import dev.millwright.secrets.Keyring;
import dev.millwright.server.MillwrightServer;
import dev.millwright.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a Millwright replica until it is stopped. */
@Command(name = "up", description = "Start the Millwright server (API, controllers, and an embedded PostgreSQL unless --db-url is given).")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (default ${DEFAULT-VALUE}; 0 picks a free one)", defaultValue = "8080")
    int port;

    @Option(names = "--host", description = "address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface)", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--data", description = "data directory: embedded PostgreSQL, admin token, client config (default ${DEFAULT-VALUE})", defaultValue = "millwright-data")
    Path data;

    @Option(names = "--db-url", description = "external PostgreSQL, e.g. jdbc:postgresql://db:5432/millwright; several replicas may share it")
    String dbUrl;

    @Option(names = "--db-user", description = "PostgreSQL user for --db-url")
    String dbUser;

    @Option(names = "--db-password-env", description = "name of the environment variable holding the PostgreSQL password")
    String dbPasswordEnv;

    @Option(names = "--no-demo", description = "start empty, without the demo factory")
    boolean noDemo;

    @Option(names = "--twin-speed", description = "simulated seconds per real second of the digital twin (default ${DEFAULT-VALUE}; 0 stops its clock)", defaultValue = "60")
    double twinSpeed;

    @Option(names = "--twin-seed", description = "seed of the twin's faults and telemetry: the same seed gives the same history (default ${DEFAULT-VALUE})", defaultValue = "42")
    long twinSeed;

    @Option(names = "--twin-faults", description = "inject random faults at realistic rates (default ${DEFAULT-VALUE})", defaultValue = "true", negatable = true, fallbackValue = "true")
    boolean twinFaults;

    @Option(names = "--twin-url", paramLabel = "URL", description = "use the twin served by `millwright twin serve` at URL instead of one"
            + " inside this server: it outlives the server and replicas share it (the --twin-* settings are then that process's)")
    java.net.URI twinUrl;

    @Option(names = "--secret-key-file", paramLabel = "PATH", description = "the keys that seal secret values: ID=BASE64 lines of 32-byte keys,"
            + " the primary first (or one BASE64 key); else $" + SECRET_KEY_ENV + ", else <data>/secret.key, generated on first start")
    Path secretKeyFile;

    /** The environment variable that may hold the secret keys, in the key file's form. */
    static final String SECRET_KEY_ENV = "MILLWRIGHT_SECRET_KEY";

    @Option(names = "--lease-seconds", description = "controller lease duration; failover takes about this long (default ${DEFAULT-VALUE})", defaultValue = "15")
    int leaseSeconds;

    @Override
    public Integer call() throws Exception {
        String password = null;
        if (dbPasswordEnv != null) {
            password = System.getenv(dbPasswordEnv);
            if (password == null) throw new CliException(ExitCodes.USAGE, "environment variable " + dbPasswordEnv + " is not set");
        }
        if (leaseSeconds < 1) throw new CliException(ExitCodes.USAGE, "--lease-seconds must be at least 1");
        Keyring keys = secretKeys(secretKeyFile, System.getenv());
        ServerConfig config;
        try {
            config = ServerConfig.defaults(data.toAbsolutePath()).withPort(port).withHost(host)
                    .withDatabase(dbUrl, dbUser, password).withDemo(!noDemo)
                    .withLeaseDuration(java.time.Duration.ofSeconds(leaseSeconds))
                    .withTwin(twinUrl != null ? ServerConfig.TwinSettings.at(twinUrl) : new ServerConfig.TwinSettings(twinSeed, twinSpeed, twinFaults, true))
                    .withSecretKeys(keys);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "error: " + e.getMessage());
        }
        MillwrightServer server;
        try {
            server = MillwrightServer.start(config);
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.ERROR, "error: cannot start: " + rootMessage(e));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("Millwright " + MillwrightServer.VERSION + " is up at " + server.url());
        System.out.println("  data:        " + config.dataDir());
        System.out.println("  database:    " + (dbUrl == null ? "embedded PostgreSQL in " + config.dataDir().resolve("postgres") : dbUrl));
        System.out.println("  admin token: " + server.adminTokenFile() + " (mode 0600)");
        System.out.println("  secret key:  " + keySource(server, keys));
        if (twinUrl != null) System.out.println("  twin:        " + twinUrl + " (its own process)");
        System.out.println("  client:      ./millwright get tenants   (reads " + config.dataDir().resolve("config.yaml") + ")");
        System.out.println("  console:     " + server.url() + "/   (log in with the admin token)");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * The keys from {@code --secret-key-file}, else from {@value #SECRET_KEY_ENV}, else null (the server uses the
     * data directory's key file). A malformed key stops {@code up} here, naming the flag or the variable.
     */
    static Keyring secretKeys(Path file, Map<String, String> env) {
        String fromEnv = env.get(SECRET_KEY_ENV);
        if (file != null && fromEnv != null) {
            throw new CliException(ExitCodes.USAGE, "error: the secret keys are given twice, by --secret-key-file and by "
                    + SECRET_KEY_ENV + "; give one");
        }
        try {
            if (file != null) {
                warnIfOthersCanRead(file);
                return Keyring.read(file, "--secret-key-file " + file);
            }
            return fromEnv == null ? null : Keyring.parse(fromEnv, SECRET_KEY_ENV);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CliException(ExitCodes.USAGE, "error: " + e.getMessage());
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            var perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                System.err.println("warning: --secret-key-file " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
                        + "); chmod 600 it");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // unreadable files are reported when they are read; non-POSIX file systems have no modes to check
        }
    }

    /** Where the keys came from, and for a generated key file, that it needs a backup. Never the keys. */
    private String keySource(MillwrightServer server, Keyring keys) {
        if (keys == null) {
            return server.secretKeyFile() + " (mode 0600" + (server.secretKeyGenerated()
                    ? "; generated now: back it up apart from the database, without it secrets cannot be read)" : ")");
        }
        return (secretKeyFile != null ? secretKeyFile.toString() : "$" + SECRET_KEY_ENV)
                + " (primary key " + keys.primaryId() + ", " + keys.ids().size() + " in the ring)";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return e.getMessage() + (t != e ? " (" + t.getMessage() + ")" : "");
    }
}
