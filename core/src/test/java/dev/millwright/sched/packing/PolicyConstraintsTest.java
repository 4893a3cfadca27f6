package dev.millwright.sched.packing;

import static dev.millwright.sched.packing.Fixtures.node;
import static dev.millwright.sched.packing.Fixtures.place;
import static dev.millwright.sched.packing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What every policy must honour, whatever it prefers: GPU shares, whole GPUs, GPU models, CPU and memory. */
class PolicyConstraintsTest {
    static final List<String> POLICIES = PackingReplay.POLICIES;

    @ParameterizedTest(name = "{0}")
    @FieldSource("POLICIES")
    void twoHalfGpuPodsShareOneGpuAndLeaveTheOtherWholeForAWholeGpuPod(String policy) {
        Fixtures.Run run = place(policy, List.of(node("n", 2, "T4")),
                List.of(pod("a", 1, 500), pod("b", 1, 500), pod("c", 1, 1000)));

        assertThat(run.gpusOf(0)).isEqualTo(run.gpusOf(1));
        assertThat(run.gpusOf(2)).doesNotContainAnyElementsOf(run.gpusOf(0));
        assertThat(run.cluster().allocatedMilli).isEqualTo(2000);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("POLICIES")
    void aMultiGpuPodTakesWholeFreeGpusOnly(String policy) {
        Fixtures.Run run = place(policy, List.of(node("n", 4, "V100M32")),
                List.of(pod("share", 1, 300), pod("three", 3, 1000), pod("one-more", 1, 1000), pod("small", 1, 700)));

        assertThat(run.gpusOf(1)).hasSize(3).doesNotContainAnyElementsOf(run.gpusOf(0));
        assertThat(run.of(2)).as("the only GPU left has 700 thousandths, not a whole GPU").isNull();
        assertThat(run.gpusOf(3)).isEqualTo(run.gpusOf(0));
        assertThat(run.cluster().gpuFree[0]).containsOnly(0);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("POLICIES")
    void aPodRunsOnlyOnTheGpuModelsItNames(String policy) {
        List<PackingNode> nodes = List.of(node("t4", 2, "T4"), node("v100", 2, "V100M32"), node("cpu", 0, ""));
        Fixtures.Run run = place(policy, nodes, List.of(
                pod("wants-v100", 1_000, 1_024, 1, 1000, "V100M32"),
                pod("wants-a100", 1_000, 1_024, 1, 1000, "A100"),
                pod("either", 1_000, 1_024, 2, 500, "T4", "V100M32"),
                pod("two-v100", 1_000, 1_024, 2, 1000, "V100M32")));

        assertThat(run.nodeOf(0)).isEqualTo("v100");
        assertThat(run.of(1)).as("no node has the model it names").isNull();
        assertThat(run.nodeOf(2)).isIn("t4", "v100");
        assertThat(run.cluster().gpuFree[1]).as("a V100 is taken, so two whole V100s are not free").contains(0);
        assertThat(run.of(3)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("POLICIES")
    void cpuAndMemoryLimitAsMuchAsGpus(String policy) {
        List<PackingNode> nodes = List.of(node("many-gpus-little-cpu", 4_000, 8_192, 8, "G2"), node("one-gpu", 64_000, 262_144, 1, "G2"));
        Fixtures.Run run = place(policy, nodes, List.of(
                pod("cpu-heavy", 8_000, 1_024, 1, 1000),
                pod("memory-heavy", 1_000, 16_384, 1, 1000),
                pod("cpu-only", 3_000, 4_096, 0, 0),
                pod("small", 1_000, 4_096, 1, 500)));

        assertThat(run.nodeOf(0)).isEqualTo("one-gpu");
        assertThat(run.of(1)).as("the GPU-rich node lacks the memory, the other its GPU").isNull();
        assertThat(run.of(2)).isNotNull();
        Cluster c = run.cluster();
        for (int n = 0; n < c.size; n++) {
            assertThat(c.cpuFree[n]).isNotNegative();
            assertThat(c.memFree[n]).isNotNegative();
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("POLICIES")
    void aPodThatFitsNowhereFailsAndTheClusterIsUnchanged(String policy) {
        Fixtures.Run run = place(policy, List.of(node("a", 2, "T4"), node("b", 2, "T4")),
                List.of(pod("big", 1_000, 1_024, 4, 1000), pod("fits", 1, 1000)));

        assertThat(run.of(0)).isNull();
        assertThat(run.of(1)).isNotNull();
        assertThat(run.cluster().allocatedMilli).isEqualTo(1000);
    }
}
