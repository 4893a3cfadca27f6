package dev.millwright.server;

import dev.millwright.api.ApiContext;
import dev.millwright.api.ApiRoutes;
import dev.millwright.auth.Authenticator;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerManager;
import dev.millwright.control.tenancy.ProjectController;
import dev.millwright.control.fleet.ClusterController;
import dev.millwright.control.fleet.EnvironmentController;
import dev.millwright.control.fleet.MachineController;
import dev.millwright.control.fleet.SiteController;
import dev.millwright.control.tenancy.TenantController;
import dev.millwright.infra.Adapters;
import dev.millwright.infra.Health;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.redfish.RedfishInfrastructure;
import dev.millwright.infra.twin.FaultRates;
import dev.millwright.infra.twin.RemoteTwin;
import dev.millwright.infra.twin.Twin;
import dev.millwright.infra.twin.TwinDriver;
import dev.millwright.kinds.Kinds;
import dev.millwright.secrets.Keyring;
import dev.millwright.secrets.SecretReader;
import dev.millwright.store.AuditLog;
import dev.millwright.store.Database;
import dev.millwright.store.EmbeddedPostgresServer;
import dev.millwright.store.Events;
import dev.millwright.store.Leases;
import dev.millwright.store.PrincipalDirectory;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.Secrets;
import dev.millwright.store.Tokens;
import dev.millwright.tenancy.TenancyKinds;
import dev.millwright.watch.Change;
import dev.millwright.watch.ChangeFeed;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Millwright replica: the store, the change feed, the controllers (run while this replica holds the
 * lease), and the HTTP API. Several replicas may share one external PostgreSQL.
 */
