package dev.millwright.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real {@code millwright up} processes for a test, started with this JVM's class path (the cli module's surefire
 * does not use a manifest-only jar, so {@code java.class.path} is complete). Register with
 * {@code @RegisterExtension}: after each test every process it started is killed, with the embedded PostgreSQL a
 * killed process leaves behind, and when the test failed their output is printed.
 */
final class ServerProcesses implements AfterTestExecutionCallback, AfterEachCallback {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long a server gets to print that it is up: first start runs initdb and the migrations. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final List<Server> servers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private Path logs;

    /** One {@code up} child process and its output file. */
    static final class Server {
        final Path dataDir;
        final Path log;
        final int port;
        final Process process;

        private Server(Path dataDir, Path log, int port, Process process) {
            this.dataDir = dataDir;
            this.log = log;
            this.port = port;
            this.process = process;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        String output() {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        /** Waits until the process prints that it is up; fails with its output if it exits or takes too long. */
        Server awaitUp() throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (output().contains("is up at " + url())) return this;
                if (!process.isAlive()) {
                    throw new AssertionError("millwright up exited with " + process.exitValue() + " before it was up:\n" + output());
                }
                Thread.sleep(100);
            }
            throw new AssertionError("millwright up did not come up within " + START_TIMEOUT + ":\n" + output());
        }

        HttpResponse<String> call(String method, String path, String token, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10));
            if (token != null) b.header("Authorization", "Bearer " + token);
            if (body != null) b.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            try {
                return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + url() + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        String adminToken() throws IOException {
            return Files.readString(dataDir.resolve("admin.token"), StandardCharsets.UTF_8).trim();
        }

        /** kill -9, and wait until the process is gone. */
        void kill() throws Exception {
            process.destroyForcibly();
            process.onExit().get(10, TimeUnit.SECONDS);
        }

        /** SIGTERM: the shutdown hook closes the server; waits until the process is gone. */
        int stop() throws Exception {
            process.destroy();
            return process.onExit().get(30, TimeUnit.SECONDS).exitValue();
        }
    }

    /** A new empty directory, deleted after the test. */
    Path newDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory("millwright-" + prefix);
        dirs.add(dir);
        return dir;
    }

    /** Starts {@code millwright up} on a free loopback port with {@code dataDir}; {@code extra} are more flags. */
    Server start(Path dataDir, String... extra) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "up",
                "--port", Integer.toString(port), "--host", "127.0.0.1", "--data", dataDir.toString(),
                "--no-demo", "--lease-seconds", "2"));
        command.addAll(List.of(extra));
        if (logs == null) logs = newDir("logs");
        Path log = logs.resolve("up-" + servers.size() + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Server s = new Server(dataDir, log, port, p);
        servers.add(s);
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The PID in {@code dataDir/postgres/postmaster.pid}, if the file is there. */
    static Optional<Long> postmasterPid(Path dataDir) {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) return;
        for (Server s : servers) {
            System.out.println("===== output of " + s.url() + " (" + s.log + ", data " + s.dataDir + ")\n" + s.output());
            Path pgLog = s.dataDir.resolve("postgres.log");
            if (Files.exists(pgLog)) {
                try {
                    System.out.println("===== " + pgLog + "\n" + Files.readString(pgLog, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    System.out.println("(cannot read " + pgLog + ")");
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (Server s : servers) {
            s.process.destroyForcibly();
            try {
                s.process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("process " + s.process.pid() + " did not exit: " + e);
            }
        }
        for (Server s : servers) stopOrphanedPostgres(s.dataDir);
        servers.clear();
        for (Path dir : dirs) deleteQuietly(dir);
        dirs.clear();
        logs = null;
    }

    /** A killed server leaves its PostgreSQL running; stop it so the test leaves nothing behind. */
    private static void stopOrphanedPostgres(Path dataDir) {
        Optional<ProcessHandle> pg = postmasterPid(dataDir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().orElse("").contains("postgres"));
        if (pg.isEmpty()) return;
        pg.get().destroy();
        try {
            pg.get().onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            pg.get().destroyForcibly();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp dir left behind is not a test failure
        }
    }
}
