package dev.millwright.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.time.Instant;

/**
 * One node's progress in a rollout, kept on the Rollout's status so that a pass after a crash knows exactly
 * what was done, what is in flight and what is left.
 *
 * @param back whether the node is going back to the previous version (its upgrade failed, or the rollout was aborted)
 * @param changed whether a pack was changed on the node by this rollout
 * @param cordoned whether this rollout cordoned the node (so it must uncordon it)
 * @param since when it entered its phase, or its current step started
 * @param operation the id of the port operation in flight, or null
 * @param pending the kind of an operation asked for whose id is not recorded yet (a crash in between finds it by kind)
 * @param step what is being done ("install gpu-driver 580.95.05"), or null
 * @param message what is happening or why it waits, or null
 * @param evidence why it failed or was rolled back, or null
 * @param counted whether its failure counts against the failure budget
 */
public record NodeProgress(NodePhase phase, int wave, String domain, boolean back, boolean changed, boolean cordoned, Instant since,
                           String operation, String pending, String step, String message, String evidence, boolean counted) {
    public static NodeProgress pending(int wave, String domain, Instant now) {
        return new NodeProgress(NodePhase.PENDING, wave, domain, false, false, false, now, null, null, null, null, null, false);
    }

    NodeProgress to(NodePhase next, Instant now) {
        return new NodeProgress(next, wave, domain, back, changed, cordoned, now, null, null, null, null, evidence, counted);
    }

    NodeProgress doing(NodeAction action, String what, Instant now) {
        boolean installs = action.kind() == NodeAction.Kind.INSTALL || action.kind() == NodeAction.Kind.REMOVE;
        return new NodeProgress(phase, wave, domain, back, changed || installs, cordoned || action.kind() == NodeAction.Kind.CORDON,
                now, null, action.operationKind(), what, null, evidence, counted);
    }

    NodeProgress saying(String why) {
        return new NodeProgress(phase, wave, domain, back, changed, cordoned, since, operation, pending, step, why, evidence, counted);
    }

    NodeProgress goingBack(String why, boolean counts) {
        return new NodeProgress(phase, wave, domain, true, changed, cordoned, since, operation, pending, step, message,
                why == null ? evidence : why, counts || counted);
    }

    NodeProgress failed(String why, Instant now) {
        return new NodeProgress(NodePhase.FAILED, wave, domain, back, changed, cordoned, now, null, null, null, null, why, true);
    }

    /** Never started: the node was unhealthy throughout; not the new version's fault, so not counted. */
    NodeProgress unavailable(String why, Instant now) {
        return new NodeProgress(NodePhase.FAILED, wave, domain, back, changed, cordoned, now, null, null, null, null, why, false);
    }

    NodeProgress inWave(int other) {
        return new NodeProgress(phase, other, domain, back, changed, cordoned, since, operation, pending, step, message, evidence, counted);
    }

    NodeProgress uncordoned() {
        return new NodeProgress(phase, wave, domain, back, changed, false, since, operation, pending, step, message, evidence, counted);
    }

    /** The operation asked for is running under {@code id}. */
    public NodeProgress started(String id) {
        return new NodeProgress(phase, wave, domain, back, changed, cordoned, since, id, null, step, message, evidence, counted);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("phase", phase.wire()).put("wave", wave).put("since", since.toString());
        if (domain != null) o.put("domain", domain);
        if (back) o.put("back", true);
        if (changed) o.put("changed", true);
        if (cordoned) o.put("cordoned", true);
        if (operation != null) o.put("operation", operation);
        if (pending != null) o.put("pending", pending);
        if (step != null) o.put("step", step);
        if (message != null) o.put("message", message);
        if (evidence != null) o.put("evidence", evidence);
        if (counted) o.put("counted", true);
        return o;
    }

    public static NodeProgress fromJson(JsonNode o) {
        return new NodeProgress(NodePhase.of(o.path("phase").asText("Pending")), o.path("wave").asInt(), text(o, "domain"),
                o.path("back").asBoolean(), o.path("changed").asBoolean(), o.path("cordoned").asBoolean(),
                Instant.parse(o.path("since").asText()), text(o, "operation"), text(o, "pending"), text(o, "step"),
                text(o, "message"), text(o, "evidence"), o.path("counted").asBoolean());
    }

    private static String text(JsonNode o, String field) {
        return o.hasNonNull(field) ? o.get(field).asText() : null;
    }
}
