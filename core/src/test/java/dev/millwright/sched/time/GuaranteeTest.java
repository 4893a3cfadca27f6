package dev.millwright.sched.time;

import static dev.millwright.sched.time.Replays.find;
import static dev.millwright.sched.time.Replays.job;
import static dev.millwright.sched.time.Replays.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.time.TimeReplay.Result;
import dev.millwright.sched.time.TimeReplay.TenantResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Millwright's quotas: lending, reclaim by preemption, and the comparison with a strict partition. */
class GuaranteeTest {
    private static final Job[] BORROW_THEN_RECLAIM = {
        job("a", "a1", 0, 100, 4), job("a", "a2", 1, 100, 4), job("a", "a3", 2, 100, 4), job("b", "b1", 50, 100, 4)};

    @Test
    @DisplayName("idle quota is lent; when its owner needs it back the borrowed work is preempted, and resumes later")
    void reclaimByPreemption() {
        Simulation s = run(Policy.MILLWRIGHT, 8, 8, List.of("a", "b"), new int[] {4, 4}, 0, BORROW_THEN_RECLAIM);

        assertThat(find(s, "a2").firstStart).as("borrows b's idle quota").isEqualTo(1);
        assertThat(find(s, "b1").firstStart).as("reclaims at once").isEqualTo(50);
        assertThat(find(s, "a2").preemptions).isEqualTo(1);
        assertThat(find(s, "a1").preemptions).as("a's own quota is never taken").isZero();
        assertThat(find(s, "a2").finish).as("49 s done before, 51 s after a1 ends at 100").isEqualTo(151);
    }

    @Test
    @DisplayName("a gang reclaims whole nodes of its tenant's allotment from borrowers, never from the other tenant's own work")
    void gangReclaimsWholeNodes() {
        // a's jobs end before they leave the top priority level (600 GPU-seconds), so a never reorders its own
        Simulation s = run(Policy.MILLWRIGHT, 32, 8, List.of("a", "b"), new int[] {16, 16}, 0,
                job("a", "a1", 0, 70, 8), job("a", "a2", 0, 70, 8), job("a", "a3", 0, 70, 8),
                job("a", "a4", 0, 70, 8), job("b", "b1", 10, 100, 16));

        assertThat(find(s, "b1").firstStart).isEqualTo(10);
        assertThat(find(s, "a1").preemptions + find(s, "a2").preemptions).as("a's own quota").isZero();
        assertThat(find(s, "a1").finish).isEqualTo(70);
        assertThat(find(s, "a3").preemptions + find(s, "a4").preemptions).as("borrowed nodes 2 and 3").isEqualTo(2);
        assertThat(find(s, "a3").finish).as("resumes when a1 and a2 end").isEqualTo(130);
    }

    @Test
    @DisplayName("the quota layout gives each tenant its whole nodes first, then packs the remainders, largest first, best fit")
    void layout() {
        int[][] allot = MillwrightScheduler.layout(new Cluster(32, 8, null), new int[] {12, 10, 6});

        assertThat(allot[0]).containsExactly(8, 0, 0, 4);
        assertThat(allot[1]).containsExactly(0, 8, 2, 0);
        assertThat(allot[2]).containsExactly(0, 0, 6, 0);
    }

    @Test
    @DisplayName("each tenant with a quota is compared with itself alone on its quota: Millwright keeps the guarantee, Kueue does not")
    void partitionComparison() {
        Workload w = new Workload(List.of("a", "b"), new int[] {4, 4}, Arrays.asList(BORROW_THEN_RECLAIM), 8, 8);

        Result mw = Replay.run(w, Policy.MILLWRIGHT, 0, true);
        Result kueue = Replay.run(w, Policy.KUEUE, 0, true);

        TenantResult b = mw.tenants().get(1);
        assertThat(b.partition().avgQueueSeconds()).isZero();
        assertThat(b.figures().avgQueueSeconds()).isZero();
        assertThat(mw.guaranteesKept()).isTrue();
        assertThat(kueue.tenants().get(1).figures().avgQueueSeconds()).isEqualTo(50);
        assertThat(kueue.tenants().get(1).guaranteeKept()).isFalse();
        assertThat(kueue.guaranteesKept()).isFalse();
        assertThat(mw.tenants().get(0).partition().avgJctSeconds())
                .as("alone on 4 GPUs, a's three jobs run one after another").isEqualTo((100 + 199 + 298) / 3.0);
    }

    @Test
    @DisplayName("a job larger than a tenant's quota never runs in its partition; it is counted, not averaged")
    void unschedulableInPartition() {
        Workload w = new Workload(List.of("a"), new int[] {4}, List.of(job("a", "big", 0, 10, 8), job("a", "small", 0, 10, 1)), 8, 8);

        TenantResult a = Replay.run(w, Policy.FIFO, 0, true).tenants().get(0);

        assertThat(a.partitionUnschedulableJobs()).isEqualTo(1);
        assertThat(a.partition().jobs()).isEqualTo(1);
        assertThat(a.guaranteeKept()).isTrue();
    }
}
