package dev.millwright.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Bearer tokens for users and service accounts. A token reads {@code mw_<id>_<secret>}: the id finds the
 * row, the secret is 256 random bits of which only the SHA-256 is stored. A slow password hash would add
 * nothing for secrets this long, and would cost every request.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "mw_";

    private final Jdbi jdbi;
    private final Clock clock;

    public Tokens(Database db, Clock clock) {
        this.jdbi = db.jdbi();
        this.clock = clock;
    }

    /** A token just issued: the only moment its secret is known. */
    public record Issued(String token, TokenRecord record) {
    }

    /**
     * Issues a token for a user ({@code tenant} empty) or a service account.
     *
     * @param ttl null for a token that does not expire
     */
    public Issued issue(String subjectKind, String tenant, String subject, String subjectUid, String description, Duration ttl,
                        String createdBy) {
        byte[] idBytes = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expires = ttl == null ? null : now.plus(ttl);
        // the token and its audit record commit together: no credential exists unaudited
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO tokens (id, subject_kind, tenant, subject, subject_uid, secret_hash, description, created_at, created_by, expires_at)
                            VALUES (:id, :kind, :tenant, :subject, CAST(:uid AS uuid), :hash, :description, :now, :by, :expires)""")
                    .bind("id", id).bind("kind", subjectKind).bind("tenant", tenant).bind("subject", subject).bind("uid", subjectUid)
                    .bind("hash", hash(secretText)).bind("description", description == null ? "" : description)
                    .bind("now", Sql.utc(now)).bind("by", createdBy).bind("expires", Sql.utc(expires)).execute();
            AuditLog.append(h, new AuditEntry(now, createdBy, "create", "Token", auditTenant(subjectKind, tenant), id, 201, "", ""));
        });
        return new Issued(PREFIX + id + "_" + secretText,
                new TokenRecord(id, subjectKind, tenant, subject, subjectUid, description == null ? "" : description, now, createdBy, expires, null));
    }

    /** The token's record when {@code bearer} is a known, unrevoked, unexpired token; empty otherwise. */
    public Optional<TokenRecord> authenticate(String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX)) return Optional.empty();
        int sep = bearer.indexOf('_', PREFIX.length());
        if (sep < 0) return Optional.empty();
        String id = bearer.substring(PREFIX.length(), sep);
        String secret = bearer.substring(sep + 1);
        if (id.length() != 16 || secret.isEmpty() || secret.length() > 64) return Optional.empty();
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tokens WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> MessageDigest.isEqual(rs.getBytes("secret_hash"), hash(secret)) ? record(rs) : null)
                .findOne())
                .filter(r -> r != null && r.isUsable(clock.instant()));
    }

    /** Revokes a token, audited as {@code actor} in the same transaction; empty when no such token exists. Revoking twice is harmless. */
    public Optional<TokenRecord> revoke(String id, String actor) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return jdbi.inTransaction(h -> {
            Optional<TokenRecord> r = h.createQuery("UPDATE tokens SET revoked_at = coalesce(revoked_at, :now) WHERE id = :id RETURNING *")
                    .bind("id", id).bind("now", Sql.utc(now)).map((rs, ctx) -> record(rs)).findOne();
            r.ifPresent(t -> AuditLog.append(h, new AuditEntry(now, actor, "delete", "Token", auditTenant(t.subjectKind(), t.tenant()), id, 200, "", "")));
            return r;
        });
    }

    /** Tokens a non-admin may manage: its own (a user's), and those of service accounts in the tenants it administers. */
    public List<TokenRecord> listFor(String user, java.util.Collection<String> adminTenants) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM tokens
                        WHERE (subject_kind = 'User' AND subject = :user) OR (subject_kind = 'ServiceAccount' AND tenant = ANY(:tenants))
                        ORDER BY created_at DESC, id LIMIT 1000""")
                .bind("user", user == null ? "" : user).bindArray("tenants", String.class, adminTenants)
                .map((rs, ctx) -> record(rs)).list());
    }

    private static String auditTenant(String subjectKind, String tenant) {
        return subjectKind.equals("ServiceAccount") ? tenant : "";
    }

    public Optional<TokenRecord> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM tokens WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> record(rs)).findOne());
    }

    /** Tokens, newest first; a null filter matches anything. */
    public List<TokenRecord> list(String subjectKind, String tenant, String subject) {
        StringBuilder sql = new StringBuilder("SELECT * FROM tokens WHERE true");
        if (subjectKind != null) sql.append(" AND subject_kind = :kind");
        if (tenant != null) sql.append(" AND tenant = :tenant");
        if (subject != null) sql.append(" AND subject = :subject");
        sql.append(" ORDER BY created_at DESC, id LIMIT 1000");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString());
            if (subjectKind != null) q.bind("kind", subjectKind);
            if (tenant != null) q.bind("tenant", tenant);
            if (subject != null) q.bind("subject", subject);
            return q.map((rs, ctx) -> record(rs)).list();
        });
    }

    private static TokenRecord record(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TokenRecord(rs.getString("id"), rs.getString("subject_kind"), rs.getString("tenant"),
                rs.getString("subject"), rs.getString("subject_uid"), rs.getString("description"), Sql.instant(rs, "created_at"),
                rs.getString("created_by"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "revoked_at"));
    }

    private static byte[] hash(String secret) {
        return dev.millwright.resource.Json.sha256(secret.getBytes(StandardCharsets.UTF_8));
    }
}
