package dev.millwright.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.Scheduler.Bind;
import dev.millwright.sched.Scheduler.Decision;
import dev.millwright.sched.Scheduler.Preempt;
import dev.millwright.sched.Scheduler.Request;
import dev.millwright.sched.Scheduler.Share;
import dev.millwright.sched.Scheduler.Wait;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final String H100 = "NVIDIA H100 80GB HBM3";
    private long sequence;

    /** Two nodes of 8 H100s; queues vision and nlp are each guaranteed 8. */
    private Scheduler twoQueues(Share vision, Share nlp) {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.addNode("n2", H100, 8);
        s.setQueue("vision", Map.of(H100, vision), 1);
        s.setQueue("nlp", Map.of(H100, nlp), 1);
        return s;
    }

    private Request request(String id, String queue, PriorityClass priority, int replicas, int gpus) {
        return new Request(id, queue, priority, replicas, gpus, H100, sequence++);
    }

    private static Decision only(List<Decision> ds, String id) {
        return ds.stream().filter(d -> d.id().equals(id)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void workWithinItsGuaranteeIsBoundBestFit() {
        Scheduler s = twoQueues(Share.of(8), Share.of(8));
        s.submit(request("a", "vision", PriorityClass.TRAINING, 1, 2));
        s.submit(request("b", "vision", PriorityClass.TRAINING, 1, 2));

        List<Decision> ds = s.cycle();

        assertThat(ds).allSatisfy(d -> assertThat(d).isInstanceOf(Bind.class));
        // best fit: the second replica joins the first on its node, keeping the other node whole
        assertThat(((Bind) only(ds, "a")).placements().get(0).machine()).isEqualTo(((Bind) only(ds, "b")).placements().get(0).machine());
        assertThat(s.used("vision", H100)).isEqualTo(4);
    }

    @Test
    void nodesARequestMayNotUseAreNeverChosenAndNobodyIsPreemptedForIt() {
        Scheduler s = twoQueues(Share.of(8), Share.of(8));
        // best fit would pick n1 for both; a policy keeps "kept" off n1
        s.submit(request("first", "vision", PriorityClass.TRAINING, 1, 2));
        s.submit(request("kept", "vision", PriorityClass.TRAINING, 1, 2).excluding(java.util.Set.of("n1")));
        List<Decision> ds = s.cycle();
        assertThat(((Bind) only(ds, "first")).placements().get(0).machine()).isEqualTo("n1");
        assertThat(((Bind) only(ds, "kept")).placements().get(0).machine()).isEqualTo("n2");

        // every node refused: it waits
        s.submit(request("nowhere", "vision", PriorityClass.TRAINING, 1, 1).excluding(java.util.Set.of("n1", "n2")));
        assertThat(only(s.cycle(), "nowhere")).isInstanceOf(Wait.class);

        // a borrower fills n2; nlp's request within its guarantee may only use n2, so it preempts nobody and waits
        Scheduler t = twoQueues(Share.of(8), Share.of(8));
        t.submit(request("borrow", "vision", PriorityClass.TRAINING, 2, 8));
        assertThat(only(t.cycle(), "borrow")).isInstanceOf(Bind.class);
        t.submit(request("mine", "nlp", PriorityClass.BATCH, 1, 8).excluding(java.util.Set.of("n1")));
        List<Decision> after = t.cycle();
        assertThat(after).noneMatch(d -> d instanceof Preempt);
        assertThat(only(after, "mine")).isInstanceOf(Wait.class);
    }

    @Test
    void idleCapacityIsLentAndReclaimedByPreemptingTheBorrower() {
        Scheduler s = twoQueues(Share.of(8), Share.of(8));
        s.submit(request("big", "vision", PriorityClass.TRAINING, 2, 6));
        assertThat(only(s.cycle(), "big")).isInstanceOf(Bind.class);
        assertThat(s.used("vision", H100)).isEqualTo(12);

        s.submit(request("mine", "nlp", PriorityClass.BATCH, 1, 8));
        List<Decision> ds = s.cycle();

        assertThat(ds).anySatisfy(d -> assertThat(d).isInstanceOfSatisfying(Preempt.class, p -> {
            assertThat(p.id()).isEqualTo("big");
            assertThat(p.forId()).isEqualTo("mine");
            assertThat(p.reason()).contains("queue vision borrowed H100 80GB GPUs that queue nlp needs within its guarantee");
        }));
        assertThat(only(ds, "mine")).isInstanceOf(Bind.class);
        assertThat(s.used("nlp", H100)).isEqualTo(8);
        // the preempted gang waits again, now with only its guarantee's worth of room
        assertThat(s.pendingCount()).isEqualTo(1);
    }

    @Test
    void workInsideItsGuaranteeIsNeverPreemptedByAnotherQueue() {
        Scheduler s = twoQueues(Share.of(8), Share.of(8));
        s.submit(request("v", "vision", PriorityClass.BATCH, 1, 8));
        s.submit(request("n", "nlp", PriorityClass.BATCH, 1, 8));
        s.cycle();
        s.submit(request("urgent", "nlp", PriorityClass.PRODUCTION_INFERENCE, 1, 4));

        Decision d = only(s.cycle(), "urgent");

        assertThat(d).isInstanceOfSatisfying(Wait.class, w -> assertThat(w.reason())
                .isEqualTo("queue nlp: H100 80GB quota 8/8 in use; borrowing blocked: 0 GPUs lendable by other queues, 4 needed"));
        assertThat(s.used("vision", H100)).isEqualTo(8);
    }

    @Test
    void productionInferenceOnBorrowedCapacityIsNotPreemptedForLowerWork() {
        Scheduler s = twoQueues(Share.of(8), Share.of(8));
        s.submit(request("serve", "vision", PriorityClass.PRODUCTION_INFERENCE, 3, 4));
        s.cycle();
        s.submit(request("train", "nlp", PriorityClass.TRAINING, 1, 8));

        Decision d = only(s.cycle(), "train");

        assertThat(d).isInstanceOfSatisfying(Wait.class, w -> assertThat(w.reason()).startsWith("waiting for 1 x 8 H100 80GB GPUs, all or none: 4 free"));
        assertThat(s.used("vision", H100)).isEqualTo(12);
    }

    @Test
    void limitsAndLendingLimitsCapBorrowing() {
        Scheduler s = twoQueues(new Share(8, 10, 8), new Share(8, Integer.MAX_VALUE, 2));
        s.submit(request("toomuch", "vision", PriorityClass.BATCH, 1, 12));
        assertThat(only(s.cycle(), "toomuch")).isInstanceOfSatisfying(Wait.class,
                w -> assertThat(w.reason()).isEqualTo("queue vision: H100 80GB limit 0/10 in use, 12 more asked"));

        s.submit(request("fits", "vision", PriorityClass.BATCH, 1, 8));
        s.submit(request("borrow", "vision", PriorityClass.BATCH, 1, 2));
        s.submit(request("more", "nlp", PriorityClass.BATCH, 1, 4));
        List<Decision> ds = s.cycle();
        assertThat(only(ds, "fits")).isInstanceOf(Bind.class);
        assertThat(only(ds, "borrow")).as("nlp lends at most 2").isInstanceOf(Bind.class);
        assertThat(s.used("vision", H100)).isEqualTo(10);
    }

    @Test
    void aReleaseLetsTheNextWorkloadIn() {
        Scheduler s = twoQueues(Share.of(8), Share.of(8));
        s.submit(request("first", "vision", PriorityClass.TRAINING, 2, 8));
        s.cycle();
        s.submit(request("second", "nlp", PriorityClass.TRAINING, 1, 8));
        assertThat(only(s.cycle(), "second")).isInstanceOf(Bind.class); // reclaims one node from the borrower
        assertThat(s.runningCount()).isEqualTo(1);

        s.release("second");
        assertThat(only(s.cycle(), "first")).isInstanceOf(Bind.class);
    }

    @Test
    void theLeastServedQueueGoesFirstWithinAPriority() {
        Scheduler s = twoQueues(Share.of(8), Share.of(8));
        s.submit(request("v1", "vision", PriorityClass.BATCH, 1, 6));
        s.cycle();
        s.addNode("n3", H100, 8); // room for one more 8-GPU job only
        s.submit(request("v2", "vision", PriorityClass.BATCH, 1, 8));
        s.submit(request("n1", "nlp", PriorityClass.BATCH, 1, 8));

        List<Decision> ds = s.cycle();

        assertThat(ds.get(0).id()).as("nlp has none of its guarantee, vision has 6 of 8").isEqualTo("n1");
        assertThat(only(ds, "n1")).isInstanceOf(Bind.class);
    }
}
