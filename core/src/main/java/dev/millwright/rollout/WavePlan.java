package dev.millwright.rollout;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order a rollout takes nodes in: the canary first, then waves of {@code parallel} nodes, each drawn in
 * turn from every failure domain (rack), so that no wave empties one rack while others are untouched and a
 * bad version shows on several racks' hardware early.
 */
public final class WavePlan {
    private WavePlan() {
    }

    /**
     * @param domains every node and its failure domain, in a stable order (by name)
     * @return every node Pending with its wave, in rollout order
     */
    public static LinkedHashMap<String, NodeProgress> plan(Map<String, String> domains, int canary, int parallel, Instant now) {
        Map<String, Deque<String>> byDomain = new LinkedHashMap<>();
        domains.forEach((node, domain) -> byDomain.computeIfAbsent(domain, k -> new ArrayDeque<>()).add(node));
        List<String> order = new ArrayList<>(domains.size());
        while (order.size() < domains.size()) {
            for (Deque<String> d : byDomain.values()) {
                if (!d.isEmpty()) order.add(d.poll());
            }
        }
        LinkedHashMap<String, NodeProgress> out = new LinkedHashMap<>();
        int size = Math.max(1, parallel);
        for (int i = 0; i < order.size(); i++) {
            int wave = i < canary ? 0 : 1 + (i - canary) / size;
            out.put(order.get(i), NodeProgress.pending(wave, domains.get(order.get(i)), now));
        }
        return out;
    }
}
