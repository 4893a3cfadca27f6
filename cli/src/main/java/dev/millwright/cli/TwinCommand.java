package dev.millwright.cli;

import dev.millwright.infra.Health;
import dev.millwright.infra.twin.FaultRates;
import dev.millwright.infra.twin.GateRates;
import dev.millwright.infra.twin.Twin;
import dev.millwright.infra.twin.TwinDriver;
import dev.millwright.infra.twin.TwinServer;
import dev.millwright.server.ServerConfig;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The digital twin in a process of its own. */
@Command(name = "twin", description = "Run the digital twin in a process of its own.", subcommands = TwinCommand.Serve.class)
final class TwinCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("usage: millwright twin serve [--port PORT] [--speed S] [--seed N] [--no-faults] [--no-ready-nodes]");
        return ExitCodes.USAGE;
    }

    @Command(name = "serve", description = "Serve a digital twin to servers started with `up --twin-url`: its machines outlive"
            + " any server (kill one, start another, the world is where it got to), and replicas share one world.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", description = "HTTP port (default ${DEFAULT-VALUE}; 0 picks a free one)", defaultValue = "8090")
        int port;

        @Option(names = "--host", description = "address to listen on (default ${DEFAULT-VALUE}); the twin has no authentication",
                defaultValue = "127.0.0.1")
        String host;

        @Option(names = "--speed", description = "simulated seconds per real second (default ${DEFAULT-VALUE}; 0 stops its clock)", defaultValue = "60")
        double speed;

        @Option(names = "--seed", description = "seed of faults and telemetry: the same seed gives the same history (default ${DEFAULT-VALUE})", defaultValue = "42")
        long seed;

        @Option(names = "--faults", description = "inject random faults and burn-in failures at realistic rates (default ${DEFAULT-VALUE})",
                defaultValue = "true", negatable = true, fallbackValue = "true")
        boolean faults;

        @Option(names = "--ready-nodes", description = "machines enroll as running Kubernetes nodes, as the demo's factory expects;"
                + " machines from the loading dock always arrive bare (default ${DEFAULT-VALUE})", defaultValue = "true", negatable = true, fallbackValue = "true")
        boolean readyNodes;

        @Override
        public Integer call() throws Exception {
            try {
                new ServerConfig.TwinSettings(seed, speed, faults, readyNodes); // the same bounds as up's --twin-speed
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "error: " + e.getMessage());
            }
            if (port < 0 || port > 65535) throw new CliException(ExitCodes.USAGE, "error: --port must be between 0 and 65535, got " + port);
            Twin twin = Twin.builder().seed(seed).epoch(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                    .faults(faults ? FaultRates.REALISTIC : FaultRates.NONE).gateFailures(faults ? GateRates.REALISTIC : GateRates.NONE)
                    .enrolledAs(readyNodes ? Health.NodeState.READY : Health.NodeState.NONE).build();
            TwinServer server;
            try {
                server = TwinServer.start(twin, speed, new InetSocketAddress(host, port));
            } catch (java.io.UncheckedIOException e) {
                throw new CliException(ExitCodes.ERROR, "error: cannot start: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            }
            TwinDriver driver = speed > 0 ? TwinDriver.start(twin, speed) : null;
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (driver != null) driver.close();
                server.close();
                stopped.countDown();
            }, "shutdown"));
            System.out.println("Millwright twin is up at " + server.url() + " (speed " + speed + ", seed " + seed + ")");
            System.out.println("  servers:  ./millwright up --twin-url " + server.url());
            System.out.println("  status:   curl " + server.url() + "/v1/status");
            System.out.println("Press Ctrl-C to stop; the simulated world ends with this process.");
            System.out.flush();
            stopped.await();
            return ExitCodes.OK;
        }
    }
}
