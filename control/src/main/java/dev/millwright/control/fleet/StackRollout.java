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
        return advance(stack, machines, of, desired, statusBefore, now, reconcileDrift, java.util.Map.of());
    }

    /**
     * @param held nodes left as they are, with why: a rollout to this template failed or rolled them back
     */
    static StackRollout advance(EnvironmentStack stack, List<String> machines, String of, List<Pack> desired, JsonNode statusBefore,
                                Instant now, boolean reconcileDrift, java.util.Map<String, String> held) {
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
            ObjectNode entry = stack.advance(m, of, desired, managed, before.path(m), now,
                    !held.containsKey(m) && (wasBusy || busy < maxBusy), reconcileDrift);
            if (held.containsKey(m) && !"InSync".equals(entry.path("state").asText()) && !"Applying".equals(entry.path("state").asText())) {
                entry = Json.object().put("state", "Held").put("message", held.get(m));
            }
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

    /**
     * What an environment reports while a Rollout governs its nodes: a node not yet touched or rolled back runs
     * the template it ran, an upgraded one the target, and one being worked on is Upgrading, never in sync.
     */
    static StackRollout governed(List<String> machines, JsonNode rolloutStatus, String from, String to, String rollout) {
        ObjectNode nodeStacks = Json.object();
        int inSync = 0;
        int applying = 0;
        int failed = 0;
        for (String m : machines) {
            JsonNode node = rolloutStatus.path("nodes").path(m);
            String phase = node.path("phase").asText("Pending");
            ObjectNode entry = Json.object().put("rollout", rollout).put("rolloutPhase", phase);
            switch (phase) {
                case "Pending", "RolledBack" -> {
                    entry.put("state", "InSync").put("of", from);
                    inSync++;
                }
                case "Upgraded" -> {
                    entry.put("state", "InSync").put("of", to);
                    inSync++;
                }
                case "Failed" -> {
                    entry.put("state", "Failed").put("message", node.path("evidence").asText());
                    failed++;
                }
                default -> {
                    entry.put("state", "Upgrading");
                    if (node.hasNonNull("step")) entry.put("step", node.get("step").asText());
                    applying++;
                }
            }
            nodeStacks.set(m, entry);
        }
        return new StackRollout(nodeStacks, inSync, applying, failed, 0, Set.of());
    }
}
