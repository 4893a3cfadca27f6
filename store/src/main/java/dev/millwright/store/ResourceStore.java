package dev.millwright.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.Claim;
import dev.millwright.resource.ConflictException;
import dev.millwright.resource.FieldSelector;
import dev.millwright.resource.Json;
import dev.millwright.resource.LabelSelector;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Resources in PostgreSQL, with optimistic concurrency, a change feed and an audit record per mutation.
 *
 * <p>Each mutation (1) locks what it depends on (the object's row, its tenant, the controller lease when
 * fenced), (2) runs one statement that takes the next global revision, writes the object, appends the change
 * and the audit record, and notifies listeners. Mutations run in batches, one transaction each, behind the
 * global revision lock (see {@link GroupCommitter}), so the commits of all writers are serialised and
 * revisions become visible in the order they are numbered: a watcher that has read revision N will never
 * later find a smaller one.
 */
public final class ResourceStore implements AutoCloseable {
    private static final String COLUMNS =
            "kind, tenant, name, uid, resource_version, generation, created_at, labels, annotations, spec, status";

    /**
     * Revision bump (guarded by %s so that a write that will not happen takes no revision), the object write
     * (%s), its change row and the audit record. Listeners are notified once per batch (GroupCommitter).
     */
    private static final String MUTATION = """
            WITH rev AS (
              UPDATE revision SET value = value + 1 WHERE id = 1 %s RETURNING value
            ), w AS (
              %s
            ), ch AS (
              INSERT INTO changes (revision, type, kind, tenant, name, object, recorded_at)
              SELECT w.resource_version, :type, :kind, :tenant, :name,
                     jsonb_set(CAST(:object AS jsonb), '{metadata,resourceVersion}', to_jsonb(w.resource_version::text)),
                     :now
              FROM w
            ), %s
            SELECT w.resource_version, (SELECT count(*) FROM a) AS audited FROM w
            """;

    private static final String INSERT = """
            INSERT INTO resources (kind, tenant, name, uid, resource_version, generation, created_at, labels, annotations, spec, status)
              SELECT :kind, :tenant, :name, CAST(:uid AS uuid), rev.value, :generation, :created,
                     CAST(:labels AS jsonb), CAST(:annotations AS jsonb), CAST(:spec AS jsonb), CAST(:status AS jsonb)
              FROM rev
              ON CONFLICT (kind, tenant, name) DO NOTHING
              RETURNING resource_version""";

    private static final String UPDATE = """
            UPDATE resources SET resource_version = rev.value, generation = :generation,
                   labels = CAST(:labels AS jsonb), annotations = CAST(:annotations AS jsonb),
                   spec = CAST(:spec AS jsonb), status = CAST(:status AS jsonb)
              FROM rev
              WHERE kind = :kind AND tenant = :tenant AND name = :name AND resource_version = :expected
              RETURNING resource_version""";

    private static final String INSERT_GUARD =
            "AND NOT EXISTS (SELECT 1 FROM resources WHERE kind = :kind AND tenant = :tenant AND name = :name)";
    private static final String UPDATE_GUARD =
            "AND EXISTS (SELECT 1 FROM resources WHERE kind = :kind AND tenant = :tenant AND name = :name AND resource_version = :expected)";

    private static final String DELETE = """
            DELETE FROM resources USING rev
              WHERE kind = :kind AND tenant = :tenant AND name = :name
              RETURNING rev.value AS resource_version""";

    private final Jdbi jdbi;
    private final Clock clock;
    private final GroupCommitter committer;

    public ResourceStore(Database db, Clock clock) {
        this.jdbi = db.jdbi();
        this.clock = clock;
        this.committer = new GroupCommitter(jdbi);
    }

    /** Stops the committer thread; writes after this fail with 503. */
    @Override
    public void close() {
        committer.close();
    }

