package dev.millwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events: repeats are counted, each object keeps its newest few, and purge enforces the time to live and the total. */
class EventsTest {
    private static final int PER_OBJECT = 3;
    private static final int TOTAL = 5;
    private static final Duration TTL = Duration.ofHours(1);
    private static final ResourceKey NODE = new ResourceKey("Node", "acme", "n1");
    private static final ResourceKey OTHER = new ResourceKey("Node", "acme", "n2");

    private static Database db;
    private TestClock clock;
    private Events events;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh("events");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.jdbi().useHandle(h -> h.execute("DELETE FROM events"));
        clock = TestClock.atEpochDay();
        events = new Events(db, clock, PER_OBJECT, TTL, TOTAL);
    }

    @Test
    void theSameEventTwiceIsOneRowCountedTwiceWithItsFirstAndLastTimes() {
        Instant first = clock.instant();
        events.record(NODE, "Warning", "Unreachable", "no answer on the BMC", "controller:nodes");
        clock.advance(Duration.ofSeconds(42));
        events.record(NODE, "Warning", "Unreachable", "no answer on the BMC", "controller:health");

        List<EventRecord> recorded = events.forObject(NODE);
        assertThat(recorded).hasSize(1);
        EventRecord e = recorded.get(0);
        assertThat(e.count()).isEqualTo(2);
        assertThat(e.firstTimestamp()).isEqualTo(first);
        assertThat(e.lastTimestamp()).isEqualTo(first.plusSeconds(42));
        assertThat(e.source()).isEqualTo("controller:health");
        assertThat(e.involved()).isEqualTo(NODE);
    }

    @Test
    void aDifferentTypeReasonMessageOrObjectIsADifferentEvent() {
        events.record(NODE, "Warning", "Unreachable", "no answer", "c");
        events.record(NODE, "Normal", "Unreachable", "no answer", "c");
        events.record(NODE, "Warning", "Reachable", "no answer", "c");
        events.record(OTHER, "Warning", "Unreachable", "no answer", "c");
        events.record(OTHER, "Warning", "Unreachable", "other answer", "c");
        assertThat(events.list(null, 100)).hasSize(5).allMatch(e -> e.count() == 1);
    }

    @Test
    void eachObjectKeepsOnlyItsNewestEvents() {
        for (int i = 1; i <= 6; i++) {
            events.record(NODE, "Normal", "Step" + i, "step " + i, "c");
            clock.advance(Duration.ofSeconds(1));
        }
        events.record(OTHER, "Normal", "Untouched", "other object", "c");

        assertThat(events.forObject(NODE)).extracting(EventRecord::reason).containsExactly("Step6", "Step5", "Step4");
        assertThat(events.forObject(OTHER)).extracting(EventRecord::reason).containsExactly("Untouched");
    }

    @Test
    void aRepeatedOldEventBecomesNewAgainAndSurvivesTheTrim() {
        events.record(NODE, "Normal", "Old", "old", "c");
        for (int i = 1; i <= 2; i++) {
            clock.advance(Duration.ofSeconds(1));
            events.record(NODE, "Normal", "New" + i, "new", "c");
        }
        clock.advance(Duration.ofSeconds(1));
        events.record(NODE, "Normal", "Old", "old", "c"); // now the newest
        clock.advance(Duration.ofSeconds(1));
        events.record(NODE, "Normal", "Newest", "newest", "c");

        assertThat(events.forObject(NODE)).extracting(EventRecord::reason).containsExactly("Newest", "Old", "New2");
    }

    @Test
    void purgeDropsExpiredEventsAndTrimsToTheTotalLimit() {
        events.record(NODE, "Normal", "Ancient", "a", "c");
        events.record(OTHER, "Normal", "Ancient", "a", "c");
        clock.advance(TTL.plusMinutes(1));
        for (int i = 1; i <= 3; i++) {
            for (ResourceKey key : List.of(NODE, OTHER)) {
                clock.advance(Duration.ofSeconds(1));
                events.record(key, "Normal", "Fresh" + i, "f", "c");
            }
        }
        // per object: the ancient one was trimmed already when the third fresh one came
        assertThat(events.list(null, 100)).hasSize(6);
        assertThat(events.purge()).isEqualTo(1); // none expired any more, one over the total

        assertThat(events.list(null, 100)).hasSize(TOTAL).extracting(EventRecord::reason)
                .containsExactly("Fresh3", "Fresh3", "Fresh2", "Fresh2", "Fresh1");
        assertThat(events.list(null, 100).get(4).involved()).isEqualTo(OTHER);
    }

    @Test
    void purgeDropsEventsOlderThanTheTimeToLive() {
        events.record(NODE, "Normal", "Old", "o", "c");
        clock.advance(Duration.ofMinutes(30));
        events.record(OTHER, "Normal", "Recent", "r", "c");
        clock.advance(Duration.ofMinutes(31));

        assertThat(events.purge()).isEqualTo(1);
        assertThat(events.list(null, 100)).extracting(EventRecord::reason).containsExactly("Recent");
        clock.advance(Duration.ofMinutes(30));
        assertThat(events.purge()).isEqualTo(1);
        assertThat(events.list(null, 100)).isEmpty();
    }

    @Test
    void longMessagesAreCutAndStillCountedAsOneEvent() {
        String longMessage = "x".repeat(Events.MAX_MESSAGE) + "tail that is cut";
        events.record(NODE, "Warning", "Verbose", longMessage, "c");
        events.record(NODE, "Warning", "Verbose", "x".repeat(Events.MAX_MESSAGE) + "another tail", "c");

        List<EventRecord> recorded = events.forObject(NODE);
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).message()).hasSize(Events.MAX_MESSAGE).isEqualTo("x".repeat(Events.MAX_MESSAGE));
        assertThat(recorded.get(0).count()).isEqualTo(2);
    }

    @Test
    void listingFiltersByTenantAndDeleteForRemovesAnObjectsEvents() {
        ResourceKey platformNode = ResourceKey.platform("Machine", "m1");
        events.record(NODE, "Normal", "A", "a", "c");
        events.record(new ResourceKey("Node", "globex", "g1"), "Normal", "B", "b", "c");
        events.record(platformNode, "Normal", "C", "c", "c");

        assertThat(events.list(Set.of("acme"), 100)).extracting(EventRecord::reason).containsExactly("A");
        assertThat(events.list(Set.of(""), 100)).extracting(EventRecord::reason).containsExactly("C");
        assertThat(events.list(Set.of(), 100)).isEmpty();
        assertThat(events.list(null, 100)).hasSize(3);

        events.deleteFor(NODE);
        assertThat(events.forObject(NODE)).isEmpty();
        assertThat(events.list(null, 100)).hasSize(2);
    }

    @Test
    void anUnknownTypeIsRefused() {
        assertThatThrownBy(() -> events.record(NODE, "Error", "Bad", "b", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThat(events.list(null, 100)).isEmpty();
    }
}
