package dev.millwright.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.GoneException;
import dev.millwright.resource.Json;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.Database;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.TestDatabases;
import dev.millwright.store.WriteContext;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The change feed: ordered, exactly-once delivery from any revision, resumption, the ring, compaction and other replicas. */
class ChangeFeedTest {
    private static final WriteContext ADMIN = WriteContext.of("user:admin");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static Database db;
    private static ResourceStore store;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh("changefeed");
        store = new ResourceStore(db, Clock.systemUTC());
        store.create(new Resource("Tenant", ObjectMeta.named("acme", ""), Json.object(), null), ADMIN);
    }

    @AfterAll
    static void close() {
        store.close();
        db.close();
    }

    private static Resource widget(String name, int size) {
        return new Resource("Widget", ObjectMeta.named(name, "acme").withLabels(Map.of("app", name)), Json.object().put("size", size), null);
    }

    /** Writes {@code n} changes (a create, then updates) to a new object and returns their revisions. */
    private static List<Long> writeBurst(ResourceStore s, String name, int n) {
        List<Long> revisions = new ArrayList<>();
        Resource r = s.create(widget(name, 0), ADMIN);
        revisions.add(r.resourceVersion());
        for (int i = 1; i < n; i++) {
            int size = i;
            revisions.add(s.update(r.key(), x -> x.withSpec(Json.object().put("size", size)), ADMIN, "update").resourceVersion());
        }
        return revisions;
    }

    /** Reads from {@code watch} until it has returned revision {@code through}. */
    private static List<Change> drain(ChangeFeed.Watch watch, long through) throws InterruptedException {
        List<Change> out = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (watch.revision() < through) {
            assertThat(System.nanoTime()).as("watch reached %d by now (at %d)", through, watch.revision()).isLessThan(deadline);
            out.addAll(watch.next(Duration.ofMillis(200)));
        }
        return out;
    }

    private static List<Long> revisions(List<Change> changes) {
        return changes.stream().map(Change::revision).toList();
    }

    @Test
    void aWatchFromARevisionReceivesExactlyTheLaterChangesInOrder() throws Exception {
        try (ChangeFeed feed = ChangeFeed.start(db, 100)) {
            Resource a = store.create(widget("order-a", 1), ADMIN);
            long from = a.resourceVersion();
            Resource b = store.create(widget("order-b", 1), ADMIN);
            Resource a2 = store.update(a.key(), r -> r.withSpec(Json.object().put("size", 2)), ADMIN, "update");
            Resource bGone = store.delete(b.key(), 0, ADMIN);

            ChangeFeed.Watch watch = feed.watch(from);
            List<Change> seen = drain(watch, bGone.resourceVersion());

            assertThat(seen).extracting(Change::revision, Change::type, Change::key).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(b.resourceVersion(), Change.Type.ADDED, b.key()),
                    org.assertj.core.groups.Tuple.tuple(a2.resourceVersion(), Change.Type.MODIFIED, a.key()),
                    org.assertj.core.groups.Tuple.tuple(bGone.resourceVersion(), Change.Type.DELETED, b.key()));
            assertThat(seen.get(1).object().path("spec").path("size").asInt()).isEqualTo(2);
            assertThat(seen.get(1).object().path("metadata").path("resourceVersion").asText()).isEqualTo(Long.toString(a2.resourceVersion()));
            assertThat(seen.get(1).labels()).containsExactly(Map.entry("app", "order-a"));
            assertThat(seen.get(2).object().path("metadata").path("resourceVersion").asText()).isEqualTo(Long.toString(bGone.resourceVersion()));
            assertThat(watch.next(Duration.ofMillis(100))).isEmpty();
        }
    }

    @Test
    void aWatchResumedFromItsLastRevisionMissesNothingAndRepeatsNothing() throws Exception {
        try (ChangeFeed feed = ChangeFeed.start(db, 1000)) {
            long start = store.revision();
            int burst = 100;
            CompletableFuture<List<Long>> writer = CompletableFuture.supplyAsync(() -> writeBurst(store, "resume", burst));

            ChangeFeed.Watch steady = feed.watch(start);
            ChangeFeed.Watch flaky = feed.watch(start);
            List<Change> steadySeen = new ArrayList<>();
            List<Change> flakySeen = new ArrayList<>();
            int reconnects = 0;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while ((!writer.isDone() || steady.revision() < store.revision() || flaky.revision() < store.revision())
                    && System.nanoTime() < deadline) {
                steadySeen.addAll(steady.next(Duration.ofMillis(50)));
                flakySeen.addAll(flaky.next(Duration.ofMillis(50)));
                // drop the connection: a client reconnects with the last revision it saw
                long last = flakySeen.isEmpty() ? start : flakySeen.get(flakySeen.size() - 1).revision();
                flaky = feed.watch(last);
                reconnects++;
            }
            List<Long> written = writer.get(10, TimeUnit.SECONDS);

            assertThat(reconnects).isGreaterThan(1);
            assertThat(written).hasSize(burst).isSorted();
            assertThat(revisions(steadySeen)).containsExactlyElementsOf(written);
            assertThat(revisions(flakySeen)).containsExactlyElementsOf(written);
        }
    }

    @Test
    void aWatchFromBehindTheRingReadsTheTableAndStillSeesEverything() throws Exception {
        try (ChangeFeed feed = ChangeFeed.start(db, 4)) {
            long start = store.revision();
            List<Long> written = writeBurst(store, "behind-ring", 25);
            long newest = written.get(24);
            assertThat(feed.awaitRevision(newest, PATIENCE)).isTrue();

            ChangeFeed.Watch fromStart = feed.watch(start);
            ChangeFeed.Watch fromMiddle = feed.watch(written.get(9));
            ChangeFeed.Watch inRing = feed.watch(written.get(21));
            assertThat(revisions(drain(fromStart, newest))).containsExactlyElementsOf(written);
            assertThat(revisions(drain(fromMiddle, newest))).containsExactlyElementsOf(written.subList(10, 25));
            assertThat(revisions(drain(inRing, newest))).containsExactlyElementsOf(written.subList(22, 25));

            // and carries on live from the ring once caught up
            List<Long> more = writeBurst(store, "behind-ring-live", 6);
            assertThat(revisions(drain(fromStart, more.get(5)))).containsExactlyElementsOf(more);
        }
    }

    @Test
    void aWatchFromACompactedRevisionIsGoneAndOneFromTheHorizonIsNot() throws Exception {
        try (ChangeFeed feed = ChangeFeed.start(db, 2)) {
            long start = store.revision();
            List<Long> written = writeBurst(store, "compacted", 10);
            long newest = written.get(written.size() - 1);
            assertThat(feed.awaitRevision(newest, PATIENCE)).isTrue();

            long horizon = store.revision() - 3; // compact keeps the newest 3 revisions
            int removed = feed.compact(3);
            assertThat(removed).isPositive();
            long oldestKept = db.jdbi().withHandle(h -> h.createQuery("SELECT min(revision) FROM changes").mapTo(Long.class).one());
            assertThat(oldestKept).isGreaterThan(horizon);
            assertThat(feed.compactedThrough()).isEqualTo(horizon);

            ChangeFeed.Watch old = feed.watch(start);
            assertThatThrownBy(() -> old.next(Duration.ofMillis(100)))
                    .isInstanceOf(GoneException.class).hasMessageContaining("resourceVersion " + start + " is too old");
            ChangeFeed.Watch justBefore = feed.watch(horizon - 1);
            assertThatThrownBy(() -> justBefore.next(Duration.ofMillis(100))).isInstanceOf(GoneException.class);

            ChangeFeed.Watch atHorizon = feed.watch(horizon);
            assertThat(revisions(drain(atHorizon, newest))).containsExactlyElementsOf(written.stream().filter(rv -> rv > horizon).toList())
                    .isNotEmpty();
            assertThat(feed.compact(1_000_000)).isZero();
        }
    }

    @Test
    void changesWrittenThroughAnotherReplicasPoolReachThisFeedByNotify() throws Exception {
        String url = TestDatabases.freshUrl("replicas");
        try (Database here = Database.connect(url, "postgres", null);
             Database there = Database.connect(url, "postgres", null);
             ResourceStore local = new ResourceStore(here, Clock.systemUTC());
             ResourceStore remote = new ResourceStore(there, Clock.systemUTC());
             ChangeFeed feed = ChangeFeed.start(here, 100);
             Connection listener = here.openDedicatedConnection()) {
            local.create(new Resource("Tenant", ObjectMeta.named("acme", ""), Json.object(), null), ADMIN);
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN millwright_changes");
            }
            Resource r = remote.create(widget("remote", 0), ADMIN);

            // the other pool's commit sends a notification (one per committed batch)
            PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(5000);
            assertThat(got).isNotNull().isNotEmpty();
            assertThat(Arrays.stream(got).map(PGNotification::getName)).contains("millwright_changes");
            assertThat(feed.awaitRevision(r.resourceVersion(), PATIENCE)).isTrue();

            // each remote write reaches the idle feed far sooner than its 500 ms poll would bring it
            List<Long> latenciesMillis = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                int size = i;
                long rv = remote.update(r.key(), x -> x.withSpec(Json.object().put("size", size)), ADMIN, "update").resourceVersion();
                long t0 = System.nanoTime();
                assertThat(feed.awaitRevision(rv, PATIENCE)).isTrue();
                latenciesMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
            List<Long> sorted = latenciesMillis.stream().sorted().toList();
            assertThat(sorted.get(2)).as("median latency of %s ms", latenciesMillis).isLessThan(250);

            ChangeFeed.Watch watch = feed.watch(r.resourceVersion() - 1);
            List<Change> seen = drain(watch, r.resourceVersion() + 5);
            assertThat(seen).hasSize(6).allMatch(c -> c.key().equals(new ResourceKey("Widget", "acme", "remote")));
        }
    }

    @Test
    void awaitRevisionReturnsOnceTheFeedHasReadARevisionAndFalseOnTimeout() throws Exception {
        try (ChangeFeed feed = ChangeFeed.start(db, 100)) {
            long rv = store.create(widget("awaited", 0), ADMIN).resourceVersion();
            assertThat(feed.awaitRevision(rv, PATIENCE)).isTrue();
            assertThat(feed.head()).isGreaterThanOrEqualTo(rv);
            assertThat(feed.awaitRevision(rv, Duration.ZERO)).isTrue();

            long t0 = System.nanoTime();
            assertThat(feed.awaitRevision(rv + 1000, Duration.ofMillis(300))).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 3000L);

            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return feed.awaitRevision(rv + 1, PATIENCE);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            store.create(widget("awaited-next", 0), ADMIN);
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
