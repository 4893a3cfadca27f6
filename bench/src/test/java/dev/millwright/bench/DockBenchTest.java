package dev.millwright.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockBenchTest {
    @Test
    void aQuarantinedMachineDoesNotDropTheTailOfTheMachinesThatGoOn() {
        // {reach, work on the key, after it}: three machines that join, one quarantined on the key (nothing after)
        List<long[]> rack = List.of(new long[] {10, 100, 20}, new long[] {10, 100, 20}, new long[] {10, 100, 20}, new long[] {10, 10, 0});
        // all four at once: 10 + 310 / 2 + 0 = 165; the three that go on: 10 + 300 / 2 + 20 = 180
        assertThat(DockBench.keyBound(rack, 2)).isEqualTo(180);
    }

    @Test
    void machinesThatReachTheKeyLateAreBoundedFromTheirOwnReach() {
        List<long[]> key = List.of(new long[] {0, 10, 5}, new long[] {100, 30, 5}, new long[] {100, 30, 5});
        // from the earliest reach: 0 + 70 / 2 + 5 = 40; from the two late ones: 100 + 60 / 2 + 5 = 135
        assertThat(DockBench.keyBound(key, 2)).isEqualTo(135);
    }

    @Test
    void withEveryMachineAlikeItIsReachPlusWorkOverLimitPlusTail() {
        List<long[]> key = List.of(new long[] {7, 40, 3}, new long[] {7, 40, 3}, new long[] {7, 40, 3}, new long[] {7, 40, 3});
        assertThat(DockBench.keyBound(key, 4)).isEqualTo(7 + 40 + 3);
    }
}
