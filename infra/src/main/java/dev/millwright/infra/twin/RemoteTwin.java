package dev.millwright.infra.twin;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.infra.BootSource;
import dev.millwright.infra.CheckReport;
import dev.millwright.infra.CredentialsException;
import dev.millwright.infra.GpuSample;
import dev.millwright.infra.Health;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Inventory;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The infrastructure port of a twin that runs in another process ({@link TwinServer}): a control plane that is
 * killed leaves its world behind, and one started later finds the machines where they got to.
 *
 * <p>Exceptions the port may throw cross over as themselves. A twin that does not answer makes every machine
 * unreachable: reads throw {@link UnreachableException} and {@link #health} says so, as a dead BMC network would.
 *
 * <p>The clock follows the twin's: it is read on connecting and from every answer, and extrapolated in between at
 * the twin's speed; it never goes back.
 */
public final class RemoteTwin implements Infrastructure, AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** How often the clock is read when no call has read it. */
    private static final Duration CLOCK_READ = Duration.ofMillis(100);

    private final URI url;
    private final HttpClient http;
    private final FollowingClock clock;
    private final Thread clockReader;

    private RemoteTwin(URI url, HttpClient http, Instant now, double speed) {
        this.url = url;
        this.http = http;
        this.clock = new FollowingClock(now, speed);
        this.clockReader = new Thread(this::readClock, "twin-clock");
        clockReader.setDaemon(true);
    }

    /** Connects to the twin served at {@code url}; fails at once, saying why, if nothing answers there. */
    public static RemoteTwin connect(URI url) {
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("twin url must be http://HOST:PORT, got " + url);
        }
        URI base = URI.create(url.toString().replaceAll("/+$", ""));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        JsonNode clock;
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/clock")).timeout(CALL_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) throw new IllegalStateException("no twin answers at " + url + ": HTTP " + r.statusCode());
            clock = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("no twin answers at " + url + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to the twin at " + url, e);
        }
        RemoteTwin twin = new RemoteTwin(base, http, Instant.parse(clock.path("now").asText()), clock.path("speed").asDouble());
        twin.clockReader.start();
        return twin;
    }

    public URI url() {
        return url;
    }

    @Override
    public void close() {
        clockReader.interrupt();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void enroll(MachineRef machine) {
        send("enroll", Json.MAPPER.valueToTree(machine));
    }

    @Override
    public void enrollDelivered(MachineRef machine) {
        send("enrollDelivered", Json.MAPPER.valueToTree(machine));
    }

    @Override
    public void release(String machine) {
        send("release", on(machine));
    }

    @Override
    public Inventory inventory(String machine) {
        return call("inventory", on(machine), Inventory.class);
    }

    @Override
    public Health health(String machine) {
        try {
            return call("health", on(machine), Health.class);
        } catch (UnreachableException e) {
            return Health.unreachable(e.getMessage());
        }
    }

    @Override
    public Operation power(String machine, PowerAction action) {
        return operation("power", on(machine).put("action", action.name()));
    }

    @Override
    public Operation install(String machine, BootSource source, String image) {
        return operation("install", on(machine).put("source", source.name()).put("image", image));
    }

    @Override
    public Operation burnIn(String machine, Duration length) {
        return operation("burnIn", on(machine).put("length", length.toString()));
    }

    @Override
    public Operation check(String machine, String check, Duration length) {
        ObjectNode a = on(machine).put("check", check);
        if (length != null) a.put("length", length.toString());
        return operation("check", a);
    }

    @Override
    public CheckReport checkReport(String operationId) {
        return call("checkReport", Json.object().put("operation", operationId), CheckReport.class);
    }

    @Override
    public Operation installPack(String machine, String pack, String version) {
        return operation("installPack", on(machine).put("pack", pack).put("version", version));
    }

    @Override
    public Operation removePack(String machine, String pack) {
        return operation("removePack", on(machine).put("pack", pack));
    }

    @Override
    public SortedMap<String, String> installedPacks(String machine) {
        return call("installedPacks", on(machine), Json.MAPPER.getTypeFactory().constructMapType(TreeMap.class, String.class, String.class));
    }

    @Override
    public Operation cordon(String machine) {
        return operation("cordon", on(machine));
    }

    @Override
    public Operation uncordon(String machine) {
        return operation("uncordon", on(machine));
    }

    @Override
    public Operation drain(String machine, Duration gracePeriod) {
        return operation("drain", on(machine).put("gracePeriod", gracePeriod.toString()));
    }

    @Override
    public Operation startWorkload(WorkloadPlacement placement) {
        ObjectNode a = Json.object();
        a.set("placement", Json.MAPPER.valueToTree(placement));
        return operation("startWorkload", a);
    }

    @Override
    public Operation stopWorkload(String workload) {
        return operation("stopWorkload", Json.object().put("workload", workload));
    }

    @Override
    public WorkloadObservation workload(String workload) {
        return call("workload", Json.object().put("workload", workload), WorkloadObservation.class);
    }

    @Override
    public List<GpuSample> gpuTelemetry(String machine) {
        return call("gpuTelemetry", on(machine), Json.MAPPER.getTypeFactory().constructCollectionType(List.class, GpuSample.class));
    }

    @Override
    public Operation operation(String id) {
        return operation("operation", Json.object().put("id", id));
    }

    @Override
    public List<Operation> operations(String machine) {
        return call("operations", on(machine), Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Operation.class));
    }

    private static ObjectNode on(String machine) {
        return Json.object().put("machine", machine);
    }

    private Operation operation(String method, ObjectNode args) {
        return call(method, args, Operation.class);
    }

    private <T> T call(String method, ObjectNode args, Class<T> type) {
        return call(method, args, Json.MAPPER.getTypeFactory().constructType(type));
    }

    /** A call that answers nothing. */
    private void send(String method, ObjectNode args) {
        call(method, args, (JavaType) null);
    }

    private <T> T call(String method, ObjectNode args, JavaType type) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(url.resolve("/v1/port/" + method)).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(args))).build());
        JsonNode body;
        try {
            body = r.body().length == 0 ? Json.object() : Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UnreachableException("the twin at " + url + " answered " + method + " with something that is not JSON");
        }
        if (r.statusCode() != 200) throw rethrown(method, r.statusCode(), body);
        if (type == null) return null;
        try {
            return Json.MAPPER.convertValue(body, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the twin at " + url + " answered " + method + " with an unexpected shape: " + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            r.headers().firstValue(TwinServer.CLOCK_HEADER).ifPresent(t -> clock.observe(Instant.parse(t)));
            return r;
        } catch (IOException e) {
            throw new UnreachableException("the twin at " + url + " does not answer: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while calling the twin at " + url);
        }
    }

    /** The exception the twin threw, as itself. */
    private RuntimeException rethrown(String method, int status, JsonNode body) {
        String message = body.path("message").asText("HTTP " + status + " from the twin at " + url + " for " + method);
        return switch (body.path("error").asText()) {
            case "Unreachable" -> new UnreachableException(message);
            case "Credentials" -> new CredentialsException(message);
            case "IllegalArgument" -> new IllegalArgumentException(message);
            case "IllegalState" -> new IllegalStateException(message);
            case "Unsupported" -> new UnsupportedOperationException(message);
            default -> new UnreachableException("the twin at " + url + " failed " + method + ": " + message);
        };
    }

    private void readClock() {
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/v1/clock")).timeout(CALL_TIMEOUT).GET().build();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(CLOCK_READ.toMillis());
                send(request);
            } catch (InterruptedException e) {
                return;
            } catch (UnreachableException e) {
                // the clock goes on at the twin's speed until the twin answers again
            }
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The twin's time, as last read, moved on at its speed since; never back. */
    static final class FollowingClock extends Clock {
        private final double speed;
        private long readNanos;
        private long readAt;
        private long last = Long.MIN_VALUE;

        FollowingClock(Instant now, double speed) {
            this.speed = speed;
            observe(now);
        }

        synchronized void observe(Instant twinNow) {
            readNanos = epochNanos(twinNow);
            readAt = System.nanoTime();
        }

        @Override
        public synchronized Instant instant() {
            last = Math.max(last, readNanos + (long) ((System.nanoTime() - readAt) * speed));
            return Instant.ofEpochSecond(Math.floorDiv(last, 1_000_000_000L), Math.floorMod(last, 1_000_000_000L));
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("the twin's clock is UTC");
        }

        private static long epochNanos(Instant t) {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        }
    }
}
