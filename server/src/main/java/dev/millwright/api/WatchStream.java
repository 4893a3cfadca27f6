package dev.millwright.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.FieldSelector;
import dev.millwright.resource.GoneException;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.LabelSelector;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourcePage;
import dev.millwright.tenancy.AccessPolicy;
import dev.millwright.tenancy.Principal;
import dev.millwright.watch.Change;
import dev.millwright.watch.ChangeFeed;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A watch as server-sent events. Each change event's {@code id} is its revision; a client that reconnects
 * with {@code Last-Event-ID} (or {@code ?resourceVersion=}) gets every later change exactly once. Without a
 * revision the stream starts with the current objects as ADDED events (without ids), then a BOOKMARK with
 * the revision they were read at, then follows the feed from there. BOOKMARK events also carry the feed's
 * revision while nothing matches, so that a filtered watch can resume from a recent point. A watch from a
 * compacted revision is answered 410 before the stream starts; errors once it has started (a revoked token,
 * a lost membership, a compaction) arrive as an ERROR event that ends the stream.
 */
final class WatchStream {
    /** How long a quiet stream waits before sending a BOOKMARK (also a keep-alive through proxies). */
    static final Duration BOOKMARK_INTERVAL = Duration.ofSeconds(5);
    /**
     * How often the caller is authenticated and authorized again: a revoked token, a disabled user or a lost
     * membership ends its streams within this time (plus the authenticator's cache time).
     */
    static final Duration REAUTHENTICATE_INTERVAL = Duration.ofSeconds(5);
    static final AtomicInteger OPEN = new AtomicInteger();

    private final ApiContext api;

    WatchStream(ApiContext api) {
        this.api = api;
    }

    /** Most watch streams one token may hold open; each holds a server thread. */
    static final int MAX_WATCHES_PER_TOKEN = 64;
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> perToken = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param scope the tenants the caller may watch (null: all), re-evaluated for the caller's current
     *              principal while the stream is open; throws when the caller has lost access
     */
    void serve(Context ctx, KindDefinition kind, java.util.function.Function<Principal, Set<String>> scope,
               LabelSelector selector, FieldSelector fields, Principal p, String tokenId) throws IOException {
        String from = ctx.header("Last-Event-ID");
        if (from == null || from.isBlank()) from = ctx.queryParam("resourceVersion");
        long revision = from == null || from.isBlank() ? -1 : parseRevision(from);
        ChangeFeed.Watch watch = null;
        if (revision >= 0) {
            long through = api.feed().compactedThrough();
            if (revision < through) {
                throw new GoneException("resourceVersion " + revision + " is too old: the change feed now starts after "
                        + through + "; list again and watch from the list's resourceVersion");
            }
            watch = api.feed().watch(revision);
        }
        AtomicInteger mine = perToken.computeIfAbsent(tokenId, k -> new AtomicInteger());
        if (mine.incrementAndGet() > MAX_WATCHES_PER_TOKEN) {
            mine.decrementAndGet();
            throw new dev.millwright.resource.MillwrightException(429, "TooManyRequests",
                    "this token already holds " + MAX_WATCHES_PER_TOKEN + " open watches; close some first");
        }
        var res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();
        OPEN.incrementAndGet();
        try {
            Set<String> tenants = scope.apply(p);
            if (watch == null) revision = sendCurrentObjects(out, kind, tenants, selector, fields, p);
            if (watch == null) watch = api.feed().watch(revision);
            out.flush();
            follow(out, watch, kind, scope, selector, fields, p, ctx.header("Authorization"));
        } catch (IOException e) {
            // the client went away: nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (dev.millwright.resource.MillwrightException e) {
            error(out, e.status(), e.title(), e.getMessage()); // the headers are sent: the error is an event
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(WatchStream.class).error("watch stream failed", e);
            error(out, 500, "InternalError", "the watch failed on the server; list and watch again");
        } finally {
            OPEN.decrementAndGet();
            mine.decrementAndGet();
        }
    }

    /**
     * The current objects as ADDED events, read in one snapshot, then a BOOKMARK with that snapshot's
     * revision. The ADDED events carry no id: only the bookmark is a point a client may resume from.
     */
    private long sendCurrentObjects(OutputStream out, KindDefinition kind, Set<String> tenants, LabelSelector selector,
                                    FieldSelector fields, Principal p) throws IOException {
        ResourcePage page = api.store().listAll(new ListOptions(kind.kind(), tenants, selector, fields, ListOptions.MAX_LIMIT, null));
        for (Resource r : page.items()) {
            if (AccessPolicy.canSee(p, kind, r)) send(out, "ADDED", -1, ResourceCodec.toJson(r));
        }
        bookmark(out, page.revision());
        return page.revision();
    }

    private void follow(OutputStream out, ChangeFeed.Watch watch, KindDefinition kind,
                        java.util.function.Function<Principal, Set<String>> scope, LabelSelector selector,
                        FieldSelector fields, Principal p, String authorization) throws IOException, InterruptedException {
        Set<String> tenants = scope.apply(p);
        long lastSent = System.nanoTime();
        long lastAuth = System.nanoTime();
        while (true) {
            var batch = watch.next(Duration.ofSeconds(1));
            boolean sent = false;
            for (Change c : batch) {
                if (!c.key().kind().equals(kind.kind())) continue;
                if (tenants != null && !tenants.contains(c.key().tenant())) continue;
                if (!selector.matches(c.labels())) continue;
                if (!fields.isEverything() && !fields.matchesWire(c.object())) continue;
                if (AccessPolicy.decide(p, dev.millwright.tenancy.Verb.GET, kind, c.key().tenant(), c.key().name())
                        != AccessPolicy.Decision.ALLOW) continue;
                write(out, c.type().name(), c.revision(), c.eventJson());
                sent = true;
            }
            long now = System.nanoTime();
            if (sent) {
                out.flush();
                lastSent = now;
            } else if (now - lastSent > BOOKMARK_INTERVAL.toNanos()) {
                bookmark(out, watch.revision());
                out.flush();
                lastSent = now;
            }
            if (now - lastAuth > REAUTHENTICATE_INTERVAL.toNanos()) {
                // roles, memberships and the token itself may have changed: authorize the stream again
                lastAuth = now;
                p = api.authenticator().authenticate(authorization).principal();
                tenants = scope.apply(p);
            }
        }
    }

    private static void send(OutputStream out, String type, long revision, ObjectNode object) throws IOException {
        ObjectNode event = Json.object();
        event.put("type", type);
        event.set("object", object);
        write(out, type, revision, Json.string(event));
    }

    private static void bookmark(OutputStream out, long revision) throws IOException {
        ObjectNode event = Json.object();
        event.put("type", "BOOKMARK");
        event.put("resourceVersion", Long.toString(revision));
        write(out, "BOOKMARK", revision, Json.string(event));
    }

    private static void error(OutputStream out, int status, String title, String message) throws IOException {
        ObjectNode event = Json.object();
        event.put("type", "ERROR");
        event.set("object", ErrorMapper.body(status, title, message, java.util.Map.of()));
        write(out, "ERROR", -1, Json.string(event));
        out.flush();
    }

    private static void write(OutputStream out, String type, long revision, String data) throws IOException {
        StringBuilder sb = new StringBuilder(data.length() + 64);
        if (revision >= 0) sb.append("id: ").append(revision).append('\n');
        sb.append("event: ").append(type).append('\n');
        sb.append("data: ").append(data).append("\n\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static long parseRevision(String text) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new dev.millwright.resource.BadRequestException("resourceVersion", "must be a revision returned by the server, got \"" + text + "\"");
        }
    }
}
