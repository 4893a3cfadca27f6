package dev.millwright.control.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.policy.Policy;
import dev.millwright.policy.PolicyKinds;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.tenancy.TenancyKinds;
import dev.millwright.vulns.VulnKinds;
import dev.millwright.watch.Change;
import dev.millwright.workload.WorkloadKinds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps each policy's violations among existing objects on its status: how many objects it judged, how many it
 * objects to, and the first of them with the reason. Admission only judges writes, so this is where a team sees
 * the objects that were there before a policy, or that a new advisory or a moved machine put in breach.
 */
public final class PolicyController implements Controller {
    static final ResourceKey PASS = ResourceKey.platform(PolicyKinds.POLICY, "*review*");
    /** Listed on the status; the count covers all. */
    static final int SHOWN = 20;

    @Override
    public String name() {
        return "policies";
    }

    @Override
    public String kind() {
        return PolicyKinds.POLICY;
    }

    @Override
    public ResourceKey singleton() {
        return PASS;
    }

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        Function<Change, List<ResourceKey>> pass = c -> List.of(PASS);
        return Map.of(CatalogKinds.ENVIRONMENT, pass, CatalogKinds.STACK_TEMPLATE, pass, WorkloadKinds.WORKLOAD, pass,
                TenancyKinds.TENANT, pass, VulnKinds.ADVISORY, pass, FleetKinds.NODE_POOL, pass);
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        for (Resource r : ctx.store().listAll(ListOptions.all(PolicyKinds.POLICY)).items()) {
            Policy.Compiled compiled = Policy.compile(r.name(), r.spec());
            if (!compiled.ok()) continue; // admission refused it; a stored one from an older release keeps its last status
            PolicyReview.Report report = PolicyReview.review(ctx.store(), compiled.policy());
            ctx.updateStatus(r.key(), s -> {
                s.put("evaluated", report.evaluated());
                s.put("violations", report.violations().size());
                ArrayNode list = s.putArray("violating");
                report.violations().stream().limit(SHOWN).forEach(v -> list.addObject().put("object", v.object()).put("message", v.message()));
                return s;
            });
        }
        return Result.requeueAfter(Duration.ofMinutes(5)); // machines and sites change quietly; a safety net
    }
}
