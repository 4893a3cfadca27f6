package dev.millwright.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the demo AI factory (the manifests of {@code examples/demo}, packaged in the jar) through the public
 * API, as any user would apply them. Objects that already exist are left alone, so a user's changes
 * survive a restart.
 */
final class DemoFactory {
    private static final Logger log = LoggerFactory.getLogger(DemoFactory.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DemoFactory() {
    }

    /** The manifests in the order they are applied, from {@code demo/index.txt}. */
    static List<JsonNode> manifests() {
        List<JsonNode> out = new ArrayList<>();
        for (String file : read("demo/index.txt").lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            try (MappingIterator<JsonNode> it = Json.YAML.readerFor(JsonNode.class).readValues(read("demo/" + file))) {
                while (it.hasNextValue()) {
                    JsonNode doc = it.nextValue();
                    if (doc != null && doc.isObject()) out.add(doc);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("demo manifest " + file + " is not valid YAML", e);
            }
        }
        return out;
    }

    static void load(String server, String token) {
        int created = 0;
        List<JsonNode> docs = manifests();
        for (JsonNode doc : docs) {
            String kind = doc.path("kind").asText();
            String plural = dev.millwright.kinds.Kinds.registry().require(kind).plural();
            String tenant = doc.path("metadata").path("tenant").asText("");
            String name = doc.path("metadata").path("name").asText();
            String collection = tenant.isEmpty() ? "/api/v1/" + plural : "/api/v1/tenants/" + enc(tenant) + "/" + plural;
            int status = send(server, token, "GET", collection + "/" + enc(name), null);
            if (status == 404) {
                ObjectNode body = doc.deepCopy();
                body.put("apiVersion", "millwright.dev/v1");
                int s = send(server, token, "POST", collection, Json.string(body));
                // a workload is judged against its environment's GPUs, which the machines report moments after
                // start: the demo waits for them rather than failing on a race
                long deadline = System.nanoTime() + FLEET_UP.toNanos();
                while (s == 422 && kind.equals(dev.millwright.workload.WorkloadKinds.WORKLOAD) && System.nanoTime() < deadline) {
                    sleep();
                    s = send(server, token, "POST", collection, Json.string(body));
                }
                if (s == 201) created++;
                else if (s != 409) throw new IllegalStateException("the demo's " + kind + " " + name + " was refused with HTTP " + s
                        + " (debug logging of dev.millwright.server.DemoFactory shows why)");
            } else if (status != 200) {
                throw new IllegalStateException("cannot read the demo's " + kind + " " + name + ": HTTP " + status);
            }
        }
        log.info("demo factory: {} of {} objects created from the manifests", created, docs.size());
    }

    /** How long the demo's workloads wait for their environments' GPUs to be known. */
    static final Duration FLEET_UP = Duration.ofSeconds(60);

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the demo", e);
        }
    }

    private static int send(String server, String token, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 400 && r.statusCode() != 404 && r.statusCode() != 409) {
                // a workload refused while its environment's GPUs are not yet known is tried again: not an error yet
                if (r.statusCode() == 422) log.debug("demo factory: {} {} -> {} {}", method, path, r.statusCode(), r.body());
                else log.error("demo factory: {} {} -> {} {}", method, path, r.statusCode(), r.body());
            }
            return r.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = DemoFactory.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
