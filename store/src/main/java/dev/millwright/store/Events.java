package dev.millwright.store;

import dev.millwright.resource.ResourceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Events about objects, with bounded retention: the same event on the same object is one row with a count,
 * each object keeps its newest {@code perObjectLimit} events, and {@link #purge} drops events older than the
 * time to live and trims the table to its total limit.
 */
public final class Events {
    /** Longest message kept; the rest is cut so one event cannot bloat the table. */
    public static final int MAX_MESSAGE = 1024;

    private final Jdbi jdbi;
    private final Clock clock;
    private final int perObjectLimit;
    private final Duration timeToLive;
    private final int totalLimit;

    public Events(Database db, Clock clock, int perObjectLimit, Duration timeToLive, int totalLimit) {
        if (perObjectLimit < 1) throw new IllegalArgumentException("perObjectLimit must be positive");
        if (totalLimit < perObjectLimit) throw new IllegalArgumentException("totalLimit must be at least perObjectLimit");
        this.jdbi = db.jdbi();
        this.clock = clock;
        this.perObjectLimit = perObjectLimit;
        this.timeToLive = timeToLive;
        this.totalLimit = totalLimit;
    }

    /** Records an event, or counts it again if the object already has the same one. */
    public void record(ResourceKey involved, String type, String reason, String message, String source) {
        if (!type.equals("Normal") && !type.equals("Warning")) throw new IllegalArgumentException("type must be Normal or Warning");
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO events (kind, tenant, name, type, reason, message, source, count, first_at, last_at)
                            VALUES (:kind, :tenant, :name, :type, :reason, :message, :source, 1, :now, :now)
                            ON CONFLICT (kind, tenant, name, type, reason, md5(message))
                            DO UPDATE SET count = events.count + 1, last_at = EXCLUDED.last_at, source = EXCLUDED.source""")
                    .bind("kind", involved.kind()).bind("tenant", involved.tenant()).bind("name", involved.name())
                    .bind("type", type).bind("reason", reason).bind("message", text).bind("source", source)
                    .bind("now", Sql.utc(now)).execute();
            h.createUpdate("""
                            DELETE FROM events WHERE id IN (
                              SELECT id FROM events WHERE kind = :kind AND tenant = :tenant AND name = :name
                              ORDER BY last_at DESC, id DESC OFFSET :keep)""")
                    .bind("kind", involved.kind()).bind("tenant", involved.tenant()).bind("name", involved.name())
                    .bind("keep", perObjectLimit).execute();
        });
    }

    /** The events of one object, newest first. */
    public List<EventRecord> forObject(ResourceKey involved) {
        return query("WHERE kind = :kind AND tenant = :tenant AND name = :name", involved, null, perObjectLimit);
    }

    /** Events of objects in the given tenants (null: all; "" is the platform), newest first. */
    public List<EventRecord> list(Set<String> tenants, int limit) {
        if (tenants != null && tenants.isEmpty()) return List.of();
        return query(tenants == null ? "" : "WHERE tenant = ANY(:tenants)", null, tenants, limit);
    }

    private List<EventRecord> query(String where, ResourceKey key, Set<String> tenants, int limit) {
        return jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT * FROM events " + where + " ORDER BY last_at DESC, id DESC LIMIT :limit")
                    .bind("limit", limit);
            if (key != null) q.bind("kind", key.kind()).bind("tenant", key.tenant()).bind("name", key.name());
            if (tenants != null) q.bindArray("tenants", String.class, tenants);
            return q.map((rs, ctx) -> new EventRecord(rs.getLong("id"),
                    new ResourceKey(rs.getString("kind"), rs.getString("tenant"), rs.getString("name")),
                    rs.getString("type"), rs.getString("reason"), rs.getString("message"), rs.getString("source"),
                    rs.getInt("count"), Sql.instant(rs, "first_at"), Sql.instant(rs, "last_at"))).list();
        });
    }

    /** Drops expired events and trims the table to its total limit; returns how many were removed. */
    public int purge() {
        Instant horizon = clock.instant().minus(timeToLive);
        return jdbi.inTransaction(h -> {
            int expired = h.createUpdate("DELETE FROM events WHERE last_at < :horizon").bind("horizon", Sql.utc(horizon)).execute();
            int trimmed = h.createUpdate("DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY last_at DESC, id DESC OFFSET :keep)")
                    .bind("keep", totalLimit).execute();
            return expired + trimmed;
        });
    }

    /** Events of objects that no longer exist go with them. */
    public void deleteFor(ResourceKey involved) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM events WHERE kind = :kind AND tenant = :tenant AND name = :name")
                .bind("kind", involved.kind()).bind("tenant", involved.tenant()).bind("name", involved.name()).execute());
    }
}
