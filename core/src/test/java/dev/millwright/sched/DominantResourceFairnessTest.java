package dev.millwright.sched;

import static dev.millwright.sched.SchedFixtures.H100;
import static dev.millwright.sched.SchedFixtures.at;
import static dev.millwright.sched.SchedFixtures.bound;
import static dev.millwright.sched.SchedFixtures.job;
import static dev.millwright.sched.SchedFixtures.machines;
import static dev.millwright.sched.SchedFixtures.waitReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.Scheduler.NodeSpec;
import dev.millwright.sched.Scheduler.Share;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CPU and memory: placement within node capacity, limits, and ordering by each queue's dominant share. */
class DominantResourceFairnessTest {
    private long sequence;

    /**
     * One node with 3 H100s left. Queue cpu-heavy holds 1 GPU of its 8 but 90 of its 100 cores (dominant
     * share 0.9); gpu-heavy holds 4 of its 8 GPUs and no CPU (0.5). Each asks for the last 3 GPUs.
     */
    private Scheduler contested(double cpuHeavyWeight) {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.setQueue("cpu-heavy", Map.of(H100, Share.of(8), Scheduler.CPU, Share.of(100_000)), cpuHeavyWeight);
        s.setQueue("gpu-heavy", Map.of(H100, Share.of(8), Scheduler.CPU, Share.of(100_000)), 1);
        s.restore(job("c", "cpu-heavy", 1, 1, sequence++).withCpuMillis(90_000), List.of(at(0, "n1", 0)));
        s.restore(job("g", "gpu-heavy", 1, 4, sequence++), List.of(at(0, "n1", 1, 2, 3, 4)));
        s.submit(job("ch", "cpu-heavy", 1, 3, sequence++));
        s.submit(job("gh", "gpu-heavy", 1, 3, sequence++));
        return s;
    }

    @Test
    void theQueueWithTheSmallerDominantShareGoesFirst() {
        Scheduler s = contested(1);

        var ds = s.cycle();

        assertThat(ds.get(0).id()).as("by GPUs alone cpu-heavy (1/8) would go first").isEqualTo("gh");
        bound(ds, "gh");
        waitReason(ds, "ch");
    }

    @Test
    void aQueuesWeightDividesItsDominantShare() {
        Scheduler s = contested(2); // 0.9 / 2 = 0.45 < 0.5

        var ds = s.cycle();

        assertThat(ds.get(0).id()).isEqualTo("ch");
        bound(ds, "ch");
    }

    /** n1: 8 H100s, 32 cores, 64 GiB, half its GPUs in use (the best fit); n2: 8 H100s, 128 cores, memory untracked. */
    private Scheduler twoNodes() {
        Scheduler s = new Scheduler();
        s.addNode(NodeSpec.of("n1", H100, 8).withResources(32_000, 65_536));
        s.addNode(NodeSpec.of("n2", H100, 8).withResources(128_000, 0));
        s.setQueue("q", Map.of(H100, Share.of(16)), 1);
        s.restore(job("busy", "q", 1, 4, sequence++), List.of(at(0, "n1", 0, 1, 2, 3)));
        return s;
    }

    @Test
    void placementHonoursEachNodesCpuAndMemory() {
        Scheduler s = twoNodes();
        s.submit(job("cpu", "q", 1, 2, sequence++).withCpuMillis(64_000));
        s.submit(job("memory", "q", 1, 2, sequence++).withMemoryMiB(100_000));
        s.submit(job("fits", "q", 1, 2, sequence++).withCpuMillis(16_000).withMemoryMiB(32_768));

        var ds = s.cycle();

        assertThat(machines(bound(ds, "cpu"))).as("n1 has only 32 cores").containsExactly("n2");
        assertThat(machines(bound(ds, "memory"))).as("n2 does not track memory").containsExactly("n2");
        assertThat(machines(bound(ds, "fits"))).containsExactly("n1");
        assertThat(s.used("q", Scheduler.CPU)).isEqualTo(80_000);
        assertThat(s.used("q", Scheduler.MEMORY)).isEqualTo(132_768);
    }

    @Test
    void aGangsReplicasTogetherMayNotOverfillANodesCpu() {
        Scheduler s = twoNodes();
        s.submit(job("pair", "q", 2, 1, sequence++).withCpuMillis(20_000));

        assertThat(machines(bound(s.cycle(), "pair"))).containsExactly("n1", "n2");
    }

    @Test
    void workThatNoNodeHasCpuForWaitsSayingSoAndAReleaseGivesTheCpuBack() {
        Scheduler s = twoNodes();
        s.submit(job("hungry", "q", 1, 1, sequence++).withCpuMillis(120_000));
        s.submit(job("hog", "q", 1, 1, sequence++).withCpuMillis(100_000));
        var ds = s.cycle();
        bound(ds, "hungry");
        assertThat(waitReason(ds, "hog")).isEqualTo("waiting for 1 x 1 H100 80GB GPUs with 100 cores each, all or none: 11 free on 2 nodes, 7 at most on one");

        s.release("hungry");

        bound(s.cycle(), "hog");
        s.verify();
    }

    @Test
    void cpuAndMemoryLimitsAreEnforcedUpTheTree() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.setQueue("acme", Map.of(Scheduler.CPU, new Share(0, 16_000, 0)), 1);
        s.setQueue("p", "acme", Map.of(H100, Share.of(8), Scheduler.MEMORY, new Share(0, 4096, 0)), 1);
        s.submit(job("cpu", "p", 2, 1, sequence++).withCpuMillis(10_000));
        s.submit(job("memory", "p", 1, 1, sequence++).withMemoryMiB(8192));
        s.submit(job("ok", "p", 1, 1, sequence++).withCpuMillis(10_000).withMemoryMiB(4096));

        var ds = s.cycle();

        assertThat(waitReason(ds, "cpu")).isEqualTo("queue acme: CPU limit 0/16 cores in use (with its projects), 20 more asked");
        assertThat(waitReason(ds, "memory")).isEqualTo("queue p: memory limit 0/4096 MiB in use, 8192 more asked");
        bound(ds, "ok");
        s.verify();
    }
}
