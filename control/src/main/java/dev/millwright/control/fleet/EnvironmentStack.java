package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.NodeStack;
import dev.millwright.catalog.Pack;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Operation;
import dev.millwright.infra.UnreachableException;
import dev.millwright.resource.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * Brings the nodes of one environment to its template's packs, one step per node at a time, through the
 * infrastructure port. Each node's state lives on the environment's status ({@code status.nodeStacks}), so a
 * pass after a crash picks up the operation in flight instead of starting another.
 *
 * <p>It touches only the nodes it is given (the environment's own pools), which is what keeps environments
 * on different template versions from disturbing each other. Changing all nodes at once is the simplest
 * policy; a Day-2 Rollout (canaries, waves, health gates) takes over when one governs the environment.
 */
final class EnvironmentStack {
    /** A failed step is tried again after this long. */
    static final Duration RETRY = Duration.ofMinutes(1);

    private final Infrastructure infra;

    EnvironmentStack(Infrastructure infra) {
        this.infra = infra;
    }

    /** What one pass did to one node. */
    enum NodeState { IN_SYNC, APPLYING, FAILED, UNREACHABLE }

    /**
     * Advances one node and returns its new state entry; {@code before} is its entry from the last pass (or a
     * missing node). Knowing which template ({@code of}) the packs are, a node that was in sync with that same
     * template and no longer is has drifted (changed out of band): drift is put right like any step, or, when
     * {@code reconcileDrift} is false, flagged as Drifted with what differs and left alone.
     */
    ObjectNode advance(String machine, String of, List<Pack> desired, Set<String> managed, JsonNode before, Instant now,
                       boolean mayStart, boolean reconcileDrift) {
        boolean wasInSync = wasInSync(before, of);
        ObjectNode entry = step(machine, desired, managed, before, now, mayStart && (reconcileDrift || !wasInSync));
        String state = entry.path("state").asText();
        if (state.equals("InSync")) return entry.put("of", of);
        if (!wasInSync) return entry; // a new template, or the first: a plain step
        entry.put("of", of).put("reason", "drift");
        if (!reconcileDrift && state.equals("Waiting")) entry.put("state", "Drifted");
        // what differs, when first found and while it is left as it is; an operation in flight keeps the list it had
        if (!entry.has("operation") || !"drift".equals(before.path("reason").asText())) {
            try {
                entry.set("drift", Json.MAPPER.valueToTree(NodeStack.differences(desired, managed, infra.installedPacks(machine))));
            } catch (UnreachableException e) {
                // what differs is shown once the node answers again
            }
        }
        return entry;
    }

    /** In sync with the template {@code of} on the last pass, or drifted from it since. */
    private static boolean wasInSync(JsonNode before, String of) {
        String state = before.path("state").asText();
        return !of.isEmpty() && of.equals(before.path("of").asText())
                && (state.equals("InSync") || "drift".equals(before.path("reason").asText()));
    }

    private ObjectNode step(String machine, List<Pack> desired, Set<String> managed, JsonNode before, Instant now, boolean mayStart) {
        ObjectNode entry = Json.object();
        String opId = before.path("operation").asText(null);
        if (opId != null) {
            Operation op;
            try {
                op = infra.operation(opId);
            } catch (UnreachableException e) {
                op = null; // the world forgot it (a new twin); look at the node afresh
            }
            if (op != null && !op.done()) return before.deepCopy();
            if (op != null && op.state() == Operation.State.FAILED) {
                return entry.put("state", "Failed").put("step", before.path("step").asText())
                        .put("message", op.message()).put("since", now.toString());
            }
        }
        if ("Failed".equals(before.path("state").asText()) && opId == null
                && now.isBefore(Instant.parse(before.path("since").asText(now.toString())).plus(RETRY))) {
            return before.deepCopy();
        }
        SortedMap<String, String> installed;
        try {
            installed = infra.installedPacks(machine);
        } catch (UnreachableException e) {
            return entry.put("state", "Unreachable").put("message", e.getMessage());
        }
        var step = NodeStack.next(desired, managed, installed);
        if (step.isEmpty()) return entry.put("state", "InSync");
        if (!mayStart) return entry.put("state", "Waiting").put("step", step.get().toString());
        NodeStack.Step s = step.get();
        Operation op = s.removal() ? infra.removePack(machine, s.pack()) : infra.installPack(machine, s.pack(), s.version());
        if (op.state() == Operation.State.FAILED) {
            return entry.put("state", "Failed").put("step", s.toString()).put("message", op.message()).put("since", now.toString());
        }
        return entry.put("state", "Applying").put("step", s.toString()).put("operation", op.id());
    }
}
