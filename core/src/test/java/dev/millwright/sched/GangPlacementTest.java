package dev.millwright.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GangPlacementTest {
    private static final String H100 = "NVIDIA H100 80GB HBM3";

    @Test
    void eachReplicaGoesToTheFullestNodeThatStillFitsIt() {
        var nodes = List.of(new GangPlacement.Node("empty", H100, 8, Set.of()),
                new GangPlacement.Node("half", H100, 8, Set.of(0, 1, 2, 3)),
                new GangPlacement.Node("l40s", "NVIDIA L40S", 4, Set.of()));

        var d = GangPlacement.place(nodes, new GangPlacement.Request(2, 2, H100));

        assertThat(d.placements()).containsExactly(new GangPlacement.Placement(0, "half", List.of(4, 5)),
                new GangPlacement.Placement(1, "half", List.of(6, 7)));
    }

    @Test
    void aGangThatDoesNotFitWhollyWaitsWithTheReason() {
        var nodes = List.of(new GangPlacement.Node("a", H100, 8, Set.of()), new GangPlacement.Node("b", H100, 8, Set.of(3)));

        var d = GangPlacement.place(nodes, new GangPlacement.Request(2, 8, H100));

        assertThat(d.placed()).isFalse();
        assertThat(d.reason()).isEqualTo("waiting for 2 replicas of 8 H100 80GB GPUs, all or none: 1 fit now; 15 H100 80GB GPUs free on 2 ready nodes");
        assertThat(GangPlacement.place(nodes, new GangPlacement.Request(1, 1, "NVIDIA B200 180GB HBM3e")).reason())
                .isEqualTo("no ready node has B200 180GB GPUs");
    }
}
