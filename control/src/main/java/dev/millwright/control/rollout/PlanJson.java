package dev.millwright.control.rollout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import dev.millwright.rollout.PackChange;
import dev.millwright.rollout.UpgradePlan;
import dev.millwright.rollout.UpgradeStep;
import java.time.Duration;
import java.util.Locale;

/** An upgrade plan as the API shows it: on {@code GET .../upgrade-plan} and on an UpgradePlan's status. */
public final class PlanJson {
    private PlanJson() {
    }

    public static ObjectNode of(String environment, UpgradePlan plan, int nodes, int parallel) {
        Duration total = plan.duration(nodes, parallel);
        ObjectNode out = Json.object().put("environment", environment).put("from", plan.from()).put("to", plan.to())
                .put("nodes", nodes).put("parallel", parallel).put("waves", UpgradePlan.waves(nodes, parallel))
                .put("perNodeSeconds", plan.perNode().toSeconds()).put("controlPlaneSeconds", plan.controlPlane().toSeconds())
                .put("durationSeconds", total.toSeconds())
                .put("estimate", String.format(Locale.ROOT, "%dh %02dm", total.toHours(), total.toMinutesPart()));
        ArrayNode changes = out.putArray("changes");
        for (PackChange c : plan.changes()) {
            ObjectNode o = changes.addObject().put("layer", c.layer().wireName()).put("pack", c.pack()).put("kind", c.kind().name().toLowerCase(Locale.ROOT));
            if (c.from() != null) o.put("from", c.from().toString());
            if (c.to() != null) o.put("to", c.to().toString());
        }
        ArrayNode steps = out.putArray("steps");
        for (UpgradeStep s : plan.steps()) {
            ArrayNode states = steps.addObject().put("change", s.change().toString()).put("nodes", s.nodes().label())
                    .put("perNodeSeconds", s.procedure().perNode().toSeconds()).putArray("states");
            s.procedure().states().forEach(st -> states.add(st.label()));
        }
        out.put("text", plan.describe(nodes, parallel));
        return out;
    }
}