    public Optional<Resource> get(ResourceKey key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM resources WHERE kind = :kind AND tenant = :tenant AND name = :name")
                .bind("kind", key.kind()).bind("tenant", key.tenant()).bind("name", key.name())
                .map((rs, ctx) -> read(rs)).findOne());
    }

    /** How many objects of a kind a tenant holds (for platform-scoped kinds pass ""). */
    public long count(String kind, String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM resources WHERE kind = :kind AND tenant = :tenant")
                .bind("kind", kind).bind("tenant", tenant).mapTo(Long.class).one());
    }

    /** The newest revision: a list taken now is consistent with it. */
    public long revision() {
        return jdbi.withHandle(ResourceStore::revision);
    }

    private static long revision(Handle h) {
        return h.createQuery("SELECT value FROM revision WHERE id = 1").mapTo(Long.class).one();
    }

    /**
     * One page of objects of a kind, ordered by tenant and name. The first page and its revision come from
     * one snapshot; later pages keep the first page's revision, so a watch started from it may replay
     * changes a later page already showed (watchers apply changes idempotently) but never misses one.
     */
    public ResourcePage list(ListOptions options) {
        Cursor after = Cursor.decode(options.continueToken());
        if (options.tenants() != null && options.tenants().isEmpty()) {
            return new ResourcePage(List.of(), revision(), null);
        }
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> page(h, options, after, after == null ? revision(h) : after.revision()));
    }

    /**
     * Every object matching {@code options} (its limit and token are ignored), read in one snapshot with its
     * revision: what a watch starts from, so that no change is both listed and replayed, and none is missed.
     */
    public ResourcePage listAll(ListOptions options) {
        if (options.tenants() != null && options.tenants().isEmpty()) {
            return new ResourcePage(List.of(), revision(), null);
        }
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            long revision = revision(h);
            List<Resource> all = new ArrayList<>();
            Cursor after = null;
            while (true) {
                ResourcePage p = page(h, options.withLimit(ListOptions.MAX_LIMIT), after, revision);
                all.addAll(p.items());
                if (p.continueToken() == null) return new ResourcePage(all, revision, null);
                Resource last = p.items().get(p.items().size() - 1);
                after = new Cursor(last.tenant(), last.name(), revision);
            }
        });
    }

    private ResourcePage page(Handle h, ListOptions options, Cursor after, long revision) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM resources WHERE kind = :kind");
        if (options.tenants() != null) sql.append(" AND tenant = ANY(:tenants)");
        if (after != null) sql.append(" AND (tenant, name) > (:afterTenant, :afterName)");
        List<Object[]> binds = new ArrayList<>();
        LabelSelectorSql.append(options.selector(), sql, binds);
        int f = 0;
        for (FieldSelector.Requirement r : options.fields().requirements()) {
            String path = "fp" + f;
            String value = "fv" + f++;
            String column = r.root().equals("spec") ? "spec" : "status";
            sql.append(r.negated() ? " AND coalesce(" : " AND ").append(column).append(" #>> CAST(:").append(path).append(" AS text[])")
                    .append(r.negated() ? " <> :" + value + ", true)" : " = :" + value);
            binds.add(new Object[] {path, "{" + String.join(",", r.path()) + "}"});
            binds.add(new Object[] {value, r.value()});
        }
        sql.append(" ORDER BY tenant, name LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bind("kind", options.kind()).bind("limit", options.limit() + 1);
        if (options.tenants() != null) q.bindArray("tenants", String.class, options.tenants());
        if (after != null) q.bind("afterTenant", after.tenant()).bind("afterName", after.name());
        for (Object[] b : binds) {
            if (b[1] instanceof String[] values) q.bindArray((String) b[0], String.class, (Object[]) values);
            else q.bind((String) b[0], (String) b[1]);
        }
        List<Resource> items = new ArrayList<>(q.map((rs, ctx) -> read(rs)).list());
        String next = null;
        if (items.size() > options.limit()) {
            items.remove(items.size() - 1);
            Resource last = items.get(items.size() - 1);
            next = new Cursor(last.tenant(), last.name(), revision).encode();
        }
        return new ResourcePage(items, revision, next);
    }

    /**
     * Stores a new object. A tenant-scoped object needs its Tenant to exist.
     *
     * @throws ConflictException when an object of that kind and name exists
     * @throws NotFoundException when its tenant does not exist
     */
    public Resource create(Resource r, WriteContext ctx) {
        return create(r, ctx, AlsoWrite.NOTHING);
    }

    /** Like {@link #create(Resource, WriteContext)}, writing {@code alsoWrite} in the same transaction once the object is in. */
    Resource create(Resource r, WriteContext ctx, AlsoWrite alsoWrite) {
        Instant now = now();
        Resource stored = r.withMetadata(r.metadata().stored(UUID.randomUUID().toString(), 0, 1, now));
        Mutation m = Mutation.of(INSERT, "ADDED", stored, ctx, "create", 201, now, 0);
        List<Claim> claims = Claims.of(r);
        return committer.write(tx -> {
            Handle h = tx.handle();
            checkFence(h, ctx);
            if (!r.tenant().isEmpty()) requireTenant(h, r.tenant());
            Claims.check(h, r.key(), claims);
            long rv = m.execute(tx);
            if (rv < 0) throw new ConflictException(r.key().describe() + " already exists");
            if (!claims.isEmpty()) Claims.replace(h, r.key(), claims);
            alsoWrite.write(h);
            return stored.withMetadata(stored.metadata().withResourceVersion(rv));
        });
    }

    /** Most times an unconditional update re-reads and retries after losing a race to another writer. */
    static final int UPDATE_ATTEMPTS = 20;

    /**
     * Read-modify-write of one object: {@code change} gets the current object and returns the wanted one (it
     * may throw to refuse, for example on a stale resourceVersion the client sent). Server-owned metadata is
     * kept; generation grows when the spec changed. A change that changes nothing writes nothing.
     *
     * <p>The read and {@code change} run in the caller's thread, outside any lock; the write is conditional on
     * the revision read, and a write that lost the race reads again and calls {@code change} again, so
     * {@code change} must be a pure function of the object it is given.
     */
    public Resource update(ResourceKey key, UnaryOperator<Resource> change, WriteContext ctx, String verb) {
        return updateWith(key, current -> new Planned(change.apply(current), AlsoWrite.NOTHING), ctx, verb);
    }

    /**
     * Like {@link #update(ResourceKey, UnaryOperator, WriteContext, String)}, where {@code change} also says what
     * to write in other tables with the object; that runs in the object's transaction, only if the object is written.
     */
    Resource updateWith(ResourceKey key, Function<Resource, Planned> change, WriteContext ctx, String verb) {
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Instant now = now();
            Resource current = get(key).orElseThrow(() -> NotFoundException.of(key));
            Planned planned = change.apply(current);
            Resource wanted = planned.object();
            ObjectMeta cm = current.metadata();
            ObjectMeta wm = wanted.metadata();
            // by value: a number read back from jsonb as an int equals the long or decimal a writer sent
            boolean specChanged = !Json.equivalent(wanted.spec(), current.spec());
            if (!specChanged && Json.equivalent(wanted.status(), current.status()) && wm.labels().equals(cm.labels())
                    && wm.annotations().equals(cm.annotations())) {
                return current;
            }
            ObjectMeta meta = new ObjectMeta(cm.name(), cm.tenant(), wm.labels(), wm.annotations(), cm.uid(),
                    0, cm.generation() + (specChanged ? 1 : 0), cm.creationTimestamp());
            Resource next = new Resource(current.kind(), meta, wanted.spec(), wanted.status());
            Mutation m = Mutation.of(UPDATE, "MODIFIED", next, ctx, verb, 200, now, current.resourceVersion());
            List<Claim> claims = Claims.of(next);
            boolean claimsChanged = !claims.equals(Claims.of(current));
            long rv = committer.write(tx -> {
                Handle h = tx.handle();
                checkFence(h, ctx);
                if (claimsChanged) Claims.check(h, key, claims);
                long written = m.execute(tx);
                if (written >= 0 && claimsChanged) Claims.replace(h, key, claims);
                if (written >= 0) planned.alsoWrite().write(h);
                return written;
            });
            if (rv >= 0) return next.withMetadata(meta.withResourceVersion(rv));
        }
        throw new ConflictException(key.describe() + " kept changing while it was being updated (" + UPDATE_ATTEMPTS
                + " attempts); try again");
    }

    /**
     * Deletes an object. A Tenant that still holds objects is not deleted: its objects go first.
     *
     * @param expectedResourceVersion 0 for no precondition
     */
    public Resource delete(ResourceKey key, long expectedResourceVersion, WriteContext ctx) {
        Instant now = now();
        return committer.write(tx -> {
            Handle h = tx.handle();
            checkFence(h, ctx);
            Resource current = h.createQuery("SELECT " + COLUMNS + " FROM resources WHERE kind = :kind AND tenant = :tenant AND name = :name FOR UPDATE")
                    .bind("kind", key.kind()).bind("tenant", key.tenant()).bind("name", key.name())
                    .map((rs, c) -> read(rs)).findOne()
                    .orElseThrow(() -> NotFoundException.of(key));
            if (expectedResourceVersion != 0 && expectedResourceVersion != current.resourceVersion()) {
                throw stale(key, expectedResourceVersion, current.resourceVersion());
            }
            if (key.kind().equals("Tenant")) {
                List<String> held = h.createQuery("SELECT kind || '/' || name FROM resources WHERE tenant = :t ORDER BY kind, name LIMIT 5")
                        .bind("t", key.name()).mapTo(String.class).list();
                if (!held.isEmpty()) {
                    throw new ConflictException(key.describe() + " still holds objects (" + String.join(", ", held)
                            + (held.size() == 5 ? ", ..." : "") + "); delete them first");
                }
            }
            long rv = Mutation.of(DELETE, "DELETED", current, ctx, "delete", 200, now, 0).execute(tx);
            if (!Claims.of(current).isEmpty()) Claims.release(h, key);
            return current.withMetadata(current.metadata().withResourceVersion(rv));
        });
    }

    /**
     * Rows of other tables that a write makes together with its object, in its transaction (a secret's sealed
     * values). It runs SQL only: a database error rolls back the object with it, while any other exception would
     * be taken for a refusal after the object was already written.
     */
    @FunctionalInterface
    interface AlsoWrite {
        AlsoWrite NOTHING = h -> { };

        void write(Handle h);
    }

    /** The object an update wants, and what it writes in other tables with it. */
    record Planned(Resource object, AlsoWrite alsoWrite) {
    }

    /** The tenant an audit record is filed under: a Tenant object's own name, so its tenant's audit shows it. */
    public static String auditTenant(ResourceKey key) {
        return key.kind().equals("Tenant") ? key.name() : key.tenant();
    }

    /** The conflict a stale resourceVersion gets, naming both versions. */
    public static ConflictException stale(ResourceKey key, long sent, long current) {
        return new ConflictException(key.describe() + " has been modified: the request was based on resourceVersion "
                + sent + " but the object is at " + current + "; read it again and reapply your change");
    }

    /**
     * The mutation statement with every value bound, prepared in the writer's thread so that the committer
     * only executes it.
     */
    private record Mutation(String sql, java.util.Map<String, Object> binds, AuditEntry audit) {
        static Mutation of(String write, String type, Resource r, WriteContext ctx, String verb, int outcome, Instant now,
                           long expectedResourceVersion) {
            ObjectNode object = ResourceCodec.toJson(r);
            AuditEntry audit = new AuditEntry(now, ctx.actor(), verb, r.kind(), auditTenant(r.key()), r.name(), outcome, "",
                    type.equals("DELETED") ? "" : digest(r));
            ObjectMeta m = r.metadata();
            java.util.Map<String, Object> b = new java.util.HashMap<>();
            b.put("type", type);
            b.put("kind", r.kind());
            b.put("tenant", r.tenant());
            b.put("name", r.name());
            b.put("uid", m.uid());
            b.put("generation", m.generation());
            b.put("created", Sql.utc(m.creationTimestamp()));
            b.put("labels", Json.string(m.labels()));
            b.put("annotations", Json.string(m.annotations()));
            b.put("spec", Json.string(r.spec()));
            b.put("status", Json.string(r.status()));
            b.put("object", Json.string(object));
            b.put("now", Sql.utc(now));
            if (write.contains(":expected")) b.put("expected", expectedResourceVersion);
            String guard = write == INSERT ? INSERT_GUARD : write == UPDATE ? UPDATE_GUARD : "";
            return new Mutation(MUTATION.formatted(guard, write, AuditLog.INSERT_LINKED), b, audit);
        }

        /** Returns the new revision, or -1 when nothing was written (name taken, or the object moved on). */
        long execute(GroupCommitter.Batch tx) {
            AuditChain.Link link = tx.audit().peek(audit);
            Query q = tx.handle().createQuery(sql);
            binds.forEach(q::bind);
            AuditLog.bindEntry(q, audit);
            q.bind("a_seq", link.seq()).bind("a_hash", link.hash());
            long rv = q.map((rs, c) -> rs.getLong("resource_version")).findOne().orElse(-1L);
            if (rv >= 0) tx.audit().advance(link);
            return rv;
        }
    }

    /** What the audit record's digest covers: everything a writer chose, none of what the store assigned. */
    static String digest(Resource r) {
        ObjectNode content = Json.object();
        content.put("kind", r.kind());
        content.set("metadata", Json.MAPPER.valueToTree(java.util.Map.of(
                "name", r.name(), "tenant", r.tenant(), "labels", r.metadata().labels(), "annotations", r.metadata().annotations())));
        content.set("spec", r.spec());
        content.set("status", r.status());
        return Json.digest(content);
    }

    private static void requireTenant(Handle h, String tenant) {
        // every write holds the revision lock, so no delete of the tenant can commit between this check and the insert
        boolean exists = h.createQuery("SELECT 1 FROM resources WHERE kind = 'Tenant' AND tenant = '' AND name = :t FOR SHARE")
                .bind("t", tenant).mapTo(Integer.class).findOne().isPresent();
        if (!exists) throw new NotFoundException("Tenant " + tenant + " not found");
    }

    private static void checkFence(Handle h, WriteContext ctx) {
        WriteContext.Fence f = ctx.fence();
        if (f == null) return;
        // FOR SHARE: a takeover (an UPDATE of the lease row) waits until this write has committed
        boolean held = h.createQuery("""
                        SELECT 1 FROM leases WHERE name = :name AND holder = :holder AND fence = :fence AND expires_at > now()
                        FOR SHARE""")
                .bind("name", f.lease()).bind("holder", f.holder()).bind("fence", f.token())
                .mapTo(Integer.class).findOne().isPresent();
        if (!held) {
            throw new FencedException(ctx.actor() + " no longer holds lease " + f.lease() + " (token " + f.token() + "); write rejected");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static Resource read(ResultSet rs) throws SQLException {
        ObjectMeta meta = new ObjectMeta(rs.getString("name"), rs.getString("tenant"),
                Sql.stringMap(rs, "labels"), Sql.stringMap(rs, "annotations"),
                rs.getString("uid"), rs.getLong("resource_version"), rs.getLong("generation"),
                Sql.instant(rs, "created_at"));
        return new Resource(rs.getString("kind"), meta, Sql.object(rs, "spec"), Sql.object(rs, "status"));
    }

    /** Where the previous page ended, and the revision of the first page. Opaque to clients. */
    private record Cursor(String tenant, String name, long revision) {
        String encode() {
            ObjectNode n = Json.object().put("t", tenant).put("n", name).put("r", revision);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(n));
        }

        static Cursor decode(String token) {
            if (token == null || token.isEmpty()) return null;
            try {
                var n = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
                if (!n.path("t").isTextual() || !n.path("n").isTextual() || !n.path("r").canConvertToLong()) throw new IllegalArgumentException();
                return new Cursor(n.get("t").asText(), n.get("n").asText(), n.get("r").asLong());
            } catch (Exception e) {
                throw new BadRequestException("continue", "is not a token this server issued");
            }
        }
    }

    /** Translates a label selector to SQL on the labels column; equality uses the GIN index. */
    static final class LabelSelectorSql {
        private LabelSelectorSql() {
        }

        static void append(LabelSelector selector, StringBuilder sql, List<Object[]> binds) {
            int i = 0;
            for (LabelSelector.Requirement r : selector.requirements()) {
                String k = "lk" + i;
                String v = "lv" + i;
                i++;
                String[] values = r.values().toArray(String[]::new);
                switch (r.operator()) {
                    case EQUALS -> {
                        sql.append(" AND labels @> CAST(:").append(v).append(" AS jsonb)");
                        binds.add(new Object[] {v, Json.string(java.util.Map.of(r.key(), values[0]))});
                    }
                    case IN -> {
                        sql.append(" AND labels ->> :").append(k).append(" = ANY(:").append(v).append(")");
                        binds.add(new Object[] {k, r.key()});
                        binds.add(new Object[] {v, values});
                    }
                    case NOT_EQUALS, NOT_IN -> {
                        sql.append(" AND coalesce(labels ->> :").append(k).append(" <> ALL(:").append(v).append("), true)");
                        binds.add(new Object[] {k, r.key()});
                        binds.add(new Object[] {v, values});
                    }
                    case EXISTS -> {
                        sql.append(" AND labels -> :").append(k).append(" IS NOT NULL");
                        binds.add(new Object[] {k, r.key()});
                    }
                    case DOES_NOT_EXIST -> {
                        sql.append(" AND labels -> :").append(k).append(" IS NULL");
                        binds.add(new Object[] {k, r.key()});
                    }
                    default -> throw new IllegalStateException("unexpected operator " + r.operator());
                }
            }
        }
    }
}
