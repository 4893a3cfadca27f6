package dev.millwright.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The tamper-evident audit log: a hash chain in PostgreSQL.
 *
 * <p>Each record's hash is {@code sha256(previous hash || seq as 8 bytes || utf8(payload))}; the newest hash
 * and sequence number also live in {@code audit_head}. Editing any field of a record breaks its own hash,
 * deleting a record breaks its successor's, and deleting the newest records breaks the head. Appending
 * updates the head row, so appends are serialised by its lock, and the chain has no forks.
 */
public final class AuditLog {
    /** Appends one record; {@code :payload} and the entry fields are bound by {@link #bindEntry}. */
    static final String APPEND_CTES = """
            h AS (
              UPDATE audit_head SET seq = seq + 1,
                     hash = sha256(hash || int8send(seq + 1) || convert_to(:a_payload, 'UTF8'))
              WHERE id = 1 %s
              RETURNING seq, hash
            ), a AS (
              INSERT INTO audit (seq, at, actor, verb, kind, tenant, name, outcome, reason, digest, hash)
              SELECT h.seq, :a_at, :a_actor, :a_verb, :a_kind, :a_tenant, :a_name, :a_outcome, :a_reason, :a_digest, h.hash
              FROM h
              RETURNING seq
            )""";

    /** Appends one record whose place in the chain the batch computed (see {@link AuditChain}); only if {@code w} wrote. */
    static final String INSERT_LINKED = """
            a AS (
              INSERT INTO audit (seq, at, actor, verb, kind, tenant, name, outcome, reason, digest, hash)
              SELECT :a_seq, :a_at, :a_actor, :a_verb, :a_kind, :a_tenant, :a_name, :a_outcome, :a_reason, :a_digest, :a_hash
              FROM w
              RETURNING seq
            )""";

    private final Jdbi jdbi;

    public AuditLog(Database db) {
        this.jdbi = db.jdbi();
    }

    /** Records a request that changed nothing (denied, invalid, conflicting), in a transaction of its own. */
    public long record(AuditEntry entry) {
        return jdbi.withHandle(h -> append(h, entry));
    }

    static long append(Handle h, AuditEntry entry) {
        String sql = "WITH " + APPEND_CTES.formatted("") + " SELECT seq FROM a";
        return bindEntry(h.createQuery(sql), entry).mapTo(Long.class).one();
    }

    static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindEntry(T statement, AuditEntry e) {
        return statement.bind("a_payload", e.payload())
                .bind("a_at", Sql.utc(e.at()))
                .bind("a_actor", e.actor())
                .bind("a_verb", e.verb())
                .bind("a_kind", e.kind())
                .bind("a_tenant", e.tenant())
                .bind("a_name", e.name())
                .bind("a_outcome", e.outcome())
                .bind("a_reason", e.reason())
                .bind("a_digest", e.digest());
    }

    public List<AuditRecord> query(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit WHERE true");
        if (q.tenant() != null) sql.append(" AND tenant = :tenant");
        if (q.actor() != null) sql.append(" AND actor = :actor");
        if (q.kind() != null) sql.append(" AND kind = :kind");
        if (q.since() != null) sql.append(" AND at >= :since");
        if (q.until() != null) sql.append(" AND at < :until");
        if (q.beforeSeq() > 0) sql.append(" AND seq < :before");
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("limit", q.limit());
            if (q.tenant() != null) query.bind("tenant", q.tenant());
            if (q.actor() != null) query.bind("actor", q.actor());
            if (q.kind() != null) query.bind("kind", q.kind());
            if (q.since() != null) query.bind("since", Sql.utc(q.since()));
            if (q.until() != null) query.bind("until", Sql.utc(q.until()));
            if (q.beforeSeq() > 0) query.bind("before", q.beforeSeq());
            return query.map((rs, ctx) -> new AuditRecord(rs.getLong("seq"), entry(rs),
                    HexFormat.of().formatHex(rs.getBytes("hash")))).list();
        });
    }

    /** Re-computes the whole chain from the first record, streaming, and compares it with the head. */
    public AuditVerification verify() {
        return jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, h -> {
            byte[] previous = new byte[32];
            long expectedSeq = 1;
            long checked = 0;
            try (var rows = h.createQuery("SELECT * FROM audit ORDER BY seq").setFetchSize(1000)
                    .map((rs, ctx) -> new Object[] {rs.getLong("seq"), entry(rs), rs.getBytes("hash")}).stream()) {
                for (var it = rows.iterator(); it.hasNext(); ) {
                    Object[] row = it.next();
                    long seq = (Long) row[0];
                    AuditEntry entry = (AuditEntry) row[1];
                    byte[] stored = (byte[]) row[2];
                    checked++;
                    if (seq != expectedSeq) {
                        return broken(checked, expectedSeq, "record " + expectedSeq + " is missing (next is " + seq + ")", previous);
                    }
                    byte[] computed = chain(previous, seq, entry.payload());
                    if (!MessageDigest.isEqual(computed, stored)) {
                        return broken(checked, seq, "record " + seq + " does not match its hash: it was edited, or one before it was", previous);
                    }
                    previous = stored;
                    expectedSeq++;
                }
            }
            var head = h.createQuery("SELECT seq, hash FROM audit_head WHERE id = 1")
                    .map((rs, ctx) -> new Object[] {rs.getLong("seq"), rs.getBytes("hash")}).one();
            long headSeq = (Long) head[0];
            if (headSeq != expectedSeq - 1 || !Arrays.equals((byte[]) head[1], previous)) {
                return broken(checked, expectedSeq, "the chain ends at record " + (expectedSeq - 1)
                        + " but its head says " + headSeq + ": records were removed from the end", previous);
            }
            return new AuditVerification(true, checked, -1, "", HexFormat.of().formatHex(previous));
        });
    }

    private static AuditVerification broken(long checked, long seq, String problem, byte[] lastGood) {
        return new AuditVerification(false, checked, seq, problem, HexFormat.of().formatHex(lastGood));
    }

    static byte[] chain(byte[] previous, long seq, String payload) {
        byte[] p = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(previous.length + 8 + p.length);
        buf.put(previous).putLong(seq).put(p);
        return dev.millwright.resource.Json.sha256(buf.array());
    }

    private static AuditEntry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AuditEntry(Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("verb"),
                rs.getString("kind"), rs.getString("tenant"), rs.getString("name"), rs.getInt("outcome"),
                rs.getString("reason"), rs.getString("digest"));
    }

    /** The number of records, for metrics and tests. */
    public long size() {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM audit_head WHERE id = 1").mapTo(Long.class).one());
    }

}
