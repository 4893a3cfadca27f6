package dev.millwright.sched.packing;

import static dev.millwright.sched.packing.Fixtures.node;
import static dev.millwright.sched.packing.Fixtures.place;
import static dev.millwright.sched.packing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where each policy puts a pod when it has a choice. */
class PolicyPreferenceTest {
    private static List<PackingNode> fourEightGpuNodes() {
        return List.of(node("n0", 8, "G2"), node("n1", 8, "G2"), node("n2", 8, "G2"), node("n3", 8, "G2"));
    }

    @Test
    @DisplayName("fifo takes the first node of the node list that fits")
    void fifoFollowsTheNodeList() {
        Fixtures.Run run = place("fifo", fourEightGpuNodes(), List.of(pod("a", 8, 1000), pod("b", 1, 1000), pod("c", 1, 500)), 7);

        assertThat(List.of(run.nodeOf(0), run.nodeOf(1), run.nodeOf(2))).containsExactly("n0", "n1", "n1");
        assertThat(run.gpusOf(1)).containsExactly(0);
        assertThat(run.gpusOf(2)).containsExactly(1);
    }

    @Test
    @DisplayName("first-fit takes the first node that fits in the seeded node order, which differs between seeds")
    void firstFitFollowsTheSeededOrder() {
        Set<String> firstNodes = new HashSet<>();
        for (long seed = 1; seed <= 12; seed++) {
            Cluster cluster = new Cluster(fourEightGpuNodes());
            Workload w = Workload.build(List.of(pod("a", 1, 1000)), cluster, 1.0, seed);
            int first = 0;
            for (int n = 0; n < cluster.size; n++) if (w.nodeRank[n] == 0) first = n;
            Fixtures.Run run = place("first-fit", fourEightGpuNodes(), List.of(pod("a", 1, 1000)), seed);
            assertThat(run.nodeOf(0)).isEqualTo("n" + first);
            firstNodes.add(run.nodeOf(0));
        }
        assertThat(firstNodes).hasSizeGreaterThan(1);
    }

    @Test
    @DisplayName("best-fit puts a pod on the fullest node that fits")
    void bestFitPrefersTheFullestNode() {
        for (long seed = 1; seed <= 5; seed++) {
            Fixtures.Run run = place("best-fit", fourEightGpuNodes(), List.of(pod("six", 6, 1000), pod("one", 1, 1000), pod("share", 1, 400)), seed);
            assertThat(run.nodeOf(1)).isEqualTo(run.nodeOf(0));
            assertThat(run.nodeOf(2)).isEqualTo(run.nodeOf(0));
        }
    }

    @Test
    @DisplayName("gpu-packing puts a share on a GPU already in use rather than on a free one")
    void gpuPackingFillsUsedGpus() {
        Fixtures.Run run = place("gpu-packing", fourEightGpuNodes(), List.of(pod("a", 1, 300), pod("b", 1, 300), pod("c", 1, 300)));

        assertThat(run.nodeOf(1)).isEqualTo(run.nodeOf(0));
        assertThat(run.gpusOf(1)).isEqualTo(run.gpusOf(0));
        assertThat(run.gpusOf(2)).isEqualTo(run.gpusOf(0));
    }

    @Test
    @DisplayName("dot-prod puts a share on the partly used GPU with the least left")
    void dotProductPacksShares() {
        Fixtures.Run run = place("dot-prod", List.of(node("n", 4, "T4")),
                List.of(pod("a", 1, 300), pod("b", 1, 600), pod("c", 1, 100)));

        assertThat(run.gpusOf(1)).as("600 fits next to the 300").isEqualTo(run.gpusOf(0));
        assertThat(run.gpusOf(2)).isEqualTo(run.gpusOf(0));
    }

