package dev.millwright.store;

import static dev.millwright.store.Fixtures.ADMIN;
import static dev.millwright.store.Fixtures.object;
import static dev.millwright.store.Fixtures.rows;
import static dev.millwright.store.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.ConflictException;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.watch.Change;
import dev.millwright.watch.ChangeFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many writers at once: optimistic concurrency on one object, and a gap-free, ordered feed across many. */
class ConcurrentWritersTest {
    private static final int WRITERS = 8;
    private static final int WRITES_EACH = 12;

    private static Database db;
    private static ResourceStore store;
    private ExecutorService pool;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh("concurrentwriters");
        store = new ResourceStore(db, Clock.systemUTC());
        store.create(tenant("acme"), ADMIN);
    }

    @AfterAll
    static void close() {
        store.close();
        db.close();
    }

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(WRITERS);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void readModifyWriteWithAResourceVersionPreconditionLosesNoIncrementAndConflictsWriteNothing() throws Exception {
        Resource counter = store.create(object("Counter", "acme", "shared", Map.of(), Json.object().put("count", 0)), ADMIN);
        long revisionBefore = store.revision();
        long auditBefore = new AuditLog(db).size();
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);

        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(() -> {
                go.await();
                int done = 0;
                while (done < WRITES_EACH) {
                    Resource read = store.get(counter.key()).orElseThrow();
                    long readVersion = read.resourceVersion();
                    int readCount = read.spec().path("count").asInt();
                    Thread.yield(); // widen the window between read and write
                    try {
                        Resource written = store.update(counter.key(), current -> {
                            if (current.resourceVersion() != readVersion) {
                                throw ResourceStore.stale(current.key(), readVersion, current.resourceVersion());
                            }
                            return current.withSpec(Json.object().put("count", readCount + 1));
                        }, WriteContext.of("user:writer"), "update");
                        acknowledged.add(written.resourceVersion());
                        done++;
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : writers) f.get(30, TimeUnit.SECONDS);

        int acks = WRITERS * WRITES_EACH;
        assertThat(acknowledged).hasSize(acks).doesNotHaveDuplicates();
        Resource last = store.get(counter.key()).orElseThrow();
        assertThat(last.spec().path("count").asInt()).isEqualTo(acks);
        assertThat(last.metadata().generation()).isEqualTo(1 + acks);
        assertThat(last.resourceVersion()).isEqualTo(acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow());
        // conflicts happened, and each one left no change or audit record behind (a write that lost its race
        // inside a group commit may use up a revision number, so the counter itself is not compared)
        assertThat(conflicts.get()).isPositive();
        assertThat(store.revision()).isGreaterThanOrEqualTo(revisionBefore + acks);
        assertThat(new AuditLog(db).size()).isEqualTo(auditBefore + acks);
        long modified = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM changes WHERE kind = 'Counter' AND type = 'MODIFIED'")
                .mapTo(Long.class).one());
        assertThat(modified).isEqualTo(acks);
        long lastChange = db.jdbi().withHandle(h -> h.createQuery("SELECT max(revision) FROM changes WHERE kind = 'Counter'")
                .mapTo(Long.class).one());
        assertThat(lastChange).isEqualTo(last.resourceVersion());
        assertThat(acknowledged).allMatch(rv -> rv > revisionBefore);
    }

    @Test
    void writersOnDifferentObjectsProduceAnOrderedGapFreeFeedOfExactlyTheAcknowledgedWrites() throws Exception {
        try (ChangeFeed feed = ChangeFeed.start(db, 1000)) {
            long start = store.revision();
            ChangeFeed.Watch watch = feed.watch(start);
            ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String name = "own-" + w;
                writers.add(pool.submit(() -> {
                    go.await();
                    Resource mine = store.create(object("Gauge", "acme", name, Map.of(), Json.object().put("value", 0)), ADMIN);
                    acknowledged.add(mine.resourceVersion());
                    for (int i = 1; i < WRITES_EACH; i++) {
                        int value = i;
                        acknowledged.add(store.update(mine.key(), r -> r.withSpec(Json.object().put("value", value)), ADMIN, "update")
                                .resourceVersion());
                    }
                    acknowledged.add(store.delete(mine.key(), 0, ADMIN).resourceVersion());
                    return null;
                }));
            }
            go.countDown();

            // the watcher reads while the writers write
            List<Change> received = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int expected = WRITERS * (WRITES_EACH + 1);
            while (received.size() < expected && System.nanoTime() < deadline) {
                received.addAll(watch.next(Duration.ofMillis(200)));
            }
            for (Future<?> f : writers) f.get(30, TimeUnit.SECONDS);
            received.addAll(watch.next(Duration.ofMillis(100)));

            List<Long> revisions = received.stream().map(Change::revision).toList();
            assertThat(revisions).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
            assertThat(revisions).containsExactlyElementsOf(acknowledged.stream().sorted().toList());
            assertThat(revisions.get(0)).isGreaterThan(start);
            // per object: created first, deleted last, values in the order they were written
            for (int w = 0; w < WRITERS; w++) {
                ResourceKey key = new ResourceKey("Gauge", "acme", "own-" + w);
                List<Change> mine = received.stream().filter(c -> c.key().equals(key)).toList();
                assertThat(mine).hasSize(WRITES_EACH + 1);
                assertThat(mine.get(0).type()).isEqualTo(Change.Type.ADDED);
                assertThat(mine.get(WRITES_EACH).type()).isEqualTo(Change.Type.DELETED);
                assertThat(mine.subList(0, WRITES_EACH)).extracting(c -> c.object().path("spec").path("value").asInt())
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, WRITES_EACH).boxed().toList());
            }
            assertThat(rows(db, "changes")).isGreaterThanOrEqualTo(expected);
        }
    }
}
