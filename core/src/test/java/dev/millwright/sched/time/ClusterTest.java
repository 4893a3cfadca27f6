package dev.millwright.sched.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterTest {
    private static ActiveJob job(int gpus) {
        return new ActiveJob(Replays.job("a", "j" + gpus, 0, 1, gpus), 0, 0);
    }

    /** Three nodes of 8 GPUs with 8, {@code second} and {@code third} GPUs free. */
    private static Cluster cluster(int second, int third, double[] sizeWeights) {
        Cluster c = new Cluster(24, 8, sizeWeights);
        c.placeOn(job(8 - second), new int[] {1}, new int[] {8 - second});
        c.placeOn(job(8 - third), new int[] {2}, new int[] {8 - third});
        return c;
    }

    private static int nodeFor(Cluster c, int gpus, NodeChoice rule) {
        ActiveJob j = job(gpus);
        assertThat(c.place(j, rule)).isTrue();
        return j.nodes[0];
    }

    @Test
    @DisplayName("each node choice picks its node among those with room")
    void nodeChoices() {
        assertThat(nodeFor(cluster(3, 5, null), 2, NodeChoice.FIRST_FIT)).isEqualTo(0);
        assertThat(nodeFor(cluster(3, 5, null), 2, NodeChoice.BEST_FIT)).isEqualTo(1);
        assertThat(nodeFor(cluster(3, 5, null), 2, NodeChoice.DOT_PROD)).isEqualTo(1);
        assertThat(nodeFor(cluster(3, 5, null), 2, NodeChoice.WORST_FIT)).isEqualTo(0);
        assertThat(nodeFor(cluster(5, 3, null), 2, NodeChoice.GPU_PACKING)).as("used nodes first, lowest index").isEqualTo(1);
        assertThat(nodeFor(cluster(3, 5, null), 4, NodeChoice.BEST_FIT)).isEqualTo(2);
    }

    @Test
    @DisplayName("FGD avoids leaving free GPUs that the workload's jobs cannot use, where best fit does not")
    void fragmentationGradientDescent() {
        double[] onlyPairs = {0, 0, 1, 0, 0, 0, 0, 0, 0};

        assertThat(nodeFor(cluster(2, 5, onlyPairs), 1, NodeChoice.BEST_FIT)).as("strands one GPU on node 1").isEqualTo(1);
        assertThat(nodeFor(cluster(2, 5, onlyPairs), 1, NodeChoice.FGD)).isEqualTo(2);
    }

    @Test
    @DisplayName("a job larger than a node takes whole idle nodes and puts its remainder on one more node, best fit")
    void gangsTakeTheFewestNodes() {
        Cluster c = new Cluster(32, 8, null);
        c.placeOn(job(3), new int[] {3}, new int[] {3});
        ActiveJob gang = job(12);

        assertThat(c.place(gang, NodeChoice.BEST_FIT)).isTrue();

        assertThat(gang.nodes).containsExactly(0, 3);
        assertThat(gang.perNode).containsExactly(8, 4);
        assertThat(c.fits(16)).as("two idle nodes left").isTrue();
        assertThat(c.fits(24)).isFalse();
        c.release(gang);
        assertThat(c.freeGpus).isEqualTo(29);
        assertThat(c.fits(24)).isTrue();
    }

    @Test
    @DisplayName("a fleet that is not a whole number of nodes ends with a smaller node")
    void partialLastNode() {
        Cluster c = new Cluster(20, 8, null);

        assertThat(c.capacity).containsExactly(8, 8, 4);
        assertThat(c.couldEverFit(20)).isTrue();
        assertThat(c.couldEverFit(21)).isFalse();
        assertThat(new Cluster(4, 8, null).couldEverFit(5)).isFalse();
    }
}