    @Test
    @DisplayName("kueue spreads like kube-scheduler's default scoring: least allocated node first")
    void kueueSpreads() {
        Fixtures.Run run = place("kueue", fourEightGpuNodes(),
                List.of(pod("a", 16_000, 65_536, 1, 1000), pod("b", 16_000, 65_536, 1, 1000), pod("c", 16_000, 65_536, 1, 1000), pod("d", 16_000, 65_536, 1, 1000)));

        assertThat(new HashSet<>(List.of(run.nodeOf(0), run.nodeOf(1), run.nodeOf(2), run.nodeOf(3)))).hasSize(4);
    }

    @Test
    @DisplayName("random draws a different node with a different seed, the same one with the same seed")
    void randomIsSeeded() {
        Set<String> nodes = new HashSet<>();
        for (long seed = 1; seed <= 10; seed++) {
            String first = place("random", fourEightGpuNodes(), List.of(pod("a", 1, 1000)), seed).nodeOf(0);
            assertThat(place("random", fourEightGpuNodes(), List.of(pod("a", 1, 1000)), seed).nodeOf(0)).isEqualTo(first);
            nodes.add(first);
        }
        assertThat(nodes).hasSizeGreaterThan(1);
    }

    @Test
    @DisplayName("fgd and millwright fill a partly used GPU where the share fits exactly before breaking a free one")
    void fragmentationPoliciesCloseGaps() {
        for (String policy : List.of("fgd", "millwright")) {
            Fixtures.Run run = place(policy, List.of(node("n0", 2, "T4"), node("n1", 2, "T4")),
                    List.of(pod("a", 1, 600), pod("b", 1, 400), pod("c", 1, 600), pod("d", 1, 400)));
            assertThat(run.nodeOf(1)).as(policy).isEqualTo(run.nodeOf(0));
            assertThat(run.gpusOf(1)).as(policy).isEqualTo(run.gpusOf(0));
            assertThat(run.cluster().allocatedMilli).isEqualTo(2000);
        }
    }

    @Test
    @DisplayName("millwright sends a pod without GPUs to a node without GPUs, keeping GPU nodes' CPU for GPU pods")
    void millwrightKeepsGpuNodeCpuForGpus() {
        List<PackingNode> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) nodes.add(node("gpu" + i, 32_000, 262_144, 8, "G2"));
        nodes.add(node("cpu", 32_000, 262_144, 0, ""));
        for (long seed = 1; seed <= 5; seed++) {
            Fixtures.Run run = place("millwright", nodes, List.of(pod("gpu-pod", 1, 1000), pod("cpu-pod", 16_000, 8_192, 0, 0)), seed);
            assertThat(run.nodeOf(1)).isEqualTo("cpu");
        }
    }

    @Test
    @DisplayName("millwright keeps a node's free CPU in proportion to its free GPUs when scores are equal")
    void millwrightBalancesCpuAndGpu() {
        List<PackingNode> nodes = List.of(node("cpu-rich", 128_000, 524_288, 2, "T4"), node("balanced", 40_000, 524_288, 4, "T4"));
        List<PackingPod> pods = List.of(pod("a", 10_000, 8_192, 1, 1000), pod("b", 10_000, 8_192, 1, 1000));
        for (long seed = 1; seed <= 5; seed++) {
            Fixtures.Run run = place("millwright", nodes, pods, seed);
            assertThat(run.nodeOf(0)).as("leaving 118 cores behind one GPU would strand CPU; 30 cores for 3 GPUs fits the pods").isEqualTo("balanced");
        }
    }

    @Test
    @DisplayName("millwright counts memory: it does not leave a node too little memory for the typical pod")
    void millwrightWatchesMemory() {
        List<PackingNode> nodes = List.of(node("small-memory", 64_000, 150_000, 2, "G2"), node("big-memory", 64_000, 400_000, 2, "G2"));
        List<PackingPod> pods = new ArrayList<>(List.of(pod("share", 1_000, 60_000, 1, 500)));
        for (int i = 0; i < 5; i++) pods.add(pod("typical-" + i, 1_000, 100_000, 1, 1000));
        for (long seed = 1; seed <= 5; seed++) {
            assertThat(place("millwright", nodes, pods, seed).nodeOf(0)).isEqualTo("big-memory");
        }
    }
}
