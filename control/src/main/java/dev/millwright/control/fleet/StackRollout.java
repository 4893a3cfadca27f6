package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.Pack;
import dev.millwright.resource.Json;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One pass bringing a set of nodes to a template's packs: each node takes one step ({@link EnvironmentStack}),
 * at most a quarter of them changing at once. What it reports goes on the status of whatever owns the nodes
 * (an environment, or a shared node pool): each node's state, and the packs it manages.
 *
 * @param managed the packs this owner put on its nodes: the template's, and while nodes still change, those of
 *                the template before it (so that what the new one drops is removed)
 */
record StackRollout(ObjectNode nodeStacks, int inSync, int applying, int failed, int drifted, Set<String> managed) {
    /**
     * @param of the template the packs are ("gpu@1.0.0"), so that a node changed out of band is told from one a
     *           new template changes
     * @param reconcileDrift whether drift is put right, or only flagged
     */
    static StackRollout advance(EnvironmentStack stack, List<String> machines, String of, List<Pack> desired, JsonNode statusBefore,
                                Instant now, boolean reconcileDrift) {
        Set<String> managed = new TreeSet<>();
        statusBefore.path("managedPacks").forEach(p -> managed.add(p.asText()));
        desired.forEach(p -> managed.add(p.name()));
        ObjectNode nodeStacks = Json.object();
        int inSync = 0;
        int applying = 0;
        int failed = 0;
        int drifted = 0;
        JsonNode before = statusBefore.path("nodeStacks");
        int busy = 0;
        for (String m : machines) if ("Applying".equals(before.path(m).path("state").asText())) busy++;
        int maxBusy = Math.max(1, machines.size() / 4);
        for (String m : machines) {
            boolean wasBusy = "Applying".equals(before.path(m).path("state").asText());
            ObjectNode entry = stack.advance(m, of, desired, managed, before.path(m), now, wasBusy || busy < maxBusy, reconcileDrift);
            if (!wasBusy && "Applying".equals(entry.path("state").asText())) busy++;
            if (wasBusy && !"Applying".equals(entry.path("state").asText())) busy--;
            nodeStacks.set(m, entry);
            switch (entry.path("state").asText()) {
                case "InSync" -> inSync++;
                case "Applying", "Waiting" -> applying++;
                case "Drifted" -> drifted++;
                default -> failed++;
            }
        }
        if (inSync == machines.size()) {
            managed.clear();
            desired.forEach(p -> managed.add(p.name()));
        }
        return new StackRollout(nodeStacks, inSync, applying, failed, drifted, managed);
    }

    /**
     * What an environment on a shared pool reports of the pool's nodes, which it does not change: the pool's
     * states when it binds the template the pool runs, else every node waiting for the pool to run it.
     */
    static StackRollout observe(List<String> machines, JsonNode poolStatus, boolean sameTemplate, String why) {
        ObjectNode nodeStacks = Json.object();
        int inSync = 0;
        int applying = 0;
        int failed = 0;
        int drifted = 0;
        for (String m : machines) {
            JsonNode entry = sameTemplate ? poolStatus.path("nodeStacks").path(m) : Json.object().put("state", "Waiting").put("message", why);
            if (entry.isMissingNode()) entry = Json.object().put("state", "Waiting").put("message", "the shared pool has not reported this node yet");
            nodeStacks.set(m, entry.deepCopy());
            switch (entry.path("state").asText()) {
                case "InSync" -> inSync++;
                case "Applying", "Waiting" -> applying++;
                case "Drifted" -> drifted++;
                default -> failed++;
            }
        }
        return new StackRollout(nodeStacks, inSync, applying, failed, drifted, Set.of());
    }
}
