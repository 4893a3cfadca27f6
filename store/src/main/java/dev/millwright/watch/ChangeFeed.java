package dev.millwright.watch;

import dev.millwright.resource.GoneException;
import dev.millwright.resource.Json;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed of this process: one thread follows the {@code changes} table and keeps the newest changes
 * in a ring buffer that every watcher reads from.
 *
 * <p>The follower wakes on PostgreSQL {@code NOTIFY} (sent by every mutation when it commits, from any
 * replica) and also polls every {@link #POLL_INTERVAL}, so a lost notification only delays a change.
 * Revisions become visible in order (see ResourceStore), so "everything after the newest revision I have"
 * is a complete query. A watcher behind the ring reads the table directly; one behind the compacted part of
 * the table gets {@link GoneException} and must list again.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    /** Longest wait for a change before polling the table anyway. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    /** Changes read per query. */
    private static final int BATCH = 1000;

    private final Database db;
    private final Jdbi jdbi;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    /** @GuardedBy("lock") the newest changes, oldest first. */
    private final Change[] ring;
    /** @GuardedBy("lock") index of the oldest change in the ring. */
    private int start;
    /** @GuardedBy("lock") number of changes in the ring. */
    private int size;
    /** @GuardedBy("lock") every change above this revision is in the ring (or newer than head). */
    private long floor;
    /** @GuardedBy("lock") the newest revision read from the table. */
    private long head;
    private volatile boolean running = true;
    private final Thread follower;

    private ChangeFeed(Database db, int capacity) {
        this.db = db;
        this.jdbi = db.jdbi();
        this.capacity = capacity;
        this.ring = new Change[capacity];
        long now = jdbi.withHandle(h -> h.createQuery("SELECT value FROM revision WHERE id = 1").mapTo(Long.class).one());
        this.floor = now;
        this.head = now;
        this.follower = new Thread(this::follow, "change-feed");
        follower.setDaemon(true);
    }

    /** Starts following the table from its current revision, keeping the newest {@code capacity} changes in memory. */
    public static ChangeFeed start(Database db, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        ChangeFeed feed = new ChangeFeed(db, capacity);
        feed.follower.start();
        return feed;
    }

    /** The newest revision this process has seen in the feed. */
    public long head() {
        lock.lock();
        try {
            return head;
        } finally {
            lock.unlock();
        }
    }

    /** A cursor over every change after {@code fromRevision}. */
    public Watch watch(long fromRevision) {
        return new Watch(fromRevision);
    }

    /**
     * Waits until this process has read the feed up to {@code revision}: a write's own change is then visible
     * to local watchers and controllers. Returns false on timeout.
     */
    public boolean awaitRevision(long revision, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (head < revision) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                appended.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes changes older than the newest {@code keep} revisions. Any replica may run it; a watch from before
     * the new horizon then gets 410 Gone, unless this process still holds the changes it needs in memory.
     *
     * @return the number of changes removed
     */
    public int compact(long keep) {
        return jdbi.inTransaction(h -> {
            long newest = h.createQuery("SELECT value FROM revision WHERE id = 1").mapTo(Long.class).one();
            long through = newest - keep;
            if (through <= 0) return 0;
            h.createUpdate("UPDATE feed_compaction SET through = greatest(through, :t) WHERE id = 1").bind("t", through).execute();
            return h.createUpdate("DELETE FROM changes WHERE revision <= :t").bind("t", through).execute();
        });
    }

    /** Changes at or below this revision have been compacted away; a watch must start at or after it. */
    public long compactedThrough() {
        return jdbi.withHandle(h -> h.createQuery("SELECT through FROM feed_compaction WHERE id = 1").mapTo(Long.class).one());
    }

    @Override
    public void close() {
        running = false;
        follower.interrupt();
        try {
            follower.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow() {
        while (running) {
            try (Connection listener = db.openDedicatedConnection()) {
                try (Statement s = listener.createStatement()) {
                    s.execute("LISTEN millwright_changes");
                }
                PGConnection pg = listener.unwrap(PGConnection.class);
                readNewChanges(); // anything committed while we were not listening
                while (running) {
                    pg.getNotifications((int) POLL_INTERVAL.toMillis());
                    readNewChanges();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                log.warn("change feed lost its database connection; retrying in 1s: {}", e.toString());
                sleepQuietly(1000);
            }
        }
    }

    private void readNewChanges() {
        while (true) {
            long from = head();
            List<Change> batch = jdbi.withHandle(h -> read(h, from, BATCH));
            if (batch.isEmpty()) return;
            append(batch);
            if (batch.size() < BATCH) return;
        }
    }

    private void append(List<Change> batch) {
        lock.lock();
        try {
            for (Change c : batch) {
                if (c.revision() <= head) continue;
                if (size == capacity) {
                    floor = ring[start].revision();
                    start = (start + 1) % capacity;
                    size--;
                }
                ring[(start + size) % capacity] = c;
                size++;
                head = c.revision();
            }
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static List<Change> read(Handle h, long after, int limit) {
        return h.createQuery("SELECT revision, type, kind, tenant, name, object::text AS object, "
                        + "(object -> 'metadata' -> 'labels')::text AS labels FROM changes "
                        + "WHERE revision > :after ORDER BY revision LIMIT :limit")
                .bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> {
                    String labelsJson = rs.getString("labels");
                    Map<String, String> labels = new LinkedHashMap<>();
                    if (labelsJson != null) {
                        Json.tree(labelsJson).fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                    }
                    return new Change(rs.getLong("revision"), Change.Type.valueOf(rs.getString("type")),
                            new ResourceKey(rs.getString("kind"), rs.getString("tenant"), rs.getString("name")), labels,
                            rs.getString("object"));
                }).list();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One watcher's position in the feed. Not thread-safe: one thread reads a watch. Each change after the
     * starting revision is returned exactly once, in revision order.
     */
    public final class Watch {
        private long cursor;

        private Watch(long from) {
            this.cursor = from;
        }

        /** The revision of the last change returned (or the starting revision). */
        public long revision() {
            return cursor;
        }


        /**
         * The next changes, waiting up to {@code timeout} for some; an empty list on timeout.
         *
         * @throws GoneException when the changes after the cursor have been compacted away
         */
        public List<Change> next(Duration timeout) throws InterruptedException {
            lock.lock();
            try {
                if (cursor >= floor) {
                    if (cursor >= head && !appended.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && cursor >= head) {
                        return List.of();
                    }
                    if (cursor >= floor) return fromRing();
                }
            } finally {
                lock.unlock();
            }
            return fromTable();
        }

        // @GuardedBy("lock"); revisions grow along the ring, so the first newer change is found by bisection
        private List<Change> fromRing() {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ring[(start + mid) % capacity].revision() <= cursor) lo = mid + 1;
                else hi = mid;
            }
            List<Change> out = new ArrayList<>(size - lo);
            for (int i = lo; i < size; i++) out.add(ring[(start + i) % capacity]);
            if (!out.isEmpty()) cursor = out.get(out.size() - 1).revision();
            return out;
        }

        private List<Change> fromTable() {
            List<Change> out = jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ, h -> {
                long through = h.createQuery("SELECT through FROM feed_compaction WHERE id = 1").mapTo(Long.class).one();
                if (cursor < through) {
                    throw new GoneException("resourceVersion " + cursor + " is too old: the change feed now starts after "
                            + through + "; list again and watch from the list's resourceVersion");
                }
                return read(h, cursor, BATCH);
            });
            if (!out.isEmpty()) cursor = out.get(out.size() - 1).revision();
            return out;
        }
    }
}
