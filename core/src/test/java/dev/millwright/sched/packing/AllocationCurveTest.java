package dev.millwright.sched.packing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AllocationCurveTest {
    @Test
    @DisplayName("the point at p% is the allocation after the last pod whose cumulative arrival is at most p% of capacity")
    void samplesAfterTheLastPodAtOrBelowEachPercent() {
        AllocationCurve curve = new AllocationCurve(10_000);
        curve.record(0, 0);         // a CPU-only pod
        curve.record(500, 500);     // 5% arrived, placed
        curve.record(1_000, 1_000); // 10%, placed
        curve.record(1_500, 1_000); // 15%, failed
        curve.record(2_550, 2_050); // 25.5%, placed
        double[] s = curve.sample();

        assertThat(s).hasSize(131);
        assertThat(s[0]).isZero();
        assertThat(s[4]).isZero();
        assertThat(s[5]).isEqualTo(5);
        assertThat(s[9]).isEqualTo(5);
        assertThat(s[10]).isEqualTo(10);
        assertThat(s[15]).as("a failed pod still counts as arrived").isEqualTo(10);
        assertThat(s[25]).isEqualTo(10);
        assertThat(s[26]).isCloseTo(20.5, within(1e-9));
        assertThat(s[130]).as("past the last arrival the curve holds its final value").isCloseTo(20.5, within(1e-9));
    }

    @Test
    @DisplayName("before any pod arrives the curve is 0")
    void emptyCurveIsZero() {
        assertThat(new AllocationCurve(1_000).sample()).containsOnly(0.0);
    }
}
