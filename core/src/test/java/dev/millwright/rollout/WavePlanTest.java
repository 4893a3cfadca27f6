package dev.millwright.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WavePlanTest {
    @Test
    void theCanaryComesFirstAndEachWaveTakesFromEveryRackInTurn() {
        Map<String, String> domains = new TreeMap<>();
        for (String rack : List.of("r1", "r2", "r3")) for (int i = 1; i <= 4; i++) domains.put(rack + "-n" + i, rack);

        LinkedHashMap<String, NodeProgress> plan = WavePlan.plan(domains, 1, 3, Instant.EPOCH);

        List<String> order = new ArrayList<>(plan.keySet());
        assertThat(order).hasSize(12).startsWith("r1-n1", "r2-n1", "r3-n1", "r1-n2");
        assertThat(plan.get("r1-n1").wave()).as("the canary").isZero();
        assertThat(plan.values().stream().filter(p -> p.wave() == 0)).hasSize(1);
        for (int wave = 1; wave <= 4; wave++) {
            int w = wave;
            List<String> racks = plan.entrySet().stream().filter(e -> e.getValue().wave() == w).map(e -> e.getValue().domain()).toList();
            assertThat(racks).as("wave %d", wave).hasSizeLessThanOrEqualTo(3).doesNotHaveDuplicates();
        }
        assertThat(plan.values()).allMatch(p -> p.phase() == NodePhase.PENDING);
    }
}
