package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Assertions about a version scheme's order, shared by the schemes' tests. */
final class VersionOrder {
    private VersionOrder() {
    }

    /** Each version is below every later one, both ways round, and equal only to itself. */
    static void assertStrictlyIncreasing(VersionScheme scheme, List<String> order) {
        for (int i = 0; i < order.size(); i++) {
            VersionScheme.Parsed a = scheme.parse(order.get(i));
            assertThat(a.compareTo(scheme.parse(order.get(i)))).as("%s == itself", order.get(i)).isZero();
            for (int j = i + 1; j < order.size(); j++) {
                VersionScheme.Parsed b = scheme.parse(order.get(j));
                assertThat(a.compareTo(b)).as("%s < %s", order.get(i), order.get(j)).isNegative();
                assertThat(b.compareTo(a)).as("%s > %s", order.get(j), order.get(i)).isPositive();
                assertThat(a).as("%s != %s", order.get(i), order.get(j)).isNotEqualTo(b);
            }
        }
    }
}
