package dev.millwright.sched.packing;

import static dev.millwright.sched.packing.Fixtures.node;
import static dev.millwright.sched.packing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Tuning the trace to a target load and shuffling it, as the FGD simulator does. */
class WorkloadTest {
    /** 10 nodes x 4 GPUs = 40 GPUs. */
    private static Cluster cluster() {
        List<PackingNode> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) nodes.add(node("n" + i, 4, "T4"));
        return new Cluster(nodes);
    }

    /** 20 pods asking for 1 + 0.5 + 2 + 0 GPUs, repeated: 17.5 GPUs in all. */
    private static List<PackingPod> trace() {
        List<PackingPod> pods = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pods.add(pod("whole-" + i, 1, 1000));
            pods.add(pod("half-" + i, 1, 500));
            pods.add(pod("double-" + i, 2, 1000));
            pods.add(pod("cpu-" + i, 2_000, 1_024, 0, 0));
        }
        return pods;
    }

    private static long total(Workload w) {
        return w.arrivals.stream().mapToLong(r -> r.requestMilli).sum();
    }

    private static List<String> names(Workload w) {
        return w.arrivals.stream().map(r -> r.pod.name()).toList();
    }

    @Test
    @DisplayName("tuning up appends copies of trace pods until the next one would pass target x capacity")
    void tunesUpToTheTarget() {
        Workload w = Workload.build(trace(), cluster(), 1.3, 42);
        long target = 52_000;
        assertThat(total(w)).isLessThanOrEqualTo(target).isGreaterThan(target - 2_000);
        assertThat(w.arrivals.subList(0, 20)).containsExactlyInAnyOrderElementsOf(w.tracePods);
        assertThat(w.arrivals.size()).isGreaterThan(20);
        assertThat(w.tracePods).containsAll(w.arrivals.subList(20, w.arrivals.size()));
    }

    @Test
    @DisplayName("tuning down removes random pods while the total is past the target")
    void tunesDownToTheTarget() {
        Workload w = Workload.build(trace(), cluster(), 0.25, 42);
        assertThat(total(w)).isLessThanOrEqualTo(10_000).isGreaterThan(8_000);
        assertThat(w.tracePods).containsAll(w.arrivals);
        assertThat(w.arrivals).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("the same seed gives the same arrivals; another seed another order")
    void seededAndReproducible() {
        List<String> a = names(Workload.build(trace(), cluster(), 1.3, 7));
        assertThat(names(Workload.build(trace(), cluster(), 1.3, 7))).isEqualTo(a);
        assertThat(names(Workload.build(trace(), cluster(), 1.3, 8))).isNotEqualTo(a);
        assertThat(a.subList(0, 20)).isNotEqualTo(trace().stream().map(PackingPod::name).sorted().toList());
    }

    @Test
    @DisplayName("copies of one pod share its request and its shape number")
    void copiesShareShapes() {
        Workload w = Workload.build(trace(), cluster(), 1.3, 3);
        assertThat(w.shapes).isEqualTo(4);
        for (Request r : w.arrivals) assertThat(r.shape).isBetween(0, 3);
        assertThat(w.tracePods.get(0).shape).isEqualTo(w.tracePods.get(4).shape);
    }

    @Test
    @DisplayName("refuses what cannot be tuned: no pods, no GPUs, no GPU request, a target load out of range")
    void refusesWhatCannotBeTuned() {
        assertThatThrownBy(() -> Workload.build(List.of(), cluster(), 1.3, 1)).hasMessageContaining("at least one pod");
        assertThatThrownBy(() -> Workload.build(trace(), new Cluster(List.of(node("cpu", 0, ""))), 1.3, 1)).hasMessageContaining("no GPUs");
        assertThatThrownBy(() -> Workload.build(List.of(pod("c", 1_000, 1_024, 0, 0)), cluster(), 1.3, 1)).hasMessageContaining("asks for a GPU");
        assertThatThrownBy(() -> Workload.build(trace(), cluster(), 0, 1)).hasMessageContaining("target load");
        assertThatThrownBy(() -> Workload.build(trace(), cluster(), 11, 1)).hasMessageContaining("target load");
        assertThatThrownBy(() -> Workload.build(trace(), cluster(), Double.NaN, 1)).hasMessageContaining("target load");
    }
}
