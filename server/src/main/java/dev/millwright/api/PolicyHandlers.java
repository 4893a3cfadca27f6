package dev.millwright.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.control.policy.PolicyReview;
import dev.millwright.policy.Policy;
import dev.millwright.policy.PolicyKinds;
import dev.millwright.resource.ForbiddenException;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.Validation;
import dev.millwright.tenancy.Principal;
import io.javalin.http.Context;

/**
 * {@code POST /api/v1/policies/test}: a Policy manifest, judged against every existing object it would cover,
 * before it is stored or changed. Nothing is written. Platform admins only: the answer names objects of every
 * tenant.
 */
final class PolicyHandlers {
    private final ApiContext api;
    private final Gate gate;

    PolicyHandlers(ApiContext api, Gate gate) {
        this.api = api;
        this.gate = gate;
    }

    void test(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        if (!p.platformAdmin()) throw new ForbiddenException(p.identity() + " may not test policies; platform admins only");
        Resource body = ResourceCodec.parse(ctx.bodyAsBytes(), ResourceHandlers.format(ctx));
        if (!body.kind().equals(PolicyKinds.POLICY)) {
            throw InvalidResourceException.of(body.kind() + " \"" + body.name() + "\"", "kind", "is " + body.kind() + "; policy test takes a Policy");
        }
        Validation.validate(api.kinds().require(PolicyKinds.POLICY), body); // refuses an invalid expression with its position
        Policy policy = Policy.compile(body.name(), body.spec()).policy();
        PolicyReview.Report report = PolicyReview.review(api.store(), policy);

        ObjectNode out = Json.object().put("policy", body.name()).put("subject", policy.subject().wireName())
                .put("enforcement", policy.enforcement() == Policy.Enforcement.DENY ? "Deny" : "Warn")
                .put("evaluated", report.evaluated()).put("violations", report.violations().size())
                .put("summary", summary(policy, report));
        ArrayNode list = out.putArray("violating");
        report.violations().forEach(v -> list.addObject().put("object", v.object()).put("message", v.message()));
        ResourceHandlers.respond(ctx, 200, out);
    }

    /** "would deny 2 of the 5 existing Environments it covers"; every one of them is said loudly. */
    static String summary(Policy policy, PolicyReview.Report report) {
        String objects = policy.subject() == dev.millwright.policy.Subject.PLACEMENT ? "Workloads (placements)" : policy.subject().wireName() + "s";
        String verb = policy.enforcement() == Policy.Enforcement.DENY ? "deny" : "warn about";
        int n = report.violations().size();
        if (report.evaluated() == 0) return "covers no existing " + objects;
        if (n == 0) return "passes all " + report.evaluated() + " existing " + objects + " it covers";
        if (n == report.evaluated()) return "would " + verb + " every one of the " + n + " existing " + objects + " it covers";
        return "would " + verb + " " + n + " of the " + report.evaluated() + " existing " + objects + " it covers";
    }
}
