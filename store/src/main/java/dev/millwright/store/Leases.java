package dev.millwright.store;

import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Leader-election leases in PostgreSQL. Expiry is judged by the database's clock ({@code now()}), not by
 * the replicas', so replicas with skewed clocks still agree on who holds a lease.
 */
public final class Leases {
    private final Jdbi jdbi;

    public Leases(Database db) {
        this.jdbi = db.jdbi();
    }

    /**
     * Takes the lease if it is free or expired, or renews it if {@code holder} already has it.
     *
     * @return the lease when {@code holder} holds it afterwards; empty when another holder does
     */
    public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO leases (name, holder, fence, acquired_at, renewed_at, expires_at)
                        VALUES (:name, :holder, 1, now(), now(), now() + make_interval(secs => :ttl))
                        ON CONFLICT (name) DO UPDATE SET
                          fence = CASE WHEN leases.holder = EXCLUDED.holder AND leases.expires_at > now()
                                       THEN leases.fence ELSE leases.fence + 1 END,
                          acquired_at = CASE WHEN leases.holder = EXCLUDED.holder AND leases.expires_at > now()
                                       THEN leases.acquired_at ELSE now() END,
                          holder = EXCLUDED.holder,
                          renewed_at = now(),
                          expires_at = EXCLUDED.expires_at
                        WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= now()
                        RETURNING name, holder, fence, expires_at""")
                .bind("name", name).bind("holder", holder).bind("ttl", ttl.toMillis() / 1000.0)
                .map((rs, ctx) -> new Lease(rs.getString("name"), rs.getString("holder"), rs.getLong("fence"),
                        Sql.instant(rs, "expires_at")))
                .findOne());
    }

    /** Gives the lease up early so another replica can take it at once; a no-op if it changed hands. */
    public void release(Lease lease) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE leases SET expires_at = now() WHERE name = :name AND holder = :holder AND fence = :fence")
                .bind("name", lease.name()).bind("holder", lease.holder()).bind("fence", lease.token()).execute());
    }

    /** The current holder of a lease, expired or not. */
    public Optional<Lease> current(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, holder, fence, expires_at FROM leases WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> new Lease(rs.getString("name"), rs.getString("holder"), rs.getLong("fence"),
                        Sql.instant(rs, "expires_at")))
                .findOne());
    }
}
