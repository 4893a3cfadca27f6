package dev.millwright.sched.packing;

import static dev.millwright.sched.packing.Fixtures.node;
import static dev.millwright.sched.packing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PackingReplayTest {
    private static final List<PackingNode> NODES = List.of(node("a", 8, "G2"), node("b", 8, "G2"), node("c", 2, "T4"), node("cpu", 0, ""));

    private static List<PackingPod> pods() {
        List<PackingPod> pods = new ArrayList<>();
        int[] millis = {1000, 810, 470, 320, 1000, 650};
        for (int i = 0; i < 12; i++) pods.add(pod("p" + i, 4_000, 8_192, 1, millis[i % millis.length]));
        pods.add(pod("cpu", 8_000, 8_192, 0, 0));
        return pods;
    }

    @Test
    @DisplayName("a replay reports the curve, the counts and the inputs, and allocation never falls")
    void reportsACompleteResult() {
        for (String policy : PackingReplay.POLICIES) {
            PackingResult r = PackingReplay.run(NODES, pods(), policy, 5, 1.3);
            assertThat(r.policy()).isEqualTo(policy);
            assertThat(r.totalGpus()).isEqualTo(18);
            assertThat(r.nodes()).isEqualTo(4);
            assertThat(r.tracePods()).isEqualTo(13);
            assertThat(r.scheduledPods() + r.failedPods()).isEqualTo(r.pods());
            assertThat(r.allocationByArrivedPercent()).hasSize(131).isSorted();
            assertThat(r.allocationAt(130)).isEqualTo(r.allocationAtEndPercent()).isLessThanOrEqualTo(100);
            assertThat(r.arrivedPercentAtEnd()).isLessThanOrEqualTo(130).isGreaterThan(120);
            assertThat(r.allocationAt(50)).as(policy + ": nothing fails at half load here").isCloseTo(50, org.assertj.core.api.Assertions.within(6.0));
        }
    }

    @Test
    @DisplayName("every policy sees the same arrivals for one seed, and a replay is reproducible")
    void samePodsForEveryPolicy() {
        PackingResult a = PackingReplay.run(NODES, pods(), "fgd", 9, 1.3);
        PackingResult b = PackingReplay.run(NODES, pods(), "fifo", 9, 1.3);
        assertThat(a.pods()).isEqualTo(b.pods());
        assertThat(a.arrivedPercentAtEnd()).isEqualTo(b.arrivedPercentAtEnd());
        assertThat(PackingReplay.run(NODES, pods(), "millwright", 9, 1.3)).isEqualTo(PackingReplay.run(NODES, pods(), "millwright", 9, 1.3));
    }

    @Test
    @DisplayName("an unknown policy is refused with the list of known ones")
    void unknownPolicy() {
        assertThatThrownBy(() -> PackingReplay.run(NODES, pods(), "tetris", 1, 1.3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tetris").hasMessageContaining("millwright, fifo");
    }

    @Test
    @DisplayName("a placement that does not fit is a policy bug and is refused")
    void clusterRefusesBadPlacements() {
        Cluster cluster = new Cluster(List.of(node("a", 1, "T4")));
        Workload w = Workload.build(List.of(pod("x", 1, 600)), cluster, 1.0, 1);
        Request r = w.tracePods.get(0);
        cluster.place(r, new Placement(0, new int[] {0}));
        assertThatThrownBy(() -> cluster.place(r, new Placement(0, new int[] {0}))).isInstanceOf(IllegalStateException.class);
        Cluster other = new Cluster(List.of(node("a", 2, "T4")));
        assertThatThrownBy(() -> other.place(r, new Placement(0, new int[] {1, 1}))).isInstanceOf(IllegalStateException.class);
    }
}
