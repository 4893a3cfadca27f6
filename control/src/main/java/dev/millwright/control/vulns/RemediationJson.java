package dev.millwright.control.vulns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import dev.millwright.rollout.PackChange;
import dev.millwright.vulns.Remediation;
import java.util.List;

/**
 * How a remediation reads on an environment's status and in the API: the published template version to move to
 * ({@code template}), the solver's smallest change ({@code smallestChange}), the reasons nothing else fixes it,
 * and a one-line {@code summary}.
 */
public final class RemediationJson {
    private RemediationJson() {
    }

    public static ObjectNode of(Remediation.Answer a) {
        ObjectNode out = Json.object();
        a.published().ifPresent(p -> {
            ObjectNode t = out.putObject("template").put("name", p.template()).put("version", p.version());
            t.set("changes", changes(p.changes()));
        });
        if (!a.smallest().isEmpty()) out.set("smallestChange", changes(a.smallest()));
        if (!a.reasons().isEmpty()) {
            ArrayNode reasons = out.putArray("reasons");
            a.reasons().forEach(reasons::add);
        }
        out.put("summary", summary(a));
        return out;
    }

    static String summary(Remediation.Answer a) {
        if (a.published().isPresent()) {
            Remediation.Published p = a.published().get();
            return "move to " + p.template() + "@" + p.version() + " (" + text(p.changes()) + ")";
        }
        if (!a.smallest().isEmpty()) {
            return "no published template version has the fix; the smallest compatible change is " + text(a.smallest())
                    + ", which a platform admin can publish as a new version (millwright vulns fix --publish)";
        }
        return a.reasons().isEmpty() ? "nothing to fix" : String.join("; ", a.reasons());
    }

    private static String text(List<PackChange> changes) {
        return String.join(", ", changes.stream().map(PackChange::toString).toList());
    }

    private static ArrayNode changes(List<PackChange> changes) {
        ArrayNode out = Json.array();
        for (PackChange c : changes) {
            ObjectNode o = out.addObject().put("pack", c.pack()).put("layer", c.layer().wireName());
            if (c.from() != null) o.put("from", c.from().toString());
            if (c.to() != null) o.put("to", c.to().toString());
        }
        return out;
    }
}
