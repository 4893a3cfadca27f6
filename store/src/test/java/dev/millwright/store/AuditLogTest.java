package dev.millwright.store;

import static dev.millwright.store.Fixtures.ADMIN;
import static dev.millwright.store.Fixtures.object;
import static dev.millwright.store.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hash-chained audit log: what appends to it, what verify() catches, and how it is queried. */
class AuditLogTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private Database db;
    private ResourceStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
        if (db != null) db.close();
    }

    /** A database of its own, since these tests tamper with it. */
    private AuditLog freshLog(String hint) {
        db = TestDatabases.fresh(hint);
        return new AuditLog(db);
    }

    private static AuditEntry entry(int minute, String actor, String verb, String kind, String tenant, String name, int outcome) {
        return new AuditEntry(T0.plus(Duration.ofMinutes(minute)), actor, verb, kind, tenant, name, outcome, outcome >= 400 ? "refused" : "", "");
    }

    /** Appends {@code n} refusals, one a minute; record i has seq i. */
    private static void appendRefusals(AuditLog log, int n) {
        for (int i = 1; i <= n; i++) {
            assertThat(log.record(entry(i, "user:u" + i, "delete", "Widget", "acme", "w" + i, 403))).isEqualTo(i);
        }
    }

    private void sql(String statement) {
        db.jdbi().useHandle(h -> h.execute(statement));
    }

    @Test
    void storeMutationsAndRecordedRefusalsAppendAnIntactChain() {
        AuditLog log = freshLog("auditappend");
        TestClock clock = new TestClock(T0);
        store = new ResourceStore(db, clock);
        Resource t = store.create(tenant("acme"), ADMIN);
        Resource w = store.create(object("Widget", "acme", "w"), WriteContext.of("controller:widgets"));
        clock.advance(Duration.ofSeconds(5));
        Resource w2 = store.update(w.key(), r -> r.withStatus(Json.object().put("phase", "Ready")), WriteContext.of("controller:widgets"), "update-status");
        long refusal = log.record(entry(1, "user:mallory", "delete", "Tenant", "", "acme", 403));
        store.delete(w.key(), 0, ADMIN);

        assertThat(refusal).isEqualTo(4);
        assertThat(log.size()).isEqualTo(5);
        List<AuditRecord> records = log.query(new AuditQuery(null, null, null, null, null, 100, 0));
        assertThat(records).extracting(AuditRecord::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(records).extracting(r -> r.entry().verb()).containsExactly("delete", "delete", "update-status", "create", "create");
        assertThat(records).extracting(r -> r.entry().outcome()).containsExactly(200, 403, 200, 201, 201);
        assertThat(records.get(2).entry().actor()).isEqualTo("controller:widgets");
        assertThat(records.get(2).entry().at()).isEqualTo(T0.plusSeconds(5));
        assertThat(records.get(2).entry().digest()).isEqualTo(ResourceStore.digest(w2)).hasSize(64);
        assertThat(records.get(4).entry().digest()).isEqualTo(ResourceStore.digest(t));
        assertThat(records.get(0).entry().digest()).isEmpty(); // a delete writes no object
        assertThat(records.get(1).entry().reason()).isEqualTo("refused");

        AuditVerification v = log.verify();
        assertThat(v.intact()).as(v.problem()).isTrue();
        assertThat(v.checked()).isEqualTo(5);
        assertThat(v.firstBadSeq()).isEqualTo(-1);
        assertThat(v.headHash()).isEqualTo(records.get(0).hash());
    }

    @Test
    void anEmptyLogVerifies() {
        AuditLog log = freshLog("auditempty");
        AuditVerification v = log.verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.checked()).isZero();
        assertThat(v.headHash()).isEqualTo("00".repeat(32));
    }

    @Test
    void anEditedFieldIsCaughtAtTheEditedRecord() {
        AuditLog log = freshLog("auditedit");
        appendRefusals(log, 5);
        assertThat(log.verify().intact()).isTrue();

        sql("UPDATE audit SET actor = 'user:nobody' WHERE seq = 3");

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBadSeq()).isEqualTo(3);
        assertThat(v.problem()).contains("record 3 does not match its hash");
        assertThat(v.headHash()).isEqualTo(log.query(new AuditQuery(null, null, null, null, null, 1, 3)).get(0).hash());
    }

    @Test
    void anEditWhoseOwnHashIsRecomputedIsCaughtAtTheNextRecord() {
        AuditLog log = freshLog("auditrehash");
        appendRefusals(log, 5);
        AuditRecord second = log.query(new AuditQuery(null, null, null, null, null, 1, 3)).get(0);
        AuditEntry e = second.entry();
        AuditEntry forged = new AuditEntry(e.at(), "user:nobody", e.verb(), e.kind(), e.tenant(), e.name(), e.outcome(), e.reason(), e.digest());
        AuditRecord first = log.query(new AuditQuery(null, null, null, null, null, 1, 2)).get(0);
        byte[] forgedHash = AuditLog.chain(HexFormat.of().parseHex(first.hash()), 2, forged.payload());
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE audit SET actor = 'user:nobody', hash = :hash WHERE seq = 2")
                .bind("hash", forgedHash).execute());

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBadSeq()).isEqualTo(3);
    }

    @Test
    void aMissingMiddleRecordIsCaught() {
        AuditLog log = freshLog("auditmiddle");
        appendRefusals(log, 5);

        sql("DELETE FROM audit WHERE seq = 3");

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBadSeq()).isEqualTo(3);
        assertThat(v.problem()).contains("record 3 is missing");
    }

    @Test
    void aMissingNewestRecordIsCaughtByTheHead() {
        AuditLog log = freshLog("auditnewest");
        appendRefusals(log, 5);

        sql("DELETE FROM audit WHERE seq = 5");

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBadSeq()).isEqualTo(5);
        assertThat(v.checked()).isEqualTo(4);
        assertThat(v.problem()).contains("records were removed from the end");
    }

    @Test
    void queriesFilterByTenantActorKindAndTimeNewestFirstAndPageBackwards() {
        AuditLog log = freshLog("auditquery");
        // seq = minute = i, for i in 1..12: tenants alternate, actors cycle through three, kinds split at 6
        for (int i = 1; i <= 12; i++) {
            log.record(entry(i, "user:u" + (i % 3), "update", i <= 6 ? "Widget" : "Gizmo", i % 2 == 0 ? "acme" : "globex", "n" + i, 200));
        }

        assertThat(seqs(log, new AuditQuery("acme", null, null, null, null, 100, 0))).containsExactly(12L, 10L, 8L, 6L, 4L, 2L);
        assertThat(seqs(log, new AuditQuery(null, "user:u1", null, null, null, 100, 0))).containsExactly(10L, 7L, 4L, 1L);
        assertThat(seqs(log, new AuditQuery(null, null, "Gizmo", null, null, 100, 0))).containsExactly(12L, 11L, 10L, 9L, 8L, 7L);
        assertThat(seqs(log, new AuditQuery("globex", "user:u0", "Widget", null, null, 100, 0))).containsExactly(3L);
        // since is inclusive, until exclusive
        assertThat(seqs(log, new AuditQuery(null, null, null, T0.plus(Duration.ofMinutes(4)), T0.plus(Duration.ofMinutes(7)), 100, 0)))
                .containsExactly(6L, 5L, 4L);
        assertThat(seqs(log, new AuditQuery(null, null, null, null, null, 3, 0))).containsExactly(12L, 11L, 10L);

        // paging with beforeSeq visits every matching record once
        List<Long> paged = new java.util.ArrayList<>();
        long before = 0;
        while (true) {
            List<Long> page = seqs(log, new AuditQuery("acme", null, null, null, null, 4, before));
            paged.addAll(page);
            if (page.size() < 4) break;
            before = page.get(page.size() - 1);
        }
        assertThat(paged).containsExactly(12L, 10L, 8L, 6L, 4L, 2L);
    }

    private static List<Long> seqs(AuditLog log, AuditQuery q) {
        return log.query(q).stream().map(AuditRecord::seq).toList();
    }
}
