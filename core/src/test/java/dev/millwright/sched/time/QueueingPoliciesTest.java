package dev.millwright.sched.time;

import static dev.millwright.sched.time.Replays.find;
import static dev.millwright.sched.time.Replays.job;
import static dev.millwright.sched.time.Replays.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The non-preemptive baselines: FIFO, backfill and Kueue. */
class QueueingPoliciesTest {
    private static final Job[] HEAD_OF_LINE = {
        job("a", "small-first", 0, 100, 4), job("a", "whole-node", 1, 100, 8), job("a", "tiny", 2, 10, 2)};

    @Test
    @DisplayName("strict FIFO: a job that does not fit blocks every job behind it (head-of-line blocking)")
    void fifoBlocksBehindTheHead() {
        Simulation s = run(Policy.FIFO, 8, 8, HEAD_OF_LINE);

        assertThat(find(s, "whole-node").firstStart).isEqualTo(100);
        assertThat(find(s, "tiny").firstStart).as("waits although 4 GPUs are idle").isEqualTo(200);
        assertThat(find(s, "tiny").finish).isEqualTo(210);
    }

    @Test
    @DisplayName("FIFO with backfill: a later job that fits the idle GPUs starts at once; the head still goes first")
    void backfillStartsWhatFits() {
        for (Policy p : List.of(Policy.FIRST_FIT, Policy.BEST_FIT, Policy.DOT_PROD, Policy.GPU_PACKING, Policy.FGD)) {
            Simulation s = run(p, 8, 8, HEAD_OF_LINE);

            assertThat(find(s, "tiny").firstStart).as(p.cliName).isEqualTo(2);
            assertThat(find(s, "tiny").finish).as(p.cliName).isEqualTo(12);
            assertThat(find(s, "whole-node").firstStart).as(p.cliName).isEqualTo(100);
            assertThat(s.preemptions).isZero();
        }
    }

    @Test
    @DisplayName("a job of zero duration finishes as it starts, under every policy")
    void zeroDuration() {
        for (Policy p : Policy.values()) {
            Simulation s = run(p, 8, 8, job("a", "long", 0, 100, 8), job("a", "instant", 5, 0, 1));

            assertThat(find(s, "instant").finish).as(p.cliName).isEqualTo(find(s, "instant").firstStart);
            assertThat(find(s, "long").finish).as(p.cliName).isGreaterThanOrEqualTo(100);
        }
    }

    @Test
    @DisplayName("Kueue: a queue borrows idle quota, is never preempted for it, and the lender's job then goes before older borrowing work")
    void kueueBorrowsWithoutReclaim() {
        Simulation s = run(Policy.KUEUE, 8, 8, List.of("a", "b"), new int[] {4, 4}, 0,
                job("a", "a1", 0, 100, 4), job("a", "a2", 1, 100, 4), job("a", "a3", 2, 100, 4),
                job("b", "b1", 50, 100, 4));

        assertThat(find(s, "a2").firstStart).as("borrows b's idle quota").isEqualTo(1);
        assertThat(find(s, "a2").preemptions).isZero();
        assertThat(find(s, "b1").firstStart).as("no reclaim: waits for a1 to finish").isEqualTo(100);
        assertThat(find(s, "a3").firstStart).as("older, but would borrow: goes after b1").isEqualTo(101);
    }

    @Test
    @DisplayName("Kueue: within a queue, workloads go in creation order, but one that does not fit does not block the ones behind (BestEffortFIFO)")
    void kueueBestEffortFifo() {
        Simulation s = run(Policy.KUEUE, 8, 8, List.of("a"), new int[] {8}, 0,
                job("a", "six", 0, 100, 6), job("a", "four", 1, 10, 4), job("a", "two", 2, 10, 2));

        assertThat(find(s, "two").firstStart).isEqualTo(2);
        assertThat(find(s, "four").firstStart).isEqualTo(100);
    }

    @Test
    @DisplayName("Kueue places pods as kube-scheduler's default scoring does, on the least allocated node: two 1-GPU jobs leave no whole node")
    void kueueSpreads() {
        Simulation s = run(Policy.KUEUE, 16, 8, List.of("a"), new int[] {0}, 0,
                job("a", "one", 0, 100, 1), job("a", "two", 1, 100, 1), job("a", "gang", 2, 100, 8));

        assertThat(find(s, "gang").firstStart).as("no whole node is left").isEqualTo(100);
    }
}
