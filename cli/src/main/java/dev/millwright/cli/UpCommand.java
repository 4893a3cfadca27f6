package dev.millwright.cli;

import dev.millwright.server.MillwrightServer;
import dev.millwright.server.ServerConfig;
import java.nio.file.Path;
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
        ServerConfig config;
        try {
            config = ServerConfig.defaults(data.toAbsolutePath()).withPort(port).withHost(host)
                    .withDatabase(dbUrl, dbUser, password).withDemo(!noDemo)
                    .withLeaseDuration(java.time.Duration.ofSeconds(leaseSeconds))
                    .withTwin(new ServerConfig.TwinSettings(twinSeed, twinSpeed, twinFaults, true));
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
        System.out.println("  client:      ./millwright get tenants   (reads " + config.dataDir().resolve("config.yaml") + ")");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return e.getMessage() + (t != e ? " (" + t.getMessage() + ")" : "");
    }
}
