package dev.millwright.sched;

import static dev.millwright.sched.SchedFixtures.H100;
import static dev.millwright.sched.SchedFixtures.H200;
import static dev.millwright.sched.SchedFixtures.at;
import static dev.millwright.sched.SchedFixtures.bound;
import static dev.millwright.sched.SchedFixtures.job;
import static dev.millwright.sched.SchedFixtures.waitReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.Scheduler.Request;
import dev.millwright.sched.Scheduler.Share;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Work that has waited past the threshold and does not fit reserves its pool: later, no-higher work is not backfilled there. */
class StarvationTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000;

    /** Two 8-GPU nodes each half used, and queue q guaranteed more than all of it (so only room holds work back); "big" (2 x 8) arrived at T0 and cannot fit until they empty. */
    private Scheduler halfFull() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.addNode("n2", H100, 8);
        s.addNode("other", H200, 8);
        s.setQueue("q", Map.of(H100, Share.of(64), H200, Share.of(8)), 1);
        s.restore(job("r1", "q", 1, 4, T0 - MINUTE), List.of(at(0, "n1", 0, 1, 2, 3)));
        s.restore(job("r2", "q", 1, 4, T0 - MINUTE), List.of(at(0, "n2", 0, 1, 2, 3)));
        s.submit(job("tenant/big", "q", 2, 8, T0));
        s.submit(job("small", "q", 1, 2, T0 + MINUTE));
        return s;
    }

    @Test
    void laterWorkIsHeldBackOnceTheBigGangHasStarved() {
        Scheduler s = halfFull();

        var ds = s.cycle(T0 + 12 * MINUTE);

        assertThat(waitReason(ds, "tenant/big")).startsWith("waiting for 2 x 8 H100 80GB GPUs");
        assertThat(waitReason(ds, "small")).isEqualTo(
                "held back: tenant/big has waited 12 min for 16 H100 80GB GPUs; backfill is paused on these nodes until it starts");
        assertThat(s.runningCount()).isEqualTo(2);
    }

    @Test
    void starvedWorkIsConsideredFirstWithinItsPrioritySoTheLessServedQueueCannotSlipIn() {
        Scheduler s = halfFull();
        s.setQueue("light", Map.of(H100, Share.of(64)), 1);
        s.submit(job("light-small", "light", 1, 2, T0 + 2 * MINUTE));

        var ds = s.cycle(T0 + 12 * MINUTE);

        assertThat(ds.get(0).id()).isEqualTo("tenant/big");
        assertThat(waitReason(ds, "light-small")).startsWith("held back: tenant/big");
    }

    @Test
    void beforeTheThresholdAndInAnUntimedCycleSmallWorkBackfills() {
        Scheduler early = halfFull();
        bound(early.cycle(T0 + 9 * MINUTE), "small");

        Scheduler untimed = halfFull();
        bound(untimed.cycle(), "small");
    }

    @Test
    void theThresholdComesFromTheConstructor() {
        Scheduler s = new Scheduler(Duration.ofMinutes(1));
        s.addNode("n1", H100, 8);
        s.setQueue("q", Map.of(H100, Share.of(64)), 1);
        s.restore(job("r1", "q", 1, 4, T0), List.of(at(0, "n1", 0, 1, 2, 3)));
        s.submit(job("big", "q", 1, 8, T0));
        s.submit(job("small", "q", 1, 2, T0 + 1));

        assertThat(waitReason(s.cycle(T0 + 2 * MINUTE), "small")).startsWith("held back: big has waited 2 min for 8 H100 80GB GPUs");
    }

    @Test
    void higherPriorityWorkStillGoesFirst() {
        Scheduler s = halfFull();
        s.submit(new Request("urgent", "q", PriorityClass.PRODUCTION_INFERENCE, 1, 2, H100, T0 + 2 * MINUTE));

        var ds = s.cycle(T0 + 12 * MINUTE);

        bound(ds, "urgent");
        waitReason(ds, "small");
    }

    @Test
    void workThatArrivedEarlierOrInAnotherPoolIsNotHeldBack() {
        Scheduler s = halfFull();
        s.submit(job("older", "q", 1, 2, T0 - MINUTE));
        s.submit(new Request("elsewhere", "q", PriorityClass.BATCH, 1, 2, H200, T0 + MINUTE));

        var ds = s.cycle(T0 + 12 * MINUTE);

        bound(ds, "older");
        bound(ds, "elsewhere");
        waitReason(ds, "small");
    }

    @Test
    void theReservationHoldsForSingleDecisionsUntilTheStarvedGangStarts() {
        Scheduler s = halfFull();
        s.cycle(T0 + 12 * MINUTE);
        s.submit(job("arrival", "q", 1, 1, T0 + 12 * MINUTE));
        assertThat(waitReason(s.decide("arrival"), "arrival")).startsWith("held back: tenant/big");

        s.release("r1");
        s.release("r2");
        var ds = s.cycle(T0 + 13 * MINUTE);

        bound(ds, "tenant/big");
        assertThat(waitReason(ds, "small")).as("the fleet is full now, not held").startsWith("waiting for 1 x 2");
    }

    @Test
    void workThatCouldNeverFitReservesNothing() {
        Scheduler s = halfFull();
        s.submit(job("huge", "q", 1, 16, T0 - MINUTE)); // no node has 16 GPUs
        s.release("tenant/big");

        bound(s.cycle(T0 + 12 * MINUTE), "small");
    }
}
