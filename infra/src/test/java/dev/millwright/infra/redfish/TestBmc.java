package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.millwright.infra.redfish.BmcActions.Answer;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Redfish BMC for tests: real HTTP (or HTTPS) on loopback, serving one of the real mockups in
 * {@code src/test/resources/redfish} with state laid over it (power, boot override, virtual media, firmware
 * versions, tasks, ETags, sessions) and faults injected on demand ({@link #faults()}: error statuses, malformed
 * JSON, slow answers, dropped sessions, stale ETags, failing tasks). Paths are matched ignoring case and trailing
 * slashes, as real BMCs do; {@link Builder#trailingSlashLinks()} and {@link Builder#lowerCaseLinks()} make its own
 * links sloppy too. Requires credentials unless built {@link Builder#anonymous()}: a session (X-Auth-Token) or
 * Basic. Every request is recorded ({@link #requests()}).
 *
 * <p>Published in infra's test-jar, so the CLI's and later modules' tests can point a BMC client at it:
 * {@code try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) { ... bmc.url() ... }}.
 */
public final class TestBmc implements AutoCloseable {
    public static final String RACKMOUNT = "dmtf-public-rackmount1";
    public static final String TOWER = "dmtf-public-tower";
    public static final String CRAY_A100 = "hpe-cray-EX235n-nvidia-a100";
    /** The three real mockup trees, for tests that must pass on each. */
    public static final List<String> MOCKUPS = List.of(RACKMOUNT, TOWER, CRAY_A100);
    public static final String USER = "admin";

    static {
        // the JDK server writes headers and body apart; without TCP_NODELAY each answer waits out a delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static final String PASSWORD = "correct horse battery";

    /** One request as the BMC saw it. */
    public record Request(String method, String path, String auth, String ifMatch, int status) {
    }

    /** How a test BMC is set up before {@link #start()}. */
    public static final class Builder {
        private final String tree;
        private String user = USER;
        private String password = PASSWORD;
        private boolean sessions = true;
        private SelfSignedCertificate certificate;
        private boolean trailingSlashes;
        private boolean lowerCase;
        private boolean mediaActions;
        private int taskPolls = 2;

        private Builder(String tree) {
            this.tree = tree;
        }

        public Builder credentials(String username, String secret) {
            this.user = username;
            this.password = secret;
            return this;
        }

        /** No credentials needed for anything (some lab BMCs). */
        public Builder anonymous() {
            this.user = null;
            return this;
        }

        /** No session service: a POST to the session collection answers 405, so clients must use Basic. */
        public Builder basicOnly() {
            this.sessions = false;
            return this;
        }

        /** HTTPS with this certificate instead of plain HTTP. */
        public Builder https(SelfSignedCertificate cert) {
            this.certificate = cert;
            return this;
        }

        /** Every {@code @odata.id} it serves ends in a slash. */
        public Builder trailingSlashLinks() {
            this.trailingSlashes = true;
            return this;
        }

        /** Every {@code @odata.id} it serves is lower case (its paths are case-insensitive). */
        public Builder lowerCaseLinks() {
            this.lowerCase = true;
            return this;
        }

        /** Virtual media drives advertise the InsertMedia and EjectMedia actions (the mockups' drives do not). */
        public Builder virtualMediaActions() {
            this.mediaActions = true;
            return this;
        }

        /** How many polls of a task monitor an update task takes to end (at least 1). */
        public Builder taskPolls(int polls) {
            this.taskPolls = Math.max(1, polls);
            return this;
        }

        public TestBmc start() {
            return new TestBmc(this);
        }
    }

    private final Builder config;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-bmc");
        t.setDaemon(true);
        return t;
    });
    private final BmcFaults faults = new BmcFaults();
    private final Object lock = new Object();
    /** Guarded by lock. */
    private final BmcResources resources;
    /** Guarded by lock. */
    private final BmcActions actions;
    /** Token to session epoch; guarded by lock. */
    private final Map<String, Integer> tokens = new HashMap<>();
    /** Guarded by lock. */
    private final List<Request> requests = new ArrayList<>();
    private int sessionCount;

    /** A builder for a BMC serving a mockup tree ({@link #MOCKUPS}) or a bundle ({@code "synthetic/<name>"}). */
    public static Builder serving(String tree) {
        return new Builder(tree);
    }

    private TestBmc(Builder b) {
        this.config = b;
        this.resources = new BmcResources(b.tree);
        this.actions = new BmcActions(resources);
        actions.taskPolls = b.taskPolls;
        if (b.mediaActions) addMediaActions();
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (b.certificate != null) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(b.certificate.serverContext()));
                server = https;
            } else {
                server = HttpServer.create(address, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http(s)://127.0.0.1:<port>}, the BMC endpoint to give a client. */
    public String url() {
        return (config.certificate != null ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public BmcFaults faults() {
        return faults;
    }

    public List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** The resource at {@code path} as the BMC holds it now (a copy), or null. */
    public JsonNode resource(String path) {
        synchronized (lock) {
            ObjectNode r = resources.get(path);
            return r == null ? null : r.deepCopy();
        }
    }

    /** Changes a resource in place, as if the BMC had always served it so (a property missing, a value wrong). */
    public void edit(String path, java.util.function.Consumer<ObjectNode> change) {
        synchronized (lock) {
            ObjectNode r = resources.get(path);
            if (r == null) throw new IllegalArgumentException("the test BMC has no resource " + path);
            change.accept(r);
        }
    }

    /** Serves a resource the mockup does not have (a second page of a collection, an extra device). */
    public void put(String path, JsonNode resource) {
        synchronized (lock) {
            resources.put(path, (ObjectNode) resource.deepCopy());
        }
    }

    /** Takes a resource away: a GET of it answers 404 (an optional resource this BMC does not have). */
    public void remove(String path) {
        synchronized (lock) {
            resources.hide(path);
        }
    }

    /** Boots that used a one-time override, in order, as {@code "<system>:<target>"}. */
    public List<String> boots() {
        synchronized (lock) {
            return actions.boots();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        try {
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawQuery = ex.getRequestURI().getRawQuery();
            String path = URLDecoder.decode(ex.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery), StandardCharsets.UTF_8);
            byte[] body = ex.getRequestBody().readAllBytes();
            Duration delay = faults.delay(method, path);
            if (!delay.isZero()) sleep(delay);
            Headers headers = ex.getRequestHeaders();
            Answer answer;
            synchronized (lock) {
                actions.taskFailure = faults.taskFailure();
                try {
                    answer = faults.malformed(method, path) ? Answer.raw(200, "{\"@odata.id\": \"" + path + "\", \"Members\": [{\"@odata.id\": ")
                            : answer(method, path, headers, body);
                } catch (RuntimeException e) { // a bug of the test BMC: say so rather than hang the client
                    e.printStackTrace();
                    answer = BmcActions.error(500, "Base.1.8.InternalError", "test BMC failed: " + e);
                }
                requests.add(new Request(method, path, authOf(headers), headers.getFirst("If-Match"), answer.status()));
            }
            write(ex, answer);
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        } finally {
            ex.close();
        }
    }

    private Answer answer(String method, String path, Headers headers, byte[] rawBody) {
        String key = MockupTree.key(path);
        if (key.equals("/redfish")) return Answer.of(200, Json.object().put("v1", "/redfish/v1/"));
        String sessions = sessionsPath();
        boolean login = method.equals("POST") && key.equals(MockupTree.key(sessions));
        boolean open = login || (method.equals("GET") && key.equals("/redfish/v1"));
        if (!open && config.user != null && !authorized(headers)) {
            return BmcActions.error(401, "Base.1.8.NoValidSession", "There is no valid session established with the implementation");
        }
        int forced = faults.forcedStatus(method, path);
        if (forced != 0) return BmcActions.error(forced, "Base.1.8.InternalError", "injected fault: " + forced + " on " + method + " " + path);
        JsonNode body;
        try {
            body = rawBody.length == 0 ? Json.object() : Json.MAPPER.readTree(rawBody);
        } catch (IOException e) {
            return BmcActions.error(400, "Base.1.8.MalformedJSON", "The request body submitted was malformed JSON");
        }
        if (login) return login(sessions, body);
        if (method.equals("GET") && key.contains("/taskservice/taskmonitors/")) return actions.monitor(path);
        ObjectNode resource = resources.get(path);
        switch (method) {
            case "GET":
                if (resource == null) return BmcActions.error(404, "Base.1.8.ResourceMissingAtURI", "The resource at the URI " + path + " was not found");
                return new Answer(200, sloppyLinks(resource), Map.of("ETag", resources.etag(path)));
            case "PATCH":
                if (resource == null) return BmcActions.error(404, "Base.1.8.ResourceMissingAtURI", "The resource at the URI " + path + " was not found");
                if (faults.staleEtag(method, path)) resources.touch(path);
                String ifMatch = headers.getFirst("If-Match");
                if (ifMatch != null && !ifMatch.equals(resources.etag(path))) {
                    return BmcActions.error(412, "Base.1.8.PreconditionFailed", "The ETag supplied did not match the ETag required to change this resource");
                }
                Answer patched = actions.patch(path, resource, body);
                if (patched.status() / 100 == 2) resources.touch(path);
                return patched;
            case "POST":
                return actions.post(path, body);
            case "DELETE":
                if (key.startsWith(MockupTree.key(sessions) + "/") && resource != null) {
                    resources.remove(path);
                    resources.removeMember(sessions, path);
                    tokens.remove(headers.getFirst("X-Auth-Token"));
                    return Answer.of(204, null);
                }
                return BmcActions.error(405, "Base.1.8.OperationNotAllowed", "DELETE is not allowed on " + path);
            default:
                return BmcActions.error(405, "Base.1.8.OperationNotAllowed", method + " is not allowed on " + path);
        }
    }

    private Answer login(String sessions, JsonNode body) {
        if (!config.sessions) return BmcActions.error(405, "Base.1.8.OperationNotAllowed", "sessions are not supported; use Basic authentication");
        if (config.user == null || !config.user.equals(body.path("UserName").asText()) || !config.password.equals(body.path("Password").asText())) {
            return BmcActions.error(401, "Base.1.8.ResourceAtUriUnauthorized", "While accessing the resource at " + sessions + ", the service received an authorization error");
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, faults.sessionEpoch());
        String path = Odata.pathOf(sessions).replaceAll("/+$", "") + "/" + (++sessionCount);
        ObjectNode session = Json.object().put("@odata.id", path).put("@odata.type", "#Session.v1_3_0.Session")
                .put("Id", Integer.toString(sessionCount)).put("UserName", config.user);
        resources.put(path, session);
        resources.addMember(sessions, path, "#SessionCollection.SessionCollection");
        return new Answer(201, session, Map.of("X-Auth-Token", token, "Location", path));
    }

    private boolean authorized(Headers headers) {
        String token = headers.getFirst("X-Auth-Token");
        if (token != null) {
            Integer epoch = tokens.get(token);
            return epoch != null && epoch == faults.sessionEpoch();
        }
        String auth = headers.getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) return false;
        String pair = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        return pair.equals(config.user + ":" + config.password);
    }

    private String sessionsPath() {
        ObjectNode root = resources.get("/redfish/v1");
        String p = root == null ? null : Odata.link(root.path("Links"), "Sessions");
        return p != null ? p : "/redfish/v1/SessionService/Sessions";
    }

    private JsonNode sloppyLinks(ObjectNode resource) {
        if (!config.trailingSlashes && !config.lowerCase) return resource;
        ObjectNode copy = resource.deepCopy();
        rewriteLinks(copy);
        return copy;
    }

    private void rewriteLinks(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            JsonNode id = o.get("@odata.id");
            if (id != null && id.isTextual()) {
                String link = id.asText();
                if (config.lowerCase) link = link.toLowerCase(Locale.ROOT);
                if (config.trailingSlashes && !link.endsWith("/")) link = link + "/";
                o.put("@odata.id", link);
            }
        }
        for (JsonNode child : node) rewriteLinks(child);
    }

    private void addMediaActions() {
        for (String vm : List.of("/redfish/v1/Managers/BMC/VirtualMedia/CD1", "/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD1",
                "/redfish/v1/Managers/BMC/VirtualMedia/Floppy1", "/redfish/v1/Systems/437XR1138R2/VirtualMedia/Floppy1")) {
            ObjectNode r = resources.get(vm);
            if (r == null) continue;
            ObjectNode a = r.putObject("Actions");
            a.putObject("#VirtualMedia.InsertMedia").put("target", vm + "/Actions/VirtualMedia.InsertMedia");
            a.putObject("#VirtualMedia.EjectMedia").put("target", vm + "/Actions/VirtualMedia.EjectMedia");
        }
    }

    private static String authOf(Headers headers) {
        if (headers.getFirst("X-Auth-Token") != null) return "session";
        if (headers.getFirst("Authorization") != null) return "basic";
        return "none";
    }

    private static void write(HttpExchange ex, Answer a) throws IOException {
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] bytes = a.raw() != null ? a.raw() : a.body() == null ? new byte[0] : Json.string(a.body()).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().add("OData-Version", "4.0");
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) ex.getResponseBody().write(bytes);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
