package dev.millwright.sched;

import static dev.millwright.sched.SchedFixtures.H100;
import static dev.millwright.sched.SchedFixtures.at;
import static dev.millwright.sched.SchedFixtures.bound;
import static dev.millwright.sched.SchedFixtures.job;
import static dev.millwright.sched.SchedFixtures.machines;
import static dev.millwright.sched.SchedFixtures.share;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.Scheduler.NodeSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where replicas go on the hardware: NVLink domains on a node, fabric groups across nodes, spreading services. */
class TopologyPlacementTest {
    private long sequence;

    private static NodeSpec node(String name, String fabricGroup, List<String> domains) {
        int gpus = domains == null ? 8 : domains.size();
        return new NodeSpec(name, H100, gpus, "", fabricGroup, domains, null);
    }

    @Test
    void aReplicaTakesTheNvlinkDomainWithTheFewestFreeGpusThatHoldsIt() {
        Scheduler s = new Scheduler();
        s.addNode(node("n1", null, List.of("A", "A", "A", "A", "B", "B", "B", "B")));
        s.restore(job("busy", "q", 1, 1, sequence++), List.of(at(0, "n1", 4)));
        s.submit(job("pair", "q", 1, 2, sequence++));

        assertThat(bound(s.cycle(), "pair").placements()).as("B has 3 free, A 4: B fits tighter").containsExactly(at(0, "n1", 5, 6));
    }

    @Test
    void aReplicaTooBigForAnyDomainSpansTheFewest() {
        Scheduler s = new Scheduler();
        s.addNode(node("n1", null, List.of("A", "A", "A", "A", "B", "B", "B", "B", "C", "C", "C", "C")));
        s.restore(job("busy", "q", 1, 6, sequence++), List.of(at(0, "n1", 0, 1, 2, 4, 5, 8)));
        s.submit(job("four", "q", 1, 4, sequence++));

        // free: A {3}, B {6, 7}, C {9, 10, 11}; the lowest indexes would touch all three domains
        assertThat(bound(s.cycle(), "four").placements()).containsExactly(at(0, "n1", 6, 9, 10, 11));
    }

    @Test
    void nodesWithoutDomainsTakeTheLowestFreeIndexes() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.restore(job("busy", "q", 1, 1, sequence++), List.of(at(0, "n1", 1)));
        s.submit(job("pair", "q", 1, 2, sequence++));

        assertThat(bound(s.cycle(), "pair").placements()).containsExactly(at(0, "n1", 0, 2));
    }

    /** Fabric groups of 4 ("a" nodes), 3 ("b") and 2 ("c") empty 8-GPU nodes: by name alone, "a" nodes come first. */
    private Scheduler threeGroups() {
        Scheduler s = new Scheduler();
        for (int i = 1; i <= 4; i++) s.addNode(node("a" + i, "leaf-a", null));
        for (int i = 1; i <= 3; i++) s.addNode(node("b" + i, "leaf-b", null));
        for (int i = 1; i <= 2; i++) s.addNode(node("c" + i, "leaf-c", null));
        return s;
    }

    @Test
    void aMultiNodeGangGoesOnTheGroupWithTheLeastRoomThatHoldsIt() {
        Scheduler s = threeGroups();
        s.submit(job("three", "q", 3, 8, sequence++));
        s.submit(job("two", "q", 2, 8, sequence++));

        var ds = s.cycle();

        assertThat(machines(bound(ds, "three"))).containsExactly("b1", "b2", "b3");
        assertThat(machines(bound(ds, "two"))).containsExactly("c1", "c2");
        s.verify();
    }

    @Test
    void aGangNoGroupHoldsFillsTheRoomiestGroupsFirst() {
        Scheduler s = threeGroups();
        s.submit(job("five", "q", 5, 8, sequence++));

        assertThat(machines(bound(s.cycle(), "five"))).as("two groups, not three").containsExactly("a1", "a2", "a3", "a4", "b1");
    }

    @Test
    void aOneReplicaRequestKeepsBestFitByFreeCountAcrossGroups() {
        Scheduler s = threeGroups();
        s.restore(job("busy", "q", 1, 4, sequence++), List.of(at(0, "b2", 0, 1, 2, 3)));
        s.submit(job("four", "q", 1, 4, sequence++));

        assertThat(bound(s.cycle(), "four").placements()).containsExactly(at(0, "b2", 4, 5, 6, 7));
    }

    /** n1 with 8 free GPUs, n2 with 4, n3 with 6. */
    private Scheduler unevenNodes() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.addNode("n2", H100, 8);
        s.addNode("n3", H100, 8);
        s.restore(job("busy2", "q", 1, 4, sequence++), List.of(at(0, "n2", 0, 1, 2, 3)));
        s.restore(job("busy3", "q", 1, 2, sequence++), List.of(at(0, "n3", 0, 1)));
        return s;
    }

    @Test
    void aServiceSpreadsOverDistinctNodesTheLeastLoadedFirst() {
        Scheduler s = unevenNodes();
        s.submit(job("svc", "q", 3, 2, sequence++).withSpread(true));

        assertThat(machines(bound(s.cycle(), "svc"))).containsExactly("n1", "n3", "n2");
        s.verify();
    }

    @Test
    void aJobOfTheSameShapePacksByBestFit() {
        Scheduler s = unevenNodes();
        s.submit(job("job", "q", 3, 2, sequence++));

        assertThat(machines(bound(s.cycle(), "job"))).containsExactly("n2", "n2", "n3");
    }

    @Test
    void aServiceWithMoreReplicasThanNodesReusesTheLeastLoaded() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.addNode("n2", H100, 8);
        s.submit(job("svc", "q", 3, 2, sequence++).withSpread(true));

        assertThat(machines(bound(s.cycle(), "svc"))).containsExactly("n1", "n2", "n1");
    }

    @Test
    void spreadSharesGoOnDistinctNodesAndPackedSharesOnOneGpu() {
        Scheduler s = new Scheduler();
        s.addNode("n1", H100, 8);
        s.addNode("n2", H100, 8);
        s.submit(job("svc", "q", 2, 1, sequence++).withGpuShare(500).withSpread(true));
        s.submit(job("batch", "q", 2, 1, sequence++).withGpuShare(250));

        var ds = s.cycle();

        assertThat(bound(ds, "svc").placements()).containsExactly(at(0, "n1", 0), at(1, "n2", 0));
        assertThat(bound(ds, "batch").placements()).as("both quarters on the half-used GPU of n1")
                .containsExactly(at(0, "n1", 0), at(1, "n1", 0));
        s.verify();
    }

    @Test
    void aShareOnAFreshGpuTakesTheFullestNvlinkDomain() {
        Scheduler s = new Scheduler();
        s.addNode(node("n1", null, List.of("A", "A", "A", "A", "B", "B", "B", "B")));
        s.restore(job("busy", "q", 1, 3, sequence++), List.of(at(0, "n1", 4, 5, 6)));
        s.submit(share("tiny", "q", 100, sequence++));

        assertThat(bound(s.cycle(), "tiny").placements()).as("keeps domain A whole").containsExactly(at(0, "n1", 7));
    }
}
