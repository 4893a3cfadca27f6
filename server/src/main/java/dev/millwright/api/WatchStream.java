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
 * A watch as server-sent events. Each event's {@code id} is its revision; a client that reconnects with
 * {@code Last-Event-ID} (or {@code ?resourceVersion=}) gets every later change exactly once. Without a
 * revision the stream starts with the current objects as ADDED events, then follows the feed from the list's
 * revision. BOOKMARK events carry the feed's revision while nothing matches, so that a filtered watch can
 * resume from a recent point; a watch from a compacted revision gets an ERROR event with status 410.
 */
final class WatchStream {
    /** How long a quiet stream waits before sending a BOOKMARK (also a keep-alive through proxies). */
    static final Duration BOOKMARK_INTERVAL = Duration.ofSeconds(5);
    /** How often the caller's token is checked again, so a revoked token ends its streams. */
    static final Duration REAUTHENTICATE_INTERVAL = Duration.ofSeconds(30);
    static final AtomicInteger OPEN = new AtomicInteger();

    private final ApiContext api;

    WatchStream(ApiContext api) {
        this.api = api;
    }

    void serve(Context ctx, KindDefinition kind, Set<String> tenants, LabelSelector selector, FieldSelector fields,
               Principal p, String tokenId)
            throws IOException {
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
        var res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();
        OPEN.incrementAndGet();
        try {
            if (watch == null) revision = sendCurrentObjects(out, kind, tenants, selector, fields, p);
            if (watch == null) watch = api.feed().watch(revision);
            out.flush();
            follow(out, watch, kind, tenants, selector, fields, p, tokenId);
        } catch (IOException e) {
            // the client went away: nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            OPEN.decrementAndGet();
        }
    }

    private long sendCurrentObjects(OutputStream out, KindDefinition kind, Set<String> tenants, LabelSelector selector,
                                    FieldSelector fields, Principal p) throws IOException {
        String token = null;
        long revision = -1;
        do {
            ResourcePage page = api.store().list(new ListOptions(kind.kind(), tenants, selector, fields, ListOptions.MAX_LIMIT, token));
            if (revision < 0) revision = page.revision();
            for (Resource r : page.items()) {
                if (AccessPolicy.canSee(p, kind, r)) send(out, "ADDED", r.resourceVersion(), ResourceCodec.toJson(r));
            }
            token = page.continueToken();
        } while (token != null);
        bookmark(out, revision);
        return revision;
    }

    private void follow(OutputStream out, ChangeFeed.Watch watch, KindDefinition kind, Set<String> tenants,
                        LabelSelector selector, FieldSelector fields, Principal p, String tokenId)
            throws IOException, InterruptedException {
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
                lastAuth = now;
                if (api.tokens().find(tokenId).map(t -> !t.isUsable(api.clock().instant())).orElse(true)) {
                    error(out, 401, "Unauthorized", "the token was revoked or expired");
                    return;
                }
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
