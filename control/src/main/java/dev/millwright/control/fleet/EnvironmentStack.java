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
     * Advances one node and returns its new state entry; {@code before} is its entry from the last pass
     * (or a missing node).
     */
    ObjectNode advance(String machine, List<Pack> desired, Set<String> managed, JsonNode before, Instant now, boolean mayStart) {
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
