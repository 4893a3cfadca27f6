package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The CLI's HTTP client for the API: JSON in and out, errors turned into one-line messages and exit codes. */
final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ClientConfig config;
    private List<Kind> kinds;

    /** A kind as the server describes it at /api/v1/kinds. */
    record Kind(String kind, String plural, boolean tenantScoped, Map<String, String> printColumns) {
    }

    /** A response with its status, for callers that branch on it; {@code warnings} are the server's Warning headers. */
    record Reply(int status, JsonNode body, List<String> warnings, String text) {
        Reply(int status, JsonNode body) {
            this(status, body, List.of(), "");
        }
    }

    ApiClient(ClientConfig config) {
        this.config = config;
    }

    String server() {
        return config.server();
    }

    JsonNode get(String path) {
        return expectOk(send("GET", path, null, null));
    }

    /** The body of a successful GET as text (YAML manifests, say). */
    String getText(String path) {
        Reply r = send("GET", path, null, null);
        expectOk(r);
        return r.text();
    }

    Reply send(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (config.token() != null) b.header("Authorization", "Bearer " + config.token());
        if (body != null) b.header("Content-Type", contentType == null ? "application/json" : contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode parsed;
            try {
                parsed = r.body().length == 0 ? Json.object() : Json.MAPPER.readTree(r.body());
            } catch (IOException e) {
                parsed = Json.object().put("message", new String(r.body(), StandardCharsets.UTF_8));
            }
            List<String> warnings = r.headers().allValues("Warning").stream()
                    .map(w -> w.replaceFirst("^\\d{3} - \"?", "").replaceFirst("\"$", "")).toList();
            return new Reply(r.statusCode(), parsed, warnings, new String(r.body(), StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach the Millwright server at " + config.server()
                    + " (is it running? start it with ./millwright up, or set --server / MILLWRIGHT_SERVER)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "request to " + config.server() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted");
        }
    }

    static JsonNode expectOk(Reply r) {
        if (r.status() >= 200 && r.status() < 300) return r.body();
        throw failure(r);
    }

    static CliException failure(Reply r) {
        String message = r.body().path("message").asText("");
        if (message.isEmpty()) message = "HTTP " + r.status();
        StringBuilder sb = new StringBuilder("error: ").append(message);
        JsonNode details = r.body().path("details");
        if (details.isObject() && details.size() > 1) {
            details.fields().forEachRemaining(e -> e.getValue().forEach(v -> sb.append("\n  ").append(e.getKey()).append(": ").append(v.asText())));
        }
        return new CliException(ExitCodes.forStatus(r.status()), sb.toString());
    }

    /** Streams server-sent events of a watch to {@code onEvent} (id or null, data) until the stream ends. */
    void stream(String path, String lastEventId, java.util.function.BiConsumer<String, JsonNode> onEvent) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (config.token() != null) b.header("Authorization", "Bearer " + config.token());
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        try {
            HttpResponse<Stream<String>> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                String text = String.join("\n", r.body().toList());
                JsonNode body;
                try {
                    body = Json.MAPPER.readTree(text);
                } catch (IOException e) {
                    body = Json.object().put("message", text);
                }
                throw failure(new Reply(r.statusCode(), body));
            }
            try (Stream<String> lines = r.body()) {
                StringBuilder data = new StringBuilder();
                String id = null;
                for (var it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.startsWith("data: ")) data.append(line, 6, line.length());
                    else if (line.startsWith("id: ")) id = line.substring(4).trim();
                    else if (line.isEmpty() && data.length() > 0) {
                        onEvent.accept(id, Json.tree(data.toString()));
                        data.setLength(0);
                        id = null;
                    }
                }
            }
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach the Millwright server at " + config.server());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "watch stream failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The kind called {@code name} (kind, plural or singular, any case), from the server's list. */
    Kind kind(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Kind k : kinds()) {
            String singular = k.kind().toLowerCase(Locale.ROOT);
            if (singular.equals(wanted) || k.plural().equals(wanted)) return k;
        }
        List<String> known = kinds().stream().map(Kind::plural).toList();
        throw new CliException(ExitCodes.NOT_FOUND, "unknown kind \"" + name + "\"; known kinds: " + String.join(", ", known));
    }

    Optional<Kind> findKind(String name) {
        try {
            return Optional.of(kind(name));
        } catch (CliException e) {
            return Optional.empty();
        }
    }

    List<Kind> kinds() {
        if (kinds == null) {
            List<Kind> out = new ArrayList<>();
            for (JsonNode k : get("/api/v1/kinds").path("kinds")) {
                Map<String, String> columns = new LinkedHashMap<>();
                k.path("printColumns").fields().forEachRemaining(e -> columns.put(e.getKey(), e.getValue().asText()));
                out.add(new Kind(k.path("kind").asText(), k.path("plural").asText(), "tenant".equals(k.path("scope").asText()), columns));
            }
            kinds = out;
        }
        return kinds;
    }

    /** The collection path of a kind: in one tenant, or across tenants when {@code tenant} is null. */
    static String collection(Kind k, String tenant) {
        if (k.tenantScoped() && tenant != null) return "/api/v1/tenants/" + enc(tenant) + "/" + k.plural();
        return "/api/v1/" + k.plural();
    }

    static String item(Kind k, String tenant, String name) {
        if (k.tenantScoped()) {
            if (tenant == null || tenant.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, k.kind() + " is tenant-scoped: name its tenant with -t/--tenant or metadata.tenant");
            }
            return "/api/v1/tenants/" + enc(tenant) + "/" + k.plural() + "/" + enc(name);
        }
        return "/api/v1/" + k.plural() + "/" + enc(name);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static ObjectNode object() {
        return Json.object();
    }

    private URI uri(String path) {
        try {
            return URI.create(config.server() + path);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad server URL " + config.server() + ": " + e.getMessage());
        }
    }
}
