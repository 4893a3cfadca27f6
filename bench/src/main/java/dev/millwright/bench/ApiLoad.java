package dev.millwright.bench;

import dev.millwright.server.MillwrightServer;
import dev.millwright.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * The API load generator: sustained GETs, sustained writes, and watch fan-out latency, against a real server
 * over loopback HTTP. By default it starts its own server in this process with a durable embedded
 * PostgreSQL in a temporary directory, so one command measures the whole stack on this machine.
 *
 * <pre>
 *   java -jar bench/target/millwright-bench.jar api [--seconds 20] [--threads 32] [--write-threads 16] [--subscribers 100]
 *        [--objects 1000] [--server URL --token TOKEN]
 * </pre>
 *
 * Each phase runs for the given seconds after a warm-up of a quarter of that, and reports the rate and the
 * latency percentiles of the measured part. Every request must succeed; failures are counted and printed.
 */
public final class ApiLoad {
    private final String server;
    private final String token;
    private final int threads;
    private final int writeThreads;
    private final int subscribers;
    private final int objects;
    private final Duration phase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiLoad(String server, String token, int threads, int writeThreads, int subscribers, int objects, Duration phase) {
        this.server = server;
        this.token = token;
        this.threads = threads;
        this.writeThreads = writeThreads;
        this.subscribers = subscribers;
        this.objects = objects;
        this.phase = phase;
    }

    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int threads = 32;
        int writeThreads = 16;
        int subscribers = 100;
        int objects = 1000;
        String server = null;
        String token = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--write-threads" -> writeThreads = Integer.parseInt(args[++i]);
                case "--subscribers" -> subscribers = Integer.parseInt(args[++i]);
                case "--objects" -> objects = Integer.parseInt(args[++i]);
                case "--server" -> server = args[++i];
                case "--token" -> token = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        MillwrightServer own = null;
        Path dir = null;
        if (server == null) {
            dir = Files.createTempDirectory("millwright-bench");
            own = MillwrightServer.start(ServerConfig.defaults(dir).withPort(0).withDemo(false));
            server = own.url();
            token = Files.readString(own.adminTokenFile()).trim();
            System.out.println("server: in-process, durable embedded PostgreSQL in " + dir);
        } else {
            System.out.println("server: " + server);
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; phases of %d s after %d s warm-up%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), seconds, Math.max(1, seconds / 4));
        try {
            ApiLoad load = new ApiLoad(server, token, threads, writeThreads, subscribers, objects, Duration.ofSeconds(seconds));
            load.seed();
            load.gets();
            load.writes();
            load.watchFanOut();
        } finally {
            if (own != null) own.close();
        }
    }

    private void seed() {
        call("POST", "/api/v1/tenants", "{\"kind\":\"Tenant\",\"metadata\":{\"name\":\"bench\"},\"spec\":{}}", 201, 409);
        for (int i = 0; i < objects; i++) {
            call("POST", "/api/v1/tenants/bench/projects", "{\"kind\":\"Project\",\"metadata\":{\"name\":\"p" + i
                    + "\",\"labels\":{\"bench\":\"yes\"}},\"spec\":{\"description\":\"seed\"}}", 201, 409);
        }
        System.out.printf(Locale.ROOT, "seeded %d projects%n", objects);
    }

    /** Phase 1: GETs of random objects by {@code threads} closed-loop clients. */
    private void gets() throws InterruptedException {
        Result r = closedLoop("GET", (c, i) -> c.send("GET", "/api/v1/tenants/bench/projects/p" + i, null, null));
        report("GET x" + threads + " clients", r, "at least 5,000/s with p99 under 50 ms");
    }

    /** Phase 2: merge-patch writes of random objects, each a real change (a new revision, audit record, feed entry). */
    private void writes() throws InterruptedException {
        AtomicLong n = new AtomicLong();
        Result r = closedLoop("PATCH", writeThreads, (c, i) -> c.send("PATCH", "/api/v1/tenants/bench/projects/p" + i,
                "application/merge-patch+json",
                ("{\"spec\":{\"description\":\"write " + n.incrementAndGet() + "\"}}").getBytes(StandardCharsets.UTF_8)));
        report("PATCH x" + writeThreads + " clients", r, "at least 1,000/s with p99 under 50 ms");
    }

    private interface Request {
        /** Sends one request on the worker's connection; returns the HTTP status. */
        int run(KeepAliveClient client, int objectIndex) throws IOException;
    }

    private record Result(long count, double seconds, Histogram latency, long failures) {
    }

    private Result closedLoop(String name, Request request) throws InterruptedException {
        return closedLoop(name, threads, request);
    }

    private Result closedLoop(String name, int threads, Request request) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong failures = new AtomicLong();
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                KeepAliveClient client = new KeepAliveClient(server, token);
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        int status = request.run(client, rnd.nextInt(objects));
                        if (status != 200) throw new IOException("HTTP " + status);
                    } catch (IOException | RuntimeException e) {
                        failures.incrementAndGet();
                        if (failures.get() <= 3) System.err.println(name + " failed: " + e.getMessage());
                        continue;
                    }
                    if (measuring.get()) {
                        recorder.recordValue(System.nanoTime() - start);
                        done.incrementAndGet();
                    }
                }
            }, "load-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        Thread.sleep(Math.max(1000, phase.toMillis() / 4));
        recorder.reset();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(phase.toMillis());
        measuring.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread w : workers) w.join(10_000);
        return new Result(done.get(), seconds, recorder.getIntervalHistogram(), failures.get());
    }

    /**
     * Phase 3: {@code subscribers} SSE watches of the projects collection; one writer changes one object every
     * 10 ms with its send time in an annotation; each delivery's latency is receive time minus send time.
     */
    private void watchFanOut() throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicLong deliveries = new AtomicLong();
        CountDownLatch connected = new CountDownLatch(subscribers);
        List<Thread> subs = new ArrayList<>();
        // the server allows 64 watches per token, as it would any client: one token per 50 subscribers
        List<String> tokens = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            if (s % 50 == 0) tokens.add(issueToken());
            String watchToken = tokens.get(tokens.size() - 1);
            Thread t = new Thread(() -> subscribe(watchToken, recorder, measuring, deliveries, connected), "watch-" + s);
            t.setDaemon(true);
            subs.add(t);
            t.start();
        }
        if (!connected.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("subscribers did not connect");
        long end = System.nanoTime() + phase.toNanos() + Math.max(1000, phase.toMillis() / 4) * 1_000_000L;
        long measureFrom = System.nanoTime() + Math.max(1000, phase.toMillis() / 4) * 1_000_000L;
        long writes = 0;
        while (System.nanoTime() < end) {
            if (!measuring.get() && System.nanoTime() > measureFrom) {
                recorder.reset();
                deliveries.set(0);
                measuring.set(true);
            }
            call("PATCH", "/api/v1/tenants/bench/projects/p0",
                    "{\"metadata\":{\"annotations\":{\"bench/sent-at\":\"" + System.nanoTime() + "\"}}}", 200);
            if (measuring.get()) writes++;
            Thread.sleep(10);
        }
        Thread.sleep(500); // let the last deliveries arrive
        measuring.set(false);
        Histogram h = recorder.getIntervalHistogram();
        System.out.printf(Locale.ROOT, "%-22s %d changes x %d subscribers: %d deliveries (expected %d), latency p50 %.1f ms, p99 %.1f ms, max %.1f ms  [target: p99 under 100 ms]%n",
                "watch fan-out", writes, subscribers, deliveries.get(), writes * subscribers,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
        subs.forEach(Thread::interrupt);
    }

    /** A token of the admin user, issued through the API. */
    private String issueToken() {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server + "/api/v1/tokens")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"admin\",\"description\":\"load generator watches\"}")).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) throw new IllegalStateException("cannot issue a token: HTTP " + r.statusCode() + " " + r.body());
            return dev.millwright.resource.Json.tree(r.body()).path("token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void subscribe(String watchToken, Recorder recorder, AtomicBoolean measuring, AtomicLong deliveries, CountDownLatch connected) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server + "/api/v1/tenants/bench/projects?watch=true&labelSelector=bench%3Dyes"))
                .header("Authorization", "Bearer " + watchToken).build();
        try {
            HttpResponse<Stream<String>> r = http.send(req, HttpResponse.BodyHandlers.ofLines());
            boolean counted = false;
            try (Stream<String> lines = r.body()) {
                for (var it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (!counted && line.startsWith("event: BOOKMARK")) {
                        connected.countDown();
                        counted = true;
                    }
                    if (!line.startsWith("data: ") || !line.contains("\"MODIFIED\"")) continue;
                    long now = System.nanoTime();
                    long sent = sentAt(line);
                    if (sent < 0) continue;
                    if (measuring.get()) {
                        recorder.recordValue(Math.max(0, now - sent));
                        deliveries.incrementAndGet();
                    }
                }
            }
        } catch (IOException | InterruptedException | java.io.UncheckedIOException e) {
            // closed at the end of the phase
        }
    }

    /** The value of the {@code bench/sent-at} annotation in an event line, or -1; the server may put spaces in its JSON. */
    static long sentAt(String line) {
        int at = line.indexOf("\"bench/sent-at\"");
        if (at < 0) return -1;
        int i = line.indexOf('"', line.indexOf(':', at) + 1) + 1;
        int end = line.indexOf('"', i);
        return i <= 0 || end < 0 ? -1 : Long.parseLong(line.substring(i, end));
    }

    private static void report(String name, Result r, String target) {
        Histogram h = r.latency();
        System.out.printf(Locale.ROOT, "%-22s %,.0f requests/s over %.1f s, latency p50 %.2f ms, p99 %.2f ms, max %.1f ms, failures %d  [target: %s]%n",
                name, r.count() / r.seconds(), r.seconds(), h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6, r.failures(), target);
    }

    private void call(String method, String path, String body, int... ok) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (int code : ok) if (r.statusCode() == code) return;
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
