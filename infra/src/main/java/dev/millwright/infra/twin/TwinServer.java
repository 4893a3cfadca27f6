package dev.millwright.infra.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.millwright.infra.BootSource;
import dev.millwright.infra.CredentialsException;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadPlacement;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a twin to control planes in other processes, so that the simulated world outlives any one of them as
 * hardware outlives the server that drives it: kill a Millwright replica and the machines go on; several replicas
 * share one world. {@link RemoteTwin} is the other end.
 *
 * <p>The protocol is the infrastructure port itself, one call per request: {@code POST /v1/port/<method>} with the
 * arguments as a JSON object, answered by the result as JSON, or by {@code {"error": kind, "message": ...}} for an
 * exception the port may throw (kinds {@code Unreachable} 503, {@code Credentials} 422, {@code IllegalArgument} 400,
 * {@code IllegalState} 409, {@code Unsupported} 501). Every answer carries the twin's time in {@value #CLOCK_HEADER}.
 * Beside it, the twin's own controls: {@code GET /v1/clock}, {@code GET /v1/status}, {@code POST /v1/advance}
 * {@code {"seconds": n}} and {@code POST /v1/faults} {@code {"machine", "fault"}}.
 *
 * <p>There is no authentication: the twin is a test and demo world and listens on loopback unless told otherwise.
 */
