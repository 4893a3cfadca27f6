package dev.millwright.control.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.tenancy.TenancyKinds;
import dev.millwright.watch.Change;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reports each tenant's observed state: phase, how many projects and members it has, and the generation it
 * has seen. A project change re-reconciles its tenant, so the counts follow.
 */
public final class TenantController implements Controller {
    @Override
    public String name() {
        return "tenants";
    }

    @Override
    public String kind() {
        return TenancyKinds.TENANT;
    }

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        return Map.of(TenancyKinds.PROJECT, c -> List.of(ResourceKey.platform(TenancyKinds.TENANT, c.key().tenant())));
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) return Result.done();
        Resource tenant = found.get();
        long projects = ctx.store().count(TenancyKinds.PROJECT, tenant.name());
        boolean firstTime = !tenant.status().has("observedGeneration");
        long generation = tenant.metadata().generation();
        int members = tenant.spec().path("members").size();
        Resource updated = ctx.updateStatus(key, status -> {
            ObjectNode s = status;
            s.put("phase", "Active");
            s.put("observedGeneration", generation);
            s.put("projects", projects);
            s.put("members", members);
            return s;
        });
        if (firstTime && updated.status().has("observedGeneration")) {
            ctx.event(key, "Normal", "TenantActive", "tenant " + tenant.name() + " is active with " + members + " member(s)");
        }
        return Result.done();
    }
}
