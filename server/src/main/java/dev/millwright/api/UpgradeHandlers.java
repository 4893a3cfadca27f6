package dev.millwright.api;

import dev.millwright.catalog.CatalogKinds;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.rollout.UpgradePlanner;
import dev.millwright.tenancy.Verb;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * {@code GET /api/v1/tenants/{tenant}/environments/{name}/upgrade-plan?to=TEMPLATE@VERSION[&parallel=N]}: what
 * moving the environment to another template version would do, before anything happens: the packs that change,
 * the steps on each node, and how long it would take with {@code parallel} nodes at a time (by default a quarter
 * of its nodes, as the environment controller changes them). A plan the planner refuses is a 422 with the reasons.
 */
final class UpgradeHandlers {
    private final ApiContext api;
    private final Gate gate;

    UpgradeHandlers(ApiContext api, Gate gate) {
        this.api = api;
        this.gate = gate;
    }

    void plan(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        String name = ctx.pathParam("name");
        gate.authorize(ctx, new Target(Verb.GET, api.kinds().require(CatalogKinds.ENVIRONMENT), tenant, name));
        ResourceKey key = new ResourceKey(CatalogKinds.ENVIRONMENT, tenant, name);
        Resource env = api.store().get(key).orElseThrow(() -> NotFoundException.of(key));
        String to = ctx.queryParam("to");
        if (to == null || !to.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?@\\d+\\.\\d+\\.\\d+")) {
            throw new BadRequestException("to", "give the target as TEMPLATE@VERSION, e.g. gpu-inference@1.2.0");
        }
        String toName = to.substring(0, to.indexOf('@'));
        String toVersion = to.substring(to.indexOf('@') + 1);
        ResourceKey toKey = ResourceKey.platform(CatalogKinds.STACK_TEMPLATE, CatalogKinds.templateObjectName(toName, toVersion));
        Resource target = api.store().get(toKey).orElseThrow(() -> InvalidResourceException.of(key.describe(), "to",
                "StackTemplate " + toName + " version " + toVersion + " is not published"));
        Resource running = api.store().get(CatalogKinds.templateOf(env.spec())).orElseThrow(() -> InvalidResourceException.of(key.describe(),
                "spec.template", "the template version the environment binds is no longer published"));
        int nodes = Math.max(1, env.status().path("nodes").asInt(1));
        int parallel = parallel(ctx.queryParam("parallel"), Math.max(1, nodes / 4));
        UpgradePlanner.Result result = UpgradePlanner.plan(PackCatalog.load(api.store()), running.spec(), target.spec(),
                LocalDate.ofInstant(api.clock().instant(), ZoneOffset.UTC));
        if (result.refused()) throw new InvalidResourceException(key.describe() + " cannot move to " + to, result.refusals());
        ctx.json(dev.millwright.control.rollout.PlanJson.of(name, result.plan(), nodes, parallel));
    }

    private static int parallel(String given, int otherwise) {
        if (given == null) return otherwise;
        try {
            int n = Integer.parseInt(given);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new BadRequestException("parallel", "must be a whole number of nodes, at least 1");
    }
}
