package dev.millwright.sched;

import static dev.millwright.sched.SchedFixtures.H100;
import static dev.millwright.sched.SchedFixtures.bound;
import static dev.millwright.sched.SchedFixtures.job;
import static dev.millwright.sched.SchedFixtures.waitReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.sched.Scheduler.Share;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A parent queue's limit bounds its own use and all its descendants' together. */
class HierarchicalLimitTest {
    private long sequence;

    /** 32 H100s; tenant acme limited to 16, its projects a and b guaranteed 8 each with no limit of their own. */
    private Scheduler acme() {
        Scheduler s = new Scheduler();
        for (int i = 1; i <= 4; i++) s.addNode("n" + i, H100, 8);
        s.setQueue("acme", Map.of(H100, new Share(0, 16, 0)), 1);
        s.setQueue("proj-a", "acme", Map.of(H100, Share.of(8)), 1);
        s.setQueue("proj-b", "acme", Map.of(H100, Share.of(8)), 1);
        return s;
    }

    @Test
    void workPastAnAncestorsLimitWaitsNamingThatQueue() {
        Scheduler s = acme();
        s.submit(job("a8", "proj-a", 1, 8, sequence++));
        s.submit(job("a4", "proj-a", 1, 4, sequence++));
        s.submit(job("b4", "proj-b", 1, 4, sequence++));
        s.cycle();
        s.submit(job("b2", "proj-b", 1, 2, sequence++));

        assertThat(waitReason(s.cycle(), "b2")).isEqualTo("queue acme: H100 80GB limit 16/16 in use (with its projects), 2 more asked");
        assertThat(s.used("proj-b", H100)).as("within its own guarantee, still refused").isEqualTo(4);
        s.verify();
    }

    @Test
    void aReleaseBelowTheParentMakesRoomUnderItsLimit() {
        Scheduler s = acme();
        s.submit(job("a16", "proj-a", 2, 8, sequence++));
        bound(s.cycle(), "a16");
        s.submit(job("b2", "proj-b", 1, 2, sequence++));
        waitReason(s.cycle(), "b2");

        s.release("a16");

        bound(s.cycle(), "b2");
        s.verify();
    }

    @Test
    void aLimitHigherUpTheTreeBoundsEveryLevelBelow() {
        Scheduler s = acme();
        s.setQueue("org", Map.of(H100, new Share(0, 10, 0)), 1);
        s.setQueue("acme", "org", Map.of(H100, new Share(0, 16, 0)), 1);
        s.submit(job("a8", "proj-a", 1, 8, sequence++));
        s.submit(job("b4", "proj-b", 1, 4, sequence++));

        var ds = s.cycle();

        bound(ds, "a8");
        assertThat(waitReason(ds, "b4")).isEqualTo("queue org: H100 80GB limit 8/10 in use (with its projects), 4 more asked");
    }

    @Test
    void aQueuesOwnLimitIsCheckedBeforeItsParents() {
        Scheduler s = acme();
        s.setQueue("proj-a", "acme", Map.of(H100, new Share(8, 8, 8)), 1);
        s.submit(job("a12", "proj-a", 1, 12, sequence++));

        assertThat(waitReason(s.cycle(), "a12")).isEqualTo("queue proj-a: H100 80GB limit 0/8 in use, 12 more asked");
    }

    @Test
    void movingAQueueToAnotherParentMovesItsUse() {
        Scheduler s = acme();
        s.setQueue("beta", Map.of(H100, new Share(0, 32, 0)), 1);
        s.submit(job("a16", "proj-a", 2, 8, sequence++));
        s.cycle();
        s.submit(job("b2", "proj-b", 1, 2, sequence++));
        waitReason(s.cycle(), "b2");

        s.setQueue("proj-a", "beta", Map.of(H100, Share.of(8)), 1);

        bound(s.cycle(), "b2");
        s.verify();
    }

    @Test
    void aQueueCannotBeItsOwnAncestor() {
        Scheduler s = acme();

        assertThatThrownBy(() -> s.setQueue("acme", "proj-a", Map.of(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queue acme cannot be placed under proj-a, which is under it");
        assertThatThrownBy(() -> s.setQueue("acme", Map.of(), 0)).hasMessage("queue acme: weight must be positive, was 0.0");
    }
}
