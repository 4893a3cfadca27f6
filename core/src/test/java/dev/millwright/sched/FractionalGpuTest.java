package dev.millwright.sched;

import static dev.millwright.sched.SchedFixtures.H100;
import static dev.millwright.sched.SchedFixtures.at;
import static dev.millwright.sched.SchedFixtures.bound;
import static dev.millwright.sched.SchedFixtures.job;
import static dev.millwright.sched.SchedFixtures.share;
import static dev.millwright.sched.SchedFixtures.waitReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.sched.Scheduler.Decision;
import dev.millwright.sched.Scheduler.Preempt;
import dev.millwright.sched.Scheduler.Share;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shares of a GPU (gpuShare below 1000): per-GPU accounting, best-fit packing, and quota in thousandths. */
class FractionalGpuTest {
    private long sequence;

    @Test
    void aShareGoesOnTheMostUsedGpuThatStillFitsIt() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.submit(share("a", "q", 500, sequence++));
        s.submit(share("b", "q", 300, sequence++));
        s.submit(share("c", "q", 400, sequence++));
        s.submit(share("d", "q", 200, sequence++));

        List<Decision> ds = s.cycle();

        assertThat(bound(ds, "a").placements()).containsExactly(at(0, "n1", 0));
        assertThat(bound(ds, "b").placements()).as("joins the half-used GPU").containsExactly(at(0, "n1", 0));
        assertThat(bound(ds, "c").placements()).as("0.2 left on GPU 0 is too little").containsExactly(at(0, "n1", 1));
        assertThat(bound(ds, "d").placements()).as("fills GPU 0 exactly rather than GPU 1").containsExactly(at(0, "n1", 0));
        assertThat(s.usedMilli("q", H100)).isEqualTo(1400);
        assertThat(s.used("q", H100)).as("rounded up").isEqualTo(2);
        s.verify();
    }

    @Test
    void sharesGatherOnTheNodesThatAlreadyHostThemAndWholeNodesStayWhole() {
        Scheduler s = new Scheduler();
        s.addNode("a", H100, 8);
        s.addNode("b", H100, 8);
        s.restore(job("half", "q", 1, 4, sequence++), List.of(at(0, "b", 0, 1, 2, 3)));
        s.submit(share("x", "q", 500, sequence++));
        s.submit(share("y", "q", 500, sequence++));
        s.submit(job("whole", "q", 1, 8, sequence++));

        List<Decision> ds = s.cycle();

        assertThat(bound(ds, "x").placements()).as("the fullest node with a free GPU").containsExactly(at(0, "b", 4));
        assertThat(bound(ds, "y").placements()).containsExactly(at(0, "b", 4));
        assertThat(bound(ds, "whole").placements()).containsExactly(at(0, "a", 0, 1, 2, 3, 4, 5, 6, 7));
        s.verify();
    }

    @Test
    void wholeGpuRequestsUseOnlyFullyFreeGpus() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 2);
        s.setQueue("q", Map.of(H100, Share.of(8)), 1);
        s.restore(share("tiny", "q", 100, sequence++), List.of(at(0, "n1", 0)));
        s.submit(job("two", "q", 1, 2, sequence++));
        s.submit(job("one", "q", 1, 1, sequence++));

        List<Decision> ds = s.cycle();

        assertThat(waitReason(ds, "two")).isEqualTo("waiting for 1 x 2 H100 80GB GPUs, all or none: 1 free on 1 nodes, 1 at most on one");
        assertThat(bound(ds, "one").placements()).containsExactly(at(0, "n1", 1));
        s.verify();
    }

    @Test
    void aShareThatFindsNoRoomSaysHowMuchTheRoomiestSharedGpuHas() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 1);
        s.setQueue("q", Map.of(H100, Share.of(8)), 1);
        s.restore(share("most", "q", 750, sequence++), List.of(at(0, "n1", 0)));
        s.submit(share("half", "q", 500, sequence++));

        assertThat(waitReason(s.cycle(), "half")).isEqualTo(
                "waiting for 1 x 0.5 H100 80GB GPUs, all or none: 0 free on 1 nodes, 0 at most on one; the roomiest shared GPU has 0.25 free");
    }

    @Test
    void quotaIsCountedInThousandthsOfAGpu() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.setQueue("q", Map.of(H100, new Share(1, 1, 1)), 1);
        s.submit(share("a", "q", 500, sequence++));
        s.submit(share("b", "q", 500, sequence++));
        s.submit(share("c", "q", 500, sequence++));

        List<Decision> ds = s.cycle();

        bound(ds, "a");
        bound(ds, "b");
        assertThat(waitReason(ds, "c")).isEqualTo("queue q: H100 80GB limit 1/1 in use, 0.5 more asked");
        assertThat(s.used("q", H100)).isEqualTo(1);
        assertThat(s.usedMilli("q", H100)).isEqualTo(1000);
    }

    @Test
    void aShareWithinItsGuaranteeReclaimsASharedGpuFromABorrower() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 1);
        s.setQueue("owner", Map.of(H100, Share.of(1)), 1);
        s.setQueue("borrower", Map.of(H100, Share.of(0)), 1);
        s.submit(share("b1", "borrower", 500, sequence++));
        s.submit(share("b2", "borrower", 500, sequence++));
        assertThat(s.cycle()).hasSize(2).allSatisfy(d -> assertThat(d).isInstanceOf(Scheduler.Bind.class));

        s.submit(share("mine", "owner", 500, sequence++));
        List<Decision> ds = s.cycle();

        assertThat(ds.get(0)).isInstanceOfSatisfying(Preempt.class, p -> assertThat(p.id()).isEqualTo("b1"));
        assertThat(bound(ds, "mine").placements()).containsExactly(at(0, "n1", 0));
        assertThat(s.usedMilli("borrower", H100)).as("only one half is preempted").isEqualTo(500);
        s.verify();
    }

    @Test
    void restoringAShareTakesItsShareAgainAndReleasingGivesItBack() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 2);
        s.restore(share("r", "q", 700, sequence++), List.of(at(0, "n1", 0)));
        s.submit(share("half", "q", 500, sequence++));
        assertThat(bound(s.cycle(), "half").placements()).as("GPU 0 has only 0.3 left").containsExactly(at(0, "n1", 1));
        assertThat(s.usedMilli("q", H100)).isEqualTo(1200);

        s.release("r");
        s.submit(job("one", "q", 1, 1, sequence++));

        assertThat(bound(s.cycle(), "one").placements()).containsExactly(at(0, "n1", 0));
        assertThat(s.usedMilli("q", H100)).isEqualTo(1500);
        s.verify();
    }

    @Test
    void aRestoreTakesOnlyTheGpusThatAreThereAndItsReleaseGivesBackExactlyThose() {
        Scheduler s = new Scheduler();
        s.addNode(new Scheduler.NodeSpec("n1", H100, 4, "", null, null, java.util.Set.of(3)));
        s.setQueue("q", Map.of(H100, Share.of(8)), 1);
        s.restore(share("r", "q", 700, sequence++), List.of(at(0, "n1", 0)));

        // stale status: GPU 0 has no room for another half; GPU 3 failed under "dead"; n9 is gone
        s.restore(job("gang", "q", 2, 1, sequence++).withGpuShare(500), List.of(at(0, "n1", 1), at(1, "n1", 0)));
        s.restore(job("dead", "q", 1, 1, sequence++), List.of(at(0, "n1", 3)));
        s.restore(job("lost", "q", 1, 1, sequence++), List.of(at(0, "n9", 0)));
        s.verify();
        assertThat(s.usedMilli("q", H100)).as("queues count what the work asked for").isEqualTo(3700);

        s.release("gang");
        s.release("dead");
        s.verify();
        s.submit(job("pair", "q", 1, 2, sequence++));
        assertThat(bound(s.cycle(), "pair").placements()).as("GPU 0 still holds 0.7, GPU 3 stays failed").containsExactly(at(0, "n1", 1, 2));
        assertThatThrownBy(() -> s.restore(job("pair", "q", 1, 1, sequence++), List.of(at(0, "n1", 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pair is already running");
    }
}
