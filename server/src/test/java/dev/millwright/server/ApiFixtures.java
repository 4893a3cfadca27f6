package dev.millwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the HTTP API tests share: request bodies, seeding through the API as the platform admin, tokens,
 * the revision, waiting for the controllers, and the one error shape.
 */
final class ApiFixtures {
    static final String JSON = "application/json";
    static final String YAML = "application/yaml";
    static final String MERGE_PATCH = "application/merge-patch+json";

    private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiFixtures() {
    }

    // ---- bodies

    /** A Tenant with {@code user, role} pairs as members. */
    static String tenant(String name, String... userRolePairs) {
        ObjectNode spec = Json.object();
        ArrayNode members = spec.putArray("members");
        for (int i = 0; i < userRolePairs.length; i += 2) {
            members.addObject().put("user", userRolePairs[i]).put("role", userRolePairs[i + 1]);
        }
        return resource("Tenant", name, spec, new String[0]);
    }

    /** A Project with a description and {@code key, value} label pairs. */
    static String project(String name, String description, String... labelPairs) {
        ObjectNode spec = Json.object();
        if (description != null) spec.put("description", description);
        return resource("Project", name, spec, labelPairs);
    }

    static String user(String name) {
        return resource("User", name, Json.object().put("displayName", "User " + name), new String[0]);
    }

    static String serviceAccount(String name, String role) {
        return resource("ServiceAccount", name, Json.object().put("role", role), new String[0]);
    }

    static String resource(String kind, String name, ObjectNode spec, String[] labelPairs) {
        ObjectNode out = Json.object();
        out.put("apiVersion", "millwright.dev/v1");
        out.put("kind", kind);
        ObjectNode meta = out.putObject("metadata");
        meta.put("name", name);
        if (labelPairs.length > 0) {
            ObjectNode labels = meta.putObject("labels");
            for (int i = 0; i < labelPairs.length; i += 2) labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        out.set("spec", spec);
        return Json.string(out);
    }

    // ---- responses

    static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** Asserts the status and returns the JSON body. */
    static JsonNode expect(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as("%s %s answered %s", r.request().method(), r.uri(), r.body()).isEqualTo(status);
        return json(r);
    }

    /**
     * Asserts the one error shape, {@code {status, title, message, details}} and nothing else, with the HTTP
     * status repeated in the body, and that the message or the details mention every string given.
     */
    static JsonNode assertError(HttpResponse<String> r, int status, String... mentions) {
        assertThat(r.statusCode()).as("%s %s answered %s", r.request().method(), r.uri(), r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as("content type of %s", r.body()).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        JsonNode body = json(r);
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("fields of %s", r.body()).containsExactlyInAnyOrder("status", "title", "message", "details");
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("message").isTextual()).isTrue();
        assertThat(body.get("details").isObject()).as("details of %s", r.body()).isTrue();
        String text = body.get("message").asText() + " " + body.get("details");
        for (String m : mentions) assertThat(text).as("error %s", r.body()).contains(m);
        assertThat(r.body()).as("no stack trace in %s", r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return body;
    }

    /** The details of an error, as "path: reason" lines, for assertions that name both. */
    static List<String> detailLines(JsonNode error) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = error.path("details").fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (JsonNode reason : error.path("details").get(path)) out.add(path + ": " + reason.asText());
        }
        return out;
    }

    static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : list.path("items")) out.add(item.path("metadata").path("name").asText());
        return out;
    }

    static long rv(JsonNode object) {
        return Long.parseLong(object.path("metadata").path("resourceVersion").asText());
    }

    /** Sends a body-less request with a raw Authorization header (another scheme, a malformed value). */
    static HttpResponse<String> withAuthorization(TestServer s, String method, String path, String authorization) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return RAW.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- seeding and tokens

    /** Creates an object as the platform admin and returns it. */
    static JsonNode create(TestServer s, String path, String body) {
        return expect(s.admin("POST", path, body), 201);
    }

    /** Issues a token for a user, as the platform admin. */
    static String token(TestServer s, String user) {
        JsonNode issued = expect(s.admin("POST", "/api/v1/tokens", Json.string(Json.object().put("user", user))), 201);
        return issued.get("token").asText();
    }

    static String serviceAccountToken(TestServer s, String tenant, String serviceAccount) {
        JsonNode issued = expect(s.admin("POST", "/api/v1/tokens",
                Json.string(Json.object().put("serviceAccount", serviceAccount).put("tenant", tenant))), 201);
        return issued.get("token").asText();
    }

    /** The store's newest revision, from {@code /readyz}. */
    static long revision(TestServer s) {
        return expect(s.call("GET", "/readyz", null, null), 200).get("revision").asLong();
    }

    // ---- waiting

    /** Reads until {@code until} holds, or fails after {@code timeout}. */
    static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> until, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = read.get();
        while (!until.test(last)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + "; last seen " + last);
            sleep(50);
            last = read.get();
        }
        return last;
    }

    /**
     * Waits until the controllers have caught up: every Tenant and Project reports the generation it has
     * seen, and no revision has been taken for a while. Tests that compare revisions start from here.
     */
    static void awaitSettled(TestServer s) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long quietSince = System.nanoTime();
        long seen = -1;
        while (true) {
            long now = System.nanoTime();
            if (now > deadline) throw new AssertionError("the controllers did not settle within 10 s");
            long rev = revision(s);
            if (rev != seen) {
                seen = rev;
                quietSince = now;
            } else if (now - quietSince > Duration.ofMillis(400).toNanos() && allObserved(s)) {
                return;
            }
            sleep(50);
        }
    }

    private static boolean allObserved(TestServer s) {
        for (String path : List.of("/api/v1/tenants", "/api/v1/projects")) {
            for (JsonNode item : expect(s.admin("GET", path, null), 200).path("items")) {
                long generation = item.path("metadata").path("generation").asLong();
                if (item.path("status").path("observedGeneration").asLong(-1) != generation) return false;
            }
        }
        return true;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