public final class TwinServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TwinServer.class);
    static final String CLOCK_HEADER = "Twin-Clock";
    /** Longest body a call may have; a placement with its GPU list is well under it. */
    private static final int MAX_BODY = 1 << 20;

    static {
        // the JDK server sends a response's headers and body in two packets: without TCP_NODELAY each call waits out
        // the client's delayed ACK (40 ms). Read once, when the first server of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Twin twin;
    private final double speed;
    private final HttpServer http;
    private final ExecutorService threads;

    private TwinServer(Twin twin, double speed, InetSocketAddress address) throws IOException {
        this.twin = twin;
        this.speed = speed;
        this.http = HttpServer.create(address, 64);
        this.threads = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "twin-server");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        http.createContext("/v1/", this::handle);
    }

    /**
     * Starts serving {@code twin} on {@code address} (port 0 for any free one).
     *
     * @param speed simulated seconds per real second that something advances the twin at (a {@link TwinDriver}), or 0
     *              when it is advanced by hand: remote clocks extrapolate with it between two readings
     */
    public static TwinServer start(Twin twin, double speed, InetSocketAddress address) {
        try {
            TwinServer s = new TwinServer(twin, speed, address);
            s.http.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    public URI url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    public Twin twin() {
        return twin;
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            int status = 200;
            Object answer;
            try {
                answer = route(ex.getRequestMethod(), path, body(ex));
            } catch (UnreachableException e) {
                status = 503;
                answer = error("Unreachable", e);
            } catch (CredentialsException e) {
                status = 422;
                answer = error("Credentials", e);
            } catch (IllegalArgumentException e) {
                status = 400;
                answer = error("IllegalArgument", e);
            } catch (IllegalStateException e) {
                status = 409;
                answer = error("IllegalState", e);
            } catch (UnsupportedOperationException e) {
                status = 501;
                answer = error("Unsupported", e);
            } catch (RuntimeException e) {
                log.warn("twin call {} failed", path, e);
                status = 500;
                answer = error("Internal", e);
            }
            byte[] out = Json.MAPPER.writeValueAsBytes(answer);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set(CLOCK_HEADER, twin.clock().instant().toString());
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) ex.getResponseBody().write(out);
        }
    }

    private static ObjectNode error(String kind, RuntimeException e) {
        return Json.object().put("error", kind).put("message", String.valueOf(e.getMessage()));
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) throw new IllegalArgumentException("a call's body may have at most " + MAX_BODY + " bytes");
            if (bytes.length == 0) return Json.object();
            try {
                return Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
            }
        }
    }

    private Object route(String method, String path, JsonNode args) {
        if (path.startsWith("/v1/port/") && method.equals("POST")) return call(path.substring("/v1/port/".length()), args);
        return switch (method + " " + path) {
            case "GET /v1/clock" -> Json.object().put("now", twin.clock().instant().toString()).put("speed", speed);
            case "GET /v1/status" -> status();
            case "POST /v1/advance" -> {
                double seconds = args.path("seconds").asDouble(-1);
                if (seconds < 0) throw new IllegalArgumentException("seconds: must be a number of at least 0");
                twin.advance(Duration.ofMillis((long) (seconds * 1000)));
                yield Json.object().put("now", twin.clock().instant().toString());
            }
            case "POST /v1/faults" -> {
                String fault = text(args, "fault");
                Twin.FaultKind kind;
                try {
                    kind = Twin.FaultKind.valueOf(fault.toUpperCase(Locale.ROOT).replace('-', '_'));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("fault: must be one of machine-death, gpu-xid, bmc-unreachable, slow-node, got " + fault);
                }
                twin.inject(text(args, "machine"), kind);
                yield Json.object().put("now", twin.clock().instant().toString());
            }
            default -> throw new UnsupportedOperationException("no " + method + " " + path + " here");
        };
    }

    private ObjectNode status() {
        ObjectNode out = Json.object().put("now", twin.clock().instant().toString()).put("speed", speed)
                .put("machines", twin.machineCount()).put("gpus", twin.gpuCount())
                .put("historyEntries", twin.historySize()).put("historyDigest", twin.historyDigest());
        List<String> recent = twin.history();
        recent.subList(Math.max(0, recent.size() - 50), recent.size()).forEach(out.putArray("recent")::add);
        return out;
    }

    /** One method of the port; argument names as in {@link dev.millwright.infra.Infrastructure}. */
    private Object call(String method, JsonNode a) {
        return switch (method) {
            case "enroll" -> done(() -> twin.enroll(ref(a)));
            case "enrollDelivered" -> done(() -> twin.enrollDelivered(ref(a)));
            case "release" -> done(() -> twin.release(machine(a)));
            case "inventory" -> twin.inventory(machine(a));
            case "health" -> twin.health(machine(a));
            case "power" -> twin.power(machine(a), PowerAction.valueOf(text(a, "action")));
            case "install" -> twin.install(machine(a), BootSource.valueOf(text(a, "source")), text(a, "image"));
            case "burnIn" -> twin.burnIn(machine(a), duration(a, "length"));
            case "check" -> twin.check(machine(a), text(a, "check"), a.hasNonNull("length") ? duration(a, "length") : null);
            case "checkReport" -> twin.checkReport(text(a, "operation"));
            case "installPack" -> twin.installPack(machine(a), text(a, "pack"), text(a, "version"));
            case "removePack" -> twin.removePack(machine(a), text(a, "pack"));
            case "installedPacks" -> twin.installedPacks(machine(a));
            case "cordon" -> twin.cordon(machine(a));
            case "uncordon" -> twin.uncordon(machine(a));
            case "drain" -> twin.drain(machine(a), duration(a, "gracePeriod"));
            case "startWorkload" -> twin.startWorkload(Json.MAPPER.convertValue(a.path("placement"), WorkloadPlacement.class));
            case "stopWorkload" -> twin.stopWorkload(text(a, "workload"));
            case "workload" -> twin.workload(text(a, "workload"));
            case "gpuTelemetry" -> twin.gpuTelemetry(machine(a));
            case "operation" -> twin.operation(text(a, "id"));
            case "operations" -> twin.operations(machine(a));
            default -> throw new UnsupportedOperationException("the port has no method " + method);
        };
    }

    /** A method that answers nothing answers an empty object. */
    private static Object done(Runnable call) {
        call.run();
        return Json.object();
    }

    private static MachineRef ref(JsonNode a) {
        JsonNode credentials = a.path("credentialsRef");
        return new MachineRef(text(a, "name"), text(a, "bmcEndpoint"), credentials.isTextual() ? credentials.asText() : null);
    }

    private static String machine(JsonNode a) {
        return text(a, "machine");
    }

    private static Duration duration(JsonNode a, String field) {
        try {
            return Duration.parse(text(a, field));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": not an ISO-8601 duration: " + a.path(field).asText());
        }
    }

    private static String text(JsonNode a, String field) {
        JsonNode v = a.path(field);
        if (!v.isTextual()) throw new IllegalArgumentException(field + ": required text is missing");
        return v.asText();
    }
}
