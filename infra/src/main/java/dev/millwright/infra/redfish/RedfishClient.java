package dev.millwright.infra.redfish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.redfish.RedfishException.Failure;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * HTTP to one BMC: authentication, retries and the reading of answers.
 *
 * <p><b>Authentication.</b> With a username, the first request opens a Redfish session (POST of UserName and
 * Password to the service root's {@code Links.Sessions}) and sends its {@code X-Auth-Token} from then on. A BMC
 * without a session service (404, 405, 501, or no token in the answer) gets HTTP Basic on every request instead.
 * When a session is dropped under us (a 401 on a token that worked: the BMC restarted, or its session table
 * overflowed) the client logs in again once and repeats the request; a second 401 is the answer.
 *
 * <p><b>Retries.</b> A dropped connection and a 500, 502, 503 or 504 are tried again, up to
 * {@link BmcConnection#attempts()} tries with doubling waits, for reads and for PATCH (which sets values, so
 * twice is the same as once). An action (POST) is repeated only on 503, which says it was not started. A
 * timeout is not retried: a BMC that takes longer than the timeout once will likely do it again, and the caller
 * should hear about it within one timeout, not several.
 *
 * <p>Thread-safe: controllers may share one client. Credentials go only to the endpoint's own origin: a link to
 * another host is followed by path on this one.
 */
final class RedfishClient implements AutoCloseable {
    /** The longest a Retry-After header may make us wait between two tries. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);
    static final String SERVICE_ROOT = "/redfish/v1/";
    /** Pages of one collection read at most: a guard against a BMC whose next link points back at itself. */
    static final int MAX_PAGES = 100;

    /** An answer: status, the JSON body (null when empty or not JSON on an error), ETag and Location. */
    record Reply(String method, String path, int status, JsonNode body, String etag, String location) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The BMC's own words for an error: {@code error.message} and each {@code @Message.ExtendedInfo} message. */
        String message() {
            if (body == null) return "HTTP " + status;
            StringBuilder sb = new StringBuilder();
            JsonNode error = body.path("error");
            String main = Odata.text(error.path("message"));
            if (main != null) sb.append(main);
            for (JsonNode info : error.path("@Message.ExtendedInfo")) {
                String m = Odata.text(info.path("Message"));
                if (m != null && !sb.toString().contains(m)) sb.append(sb.length() == 0 ? "" : "; ").append(m);
            }
            return sb.length() == 0 ? "HTTP " + status : "HTTP " + status + ": " + sb;
        }
    }

    private enum Auth { NOT_YET, NONE, SESSION, BASIC }

    private final BmcConnection conn;
    private final HttpClient http;
    private final Object authLock = new Object();
    /** Guarded by authLock. */
    private Auth auth = Auth.NOT_YET;
    /** The session token, or null; guarded by authLock, read without it for requests (volatile). */
    private volatile String token;
    /** Guarded by authLock. */
    private String sessionPath;

    RedfishClient(BmcConnection conn) {
        this.conn = conn;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // BMCs speak HTTP/1.1; an h2c upgrade offer confuses some
                .connectTimeout(conn.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .sslContext(RedfishTls.context(conn))
                .build();
    }

    BmcConnection connection() {
        return conn;
    }

    Reply get(String path) {
        return send("GET", path, null, null);
    }

    /** The resource at {@code path}, or empty on 404; any other error throws. */
    Optional<JsonNode> find(String path) {
        Reply r = get(path);
        if (r.status() == 404) return Optional.empty();
        return Optional.of(object(r));
    }

    /** The resource at {@code path}; a 404 or any other error throws, naming the path. */
    JsonNode read(String path) {
        Reply r = get(path);
        if (r.status() == 404) throw new RedfishException(Failure.NOT_FOUND, 404, where(r) + " is not there (404)", null);
        return object(r);
    }

    /**
     * The member paths of a collection, following {@code Members@odata.nextLink} pages (up to {@link #MAX_PAGES});
     * empty when the collection is not there (404).
     */
    java.util.List<String> members(String collectionPath) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String page = collectionPath;
        while (page != null && seen.size() < MAX_PAGES && seen.add(page)) { // a next link back to a page read is the end
            JsonNode c = find(page).orElse(null);
            if (c == null) break;
            out.addAll(Odata.members(c));
            page = Odata.text(c.path("Members@odata.nextLink"));
        }
        return java.util.List.copyOf(out);
    }

    Reply patch(String path, JsonNode body, String ifMatch) {
        return send("PATCH", path, body, ifMatch);
    }

    Reply post(String path, JsonNode body) {
        return send("POST", path, body, null);
    }

    /** The body of a successful answer as a JSON object; anything else throws. */
    JsonNode object(Reply r) {
        if (!r.ok()) throw failed(r);
        if (r.body() == null || !r.body().isObject()) {
            throw new RedfishException(Failure.MALFORMED, r.status(), where(r) + " answered with no JSON object", null);
        }
        return r.body();
    }

    /** The exception for an answer that is an error: the BMC's message, the request and the status. */
    RedfishException failed(Reply r) {
        return new RedfishException(Failure.HTTP_ERROR, r.status(), where(r) + " failed: " + r.message(), null);
    }

    String where(Reply r) {
        return "BMC " + conn.origin() + " " + r.method() + " " + Odata.pathOf(r.path());
    }

    private Reply send(String method, String path, JsonNode body, String ifMatch) {
        ensureLoggedIn();
        HttpResponse<byte[]> response = exchange(method, path, body, ifMatch, true);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            String who = conn.username() == null ? "without credentials" : "as " + conn.username();
            throw new RedfishException(Failure.DENIED, status, "BMC " + conn.origin() + " refused " + method + " "
                    + Odata.pathOf(path) + " " + who + " (" + status + (status == 401 ? ", credentials not accepted)" : ", not permitted)"), null);
        }
        return reply(method, path, response);
    }

    /** One request with the retries described above; a 401 on a session re-logs in once. */
    private HttpResponse<byte[]> exchange(String method, String path, JsonNode body, String ifMatch, boolean authenticated) {
        URI uri = uri(path);
        Duration wait = conn.backoff();
        boolean relogged = false;
        for (int attempt = 1; ; attempt++) {
            String sentToken = token;
            HttpResponse<byte[]> response;
            try {
                response = http.send(request(method, uri, body, ifMatch, authenticated), HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                throw new RedfishException(Failure.TIMEOUT, 0, "BMC " + conn.origin() + " did not answer " + method + " "
                        + Odata.pathOf(path) + " within " + conn.timeout().toMillis() + " ms", e);
            } catch (IOException e) {
                if (tlsCause(e) != null) throw tls(e);
                if (attempt < conn.attempts()) {
                    wait = pause(wait, null);
                    continue;
                }
                throw new RedfishException(Failure.UNREACHABLE, 0, "cannot reach BMC " + conn.origin() + " (" + method + " "
                        + Odata.pathOf(path) + ", " + attempt + (attempt == 1 ? " try" : " tries") + "): " + reason(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedfishException(Failure.UNREACHABLE, 0, "interrupted while calling BMC " + conn.origin(), e);
            }
            int status = response.statusCode();
            if (status == 401 && authenticated && !relogged && sessionInUse()) {
                relogged = true;
                attempt--; // a new session is not a retry of a failing BMC
                relogin(sentToken);
                continue;
            }
            boolean idempotent = !method.equals("POST");
            boolean retryable = status == 503 || (idempotent && (status == 500 || status == 502 || status == 504));
            if (retryable && attempt < conn.attempts()) {
                wait = pause(wait, response.headers().firstValue("Retry-After").orElse(null));
                continue;
            }
            return response;
        }
    }

    private HttpRequest request(String method, URI uri, JsonNode body, String ifMatch, boolean authenticated) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.string(body));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(conn.timeout()).method(method, publisher)
                .header("Accept", "application/json").header("OData-Version", "4.0");
        if (body != null) b.header("Content-Type", "application/json; charset=utf-8");
        if (ifMatch != null) b.header("If-Match", ifMatch);
        if (authenticated) {
            String t = token;
            if (t != null) {
                b.header("X-Auth-Token", t);
            } else if (basic()) {
                String pair = conn.username() + ":" + (conn.password() == null ? "" : conn.password());
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return b.build();
    }

    private Reply reply(String method, String path, HttpResponse<byte[]> response) {
        byte[] bytes = response.body();
        int status = response.statusCode();
        JsonNode body = null;
        if (bytes != null && bytes.length > 0 && !isBlank(bytes)) {
            try {
                body = Json.MAPPER.readTree(bytes);
            } catch (JsonProcessingException e) {
                // an error page in HTML on a 4xx/5xx is common and says nothing more than the status
                if (status / 100 == 2) {
                    String html = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8).stripLeading().startsWith("<")
                            ? " (an HTML or XML page: is this a Redfish service?)" : "";
                    throw new RedfishException(Failure.MALFORMED, status, "BMC " + conn.origin() + " answered " + method + " "
                            + Odata.pathOf(path) + " with malformed JSON: " + e.getOriginalMessage() + location(e) + html, e);
                }
            } catch (IOException e) {
                throw new RedfishException(Failure.MALFORMED, status, "cannot read the answer of BMC " + conn.origin(), e);
            }
        }
        String etag = response.headers().firstValue("ETag").orElse(body == null ? null : Odata.text(body.path("@odata.etag")));
        String location = response.headers().firstValue("Location").orElse(null);
        return new Reply(method, path, status, body, etag, location);
    }

    // ---- sessions

    private boolean sessionInUse() {
        synchronized (authLock) {
            return auth == Auth.SESSION;
        }
    }

    private boolean basic() {
        synchronized (authLock) {
            return auth == Auth.BASIC;
        }
    }

    private void ensureLoggedIn() {
        synchronized (authLock) {
            if (auth != Auth.NOT_YET) return;
            if (conn.username() == null) {
                auth = Auth.NONE;
                return;
            }
            login();
        }
    }

    /** Logs in again unless another thread already replaced the token that was refused. */
    private void relogin(String refusedToken) {
        synchronized (authLock) {
            if (token != null && !token.equals(refusedToken)) return;
            token = null;
            login();
        }
    }

    /** Opens a session, or settles for Basic when the BMC has no session service. Called under authLock. */
    private void login() {
        String sessions = sessionsPath();
        var credentials = Json.object().put("UserName", conn.username()).put("Password", conn.password() == null ? "" : conn.password());
        HttpResponse<byte[]> r = exchange("POST", sessions, credentials, null, false);
        int status = r.statusCode();
        Optional<String> t = r.headers().firstValue("X-Auth-Token");
        if (status / 100 == 2 && t.isPresent() && !t.get().isBlank()) {
            auth = Auth.SESSION;
            token = t.get();
            Reply reply = reply("POST", sessions, r);
            sessionPath = reply.location() != null ? reply.location() : reply.body() == null ? null : Odata.id(reply.body());
            return;
        }
        if (status == 401 || status == 403) {
            throw new RedfishException(Failure.DENIED, status, "BMC " + conn.origin() + " refused the credentials of user "
                    + conn.username() + " (" + status + " on POST " + Odata.pathOf(sessions) + ")", null);
        }
        auth = Auth.BASIC; // 404, 405, 501, or a session without a token: this BMC wants Basic
    }

    /** The session collection the service root names; the standard path when the root does not say. */
    private String sessionsPath() {
        HttpResponse<byte[]> r = exchange("GET", SERVICE_ROOT, null, null, false);
        if (r.statusCode() / 100 == 2) {
            JsonNode root = reply("GET", SERVICE_ROOT, r).body();
            if (root != null) {
                String p = Odata.link(root.path("Links"), "Sessions");
                if (p != null) return p;
            }
        }
        return "/redfish/v1/SessionService/Sessions";
    }

    /** Ends the session, if one was opened; best effort, one try, since the BMC expires it anyway. */
    @Override
    public void close() {
        String path;
        synchronized (authLock) {
            path = auth == Auth.SESSION ? sessionPath : null;
            if (path == null) return;
            try {
                http.send(request("DELETE", uri(path), null, null, true), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // the session times out on its own
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            token = null;
            sessionPath = null;
            auth = Auth.NOT_YET;
        }
    }

    // ---- helpers

    private URI uri(String path) {
        return URI.create(conn.origin() + escape(Odata.pathOf(path)));
    }

    /** Percent-encodes what a BMC may put in an {@code @odata.id} but a URI may not hold (spaces, quotes, braces). */
    static String escape(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean safe = c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/%?".indexOf(c) >= 0);
            if (safe) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    private Duration pause(Duration wait, String retryAfter) {
        Duration d = wait;
        if (retryAfter != null) {
            try {
                Duration asked = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
                if (asked.compareTo(d) > 0) d = asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
            } catch (NumberFormatException e) {
                // an HTTP date: keep our own backoff
            }
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedfishException(Failure.UNREACHABLE, 0, "interrupted while waiting to retry BMC " + conn.origin(), e);
        }
        return wait.multipliedBy(2);
    }

    private RedfishException tls(IOException e) {
        SSLException cause = tlsCause(e);
        return new RedfishException(Failure.TLS, 0, "TLS with BMC " + conn.origin() + " failed: "
                + (cause == null ? e.getMessage() : cause.getMessage()), e);
    }

    private static SSLException tlsCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof SSLException s) return s;
        return null;
    }

    /** Why a connection failed, in words: the JDK often wraps the useful part (refused, unknown host) without a message. */
    private static String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) return "connection refused (ConnectException): nothing listens there, or a firewall rejects it";
            if (t instanceof java.net.UnknownHostException) return "unknown host (UnknownHostException): " + t.getMessage();
            if (t instanceof java.net.NoRouteToHostException) return "no route to host (NoRouteToHostException)";
        }
        String message = null;
        for (Throwable t = e; t != null && message == null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) if (!Character.isWhitespace(b)) return false;
        return true;
    }
}