public final class MillwrightServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MillwrightServer.class);
    public static final String VERSION = "0.1.0";
    /** Kinds whose changes can change someone's roles. */
    private static final Set<String> IDENTITY_KINDS = Set.of(TenancyKinds.TENANT, TenancyKinds.PROJECT,
            TenancyKinds.USER, TenancyKinds.SERVICE_ACCOUNT);
    /** Jetty threads: one per open watch, plus request handling. */
    private static final int MAX_THREADS = 600;

    private final ServerConfig config;
    private EmbeddedPostgresServer embedded;
    private Database db;
    private ResourceStore store;
    private ChangeFeed feed;
    private ControllerManager controllers;
    private Twin twin;
    private TwinDriver twinDriver;
    private RemoteTwin remoteTwin;
    private ScheduledExecutorService housekeeping;
    private Javalin http;
    private Path adminTokenFile;
    private Bootstrap.SecretKeyFile secretKeyFile;
    private Secrets secrets;
    private Thread identityWatcher;
    private java.nio.channels.FileChannel lockChannel;
    private volatile boolean running;

    private MillwrightServer(ServerConfig config) {
        this.config = config;
    }

    /** Starts a replica; when it returns the API is serving and the admin token file exists. */
    public static MillwrightServer start(ServerConfig config) {
        return start(config, null);
    }

    /**
     * Starts a replica acting on an existing world: the control plane restarts, the hardware (the twin) does
     * not, as when a real server is killed. For tests of crash recovery.
     */
    public static MillwrightServer start(ServerConfig config, Twin world) {
        MillwrightServer s = new MillwrightServer(config);
        s.twin = world;
        try {
            s.boot();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void boot() {
        running = true;
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
        }
        lockDataDirectory();
        String url = config.dbUrl();
        String user = config.dbUser();
        if (url == null) {
            embedded = EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"));
            url = embedded.jdbcUrl();
            user = "postgres";
        }
        db = Database.connect(url, user, config.dbPassword());
        store = new ResourceStore(db, config.clock());
        AuditLog audit = new AuditLog(db);
        Events events = new Events(db, config.clock(), 50, Duration.ofHours(24), 100_000);
        Tokens tokens = new Tokens(db, config.clock());
        feed = ChangeFeed.start(db, config.feedCapacity());
        Authenticator authenticator = new Authenticator(tokens, new PrincipalDirectory(db, store));
        adminTokenFile = Bootstrap.ensureAdmin(store, tokens, config.dataDir());
        Keyring keys = config.secretKeys();
        if (keys == null) {
            secretKeyFile = Bootstrap.ensureSecretKey(config.dataDir());
            keys = secretKeyFile.keys();
            if (config.dbUrl() != null) {
                log.warn("secret values are sealed with the key in {}; replicas sharing this database must all be given the same key"
                        + " (--secret-key-file or MILLWRIGHT_SECRET_KEY)", secretKeyFile.file());
            }
        }
        secrets = new Secrets(db, store, keys, config.clock());
        log.info("secret values are sealed with key {} ({} key(s) in the ring)", keys.primaryId(), keys.ids().size());

        // the digital twin is the world until real adapters are configured: inside this server, or in a process of its own
        ServerConfig.TwinSettings ts = config.twin();
        Infrastructure twinPort;
        if (ts.remote() != null) {
            remoteTwin = RemoteTwin.connect(ts.remote());
            twinPort = remoteTwin;
            log.info("the digital twin is the one served at {}", ts.remote());
        } else {
            if (twin == null) twin = Twin.builder().seed(ts.seed()).epoch(config.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .faults(ts.faults() ? FaultRates.REALISTIC : FaultRates.NONE)
                    .gateFailures(ts.faults() ? dev.millwright.infra.twin.GateRates.REALISTIC : dev.millwright.infra.twin.GateRates.NONE)
                    .enrolledAs(ts.readyNodes() || config.demo() ? Health.NodeState.READY : Health.NodeState.NONE).build();
            if (ts.speed() > 0) twinDriver = TwinDriver.start(twin, ts.speed());
            twinPort = twin;
        }

        // machines whose BMC is http(s):// are driven over Redfish, with the credentials their PlatformSecret holds
        Infrastructure world = new Adapters(twinPort, new RedfishInfrastructure(new BmcConnector(secrets), twinPort.clock()));

        String identity = identity();
        List<Controller> list = List.of(new TenantController(), new ProjectController(), new MachineController(world),
                new SiteController(), new ClusterController(), new EnvironmentController(world),
                new dev.millwright.control.fleet.SharedPoolController(world),
                new dev.millwright.control.catalog.StackTemplateController(),
                new dev.millwright.control.workload.WorkloadController(world), new dev.millwright.control.sched.FleetScheduler(),
                new dev.millwright.control.rollout.RolloutController(world), new dev.millwright.control.rollout.UpgradePlanController(),
                new dev.millwright.control.vulns.ExposureController(), new dev.millwright.control.policy.PolicyController(),
                new dev.millwright.control.provision.DockController(world), new dev.millwright.control.provision.Day2Controller(world));
        controllers = new ControllerManager(store, feed, events, new Leases(db), config.clock(), identity,
                config.leaseDuration(), config.resync(), list);
        controllers.start();

        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                if (!controllers.isLeader()) return;
                feed.compact(config.feedRetention());
                events.purge();
            } catch (RuntimeException e) {
                log.warn("housekeeping failed: {}", e.toString());
            }
        }, 1, 1, TimeUnit.MINUTES);

        identityWatcher = new Thread(() -> invalidateOnIdentityChanges(authenticator), "identity-watcher");
        identityWatcher.setDaemon(true);
        identityWatcher.start();

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        Gauge.builder("millwright_feed_revision", feed, ChangeFeed::head).description("newest revision read from the change feed").register(metrics);
        Gauge.builder("millwright_watch_streams", ApiRoutes::openWatches).description("open watch streams").register(metrics);
        Gauge.builder("millwright_controller_leader", controllers, c -> c.isLeader() ? 1 : 0).description("1 while this replica runs the controllers").register(metrics);
        controllers.stats().forEach((name, s) -> {
            Gauge.builder("millwright_controller_queue_depth", s, x -> x.queueDepth()).tag("controller", name).register(metrics);
            io.micrometer.core.instrument.FunctionCounter.builder("millwright_controller_reconciles", s, x -> x.reconciles()).tag("controller", name).register(metrics);
            io.micrometer.core.instrument.FunctionCounter.builder("millwright_controller_errors", s, x -> x.errors()).tag("controller", name).register(metrics);
        });

        ApiContext api = new ApiContext(Kinds.registry(), store, feed, audit, events, tokens, authenticator,
                config.clock(), controllers::isLeader, identity, secrets);
        FleetMetrics fleetMetrics = new FleetMetrics(store, config.clock(), metrics, world);
        ApiRoutes routes = new ApiRoutes(api, metrics, fleetMetrics::refresh, () -> fleetMetrics.history().json(), VERSION, twin);
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                fleetMetrics.sample(); // for the console's charts, whoever scrapes or not
            } catch (RuntimeException e) {
                log.warn("fleet sample failed: {}", e.toString());
            }
        }, 0, FleetHistory.EVERY_SECONDS, TimeUnit.SECONDS);
        http = Javalin.create(cfg -> {
            routes.register(cfg);
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 8);
            pool.setName("http");
            cfg.jetty.threadPool = pool;
        });
        http.start(config.host(), config.port());
        writeClientConfig();
        if (config.demo()) {
            try {
                DemoFactory.load(url(), Files.readString(adminTokenFile).trim());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the admin token to load the demo", e);
            }
        }
        log.info("Millwright {} serving {} as {}", VERSION, url(), identity);
    }

    /**
     * Holds {@code <data>/.lock} while running: a second server on the same directory would otherwise take its
     * PostgreSQL for an orphan and stop it. The operating system drops the lock when a process dies, even
     * by kill -9, so a restart after a crash is never blocked.
     */
    private void lockDataDirectory() {
        try {
            lockChannel = java.nio.channels.FileChannel.open(config.dataDir().resolve(".lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            if (lockChannel.tryLock() == null) {
                lockChannel.close();
                lockChannel = null;
                throw new IllegalStateException("another millwright server is running on " + config.dataDir());
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // not closed: on Linux closing any channel of the file drops this process's lock, the other server's too
            lockChannel = null;
            throw new IllegalStateException("another millwright server in this process uses " + config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the data directory " + config.dataDir(), e);
        }
    }

    private void invalidateOnIdentityChanges(Authenticator authenticator) {
        ChangeFeed.Watch watch = feed.watch(feed.head());
        while (running) {
            try {
                for (Change c : watch.next(Duration.ofSeconds(1))) {
                    if (IDENTITY_KINDS.contains(c.key().kind())) authenticator.invalidate();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                watch = feed.watch(feed.head());
                authenticator.invalidate();
            }
        }
    }

    private void writeClientConfig() {
        try {
            Bootstrap.writePrivate(config.dataDir().resolve("config.yaml"),
                    "# written by millwright up; the CLI reads it when run from this directory\n"
                            + "server: " + url() + "\n"
                            + "tokenFile: " + adminTokenFile.toAbsolutePath() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The port the API listens on. */
    public int port() {
        return http.port();
    }

    /** The base URL of the API, such as {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + port();
    }

    public Path adminTokenFile() {
        return adminTokenFile;
    }

    /**
     * Every route the HTTP server answers, as {@code "METHOD /path/{param}"}, read from Javalin's router: what
     * the tenant isolation review checks one by one, so that a route added without a case fails the build.
     */
    java.util.SortedSet<String> routes() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        http.unsafe.internalRouter.allHttpHandlers().forEach(e -> out.add(e.endpoint.method.name() + " " + e.endpoint.path));
        return out;
    }

    /**
     * The data directory's secret key file when the keys were not given in the config (then {@code up} names it),
     * else null.
     */
    public Path secretKeyFile() {
        return secretKeyFile == null ? null : secretKeyFile.file();
    }

    /** Whether this start generated {@link #secretKeyFile()}. */
    public boolean secretKeyGenerated() {
        return secretKeyFile != null && secretKeyFile.generated();
    }

    /** How server-side code reads secret values (the Redfish adapter's BMC passwords); never exposed over HTTP. */
    public SecretReader secrets() {
        return secrets;
    }

    public boolean isLeader() {
        return controllers != null && controllers.isLeader();
    }

    /** The digital twin behind the infrastructure port; null when it runs in its own process. */
    public Twin twin() {
        return twin;
    }

    public Database database() {
        return db;
    }

    @Override
    public void close() {
        running = false;
        if (http != null) http.stop();
        if (identityWatcher != null) identityWatcher.interrupt();
        if (housekeeping != null) housekeeping.shutdownNow();
        if (twinDriver != null) twinDriver.close();
        if (controllers != null) controllers.close();
        if (remoteTwin != null) remoteTwin.close();
        if (feed != null) feed.close();
        if (store != null) store.close();
        if (db != null) db.close();
        if (embedded != null) embedded.close();
        if (lockChannel != null) {
            try {
                lockChannel.close();
            } catch (IOException e) {
                log.warn("could not release the data directory lock: {}", e.toString());
            }
        }
    }
}
