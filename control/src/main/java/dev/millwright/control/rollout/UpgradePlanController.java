package dev.millwright.control.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.rollout.RolloutKinds;
import dev.millwright.rollout.UpgradePlanner;
import dev.millwright.watch.Change;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps each UpgradePlan's status the planner's answer for its environment as it is now: Planned (the changes,
 * node steps and estimate), Refused (the reasons, as the catalog or the environment changed since it was
 * made), or Applied once the environment runs the plan's target.
 */
public final class UpgradePlanController implements Controller {
    /** Packs can be added to the catalog without a write the plan sees; it is looked at again this often. */
    static final Duration POLL = Duration.ofSeconds(30);

    /** The plans of each environment ("tenant/name"), learned from reconciles, so a change of it replans them. */
    private final Map<String, Set<String>> plansOf = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "upgradeplans";
    }

    @Override
    public String kind() {
        return RolloutKinds.UPGRADE_PLAN;
    }

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        return Map.of(CatalogKinds.ENVIRONMENT, c -> plansOf.getOrDefault(c.key().tenant() + "/" + c.key().name(), Set.of()).stream()
                .map(plan -> new ResourceKey(RolloutKinds.UPGRADE_PLAN, c.key().tenant(), plan)).toList());
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) {
            plansOf.values().forEach(plans -> plans.remove(key.name()));
            return Result.done();
        }
        Resource plan = found.get();
        String envName = plan.spec().path("environment").asText();
        plansOf.computeIfAbsent(plan.tenant() + "/" + envName, k -> ConcurrentHashMap.newKeySet()).add(plan.name());
        Optional<Resource> env = ctx.get(new ResourceKey(CatalogKinds.ENVIRONMENT, plan.tenant(), envName));
        JsonNode target = plan.spec().path("template");
        String to = target.path("name").asText() + "@" + target.path("version").asText();
        ObjectNode status;
        if (env.isEmpty()) {
            status = refused(Map.of("spec.environment", List.of("environment " + envName + " does not exist")));
        } else if (CatalogKinds.sameTemplate(env.get().spec().path("template"), target)) {
            status = Json.object().put("phase", "Applied").put("message", "environment " + envName + " runs " + to);
        } else {
            Optional<Resource> running = ctx.get(CatalogKinds.templateOf(env.get().spec()));
            Optional<Resource> wanted = ctx.get(CatalogKinds.templateOf(plan.spec()));
            if (running.isEmpty() || wanted.isEmpty()) {
                status = refused(Map.of("spec.template", List.of((running.isEmpty() ? "the environment's template" : to) + " is not published")));
            } else {
                UpgradePlanner.Result result = UpgradePlanner.plan(PackCatalog.load(ctx.store()), running.get().spec(), wanted.get().spec(),
                        LocalDate.ofInstant(ctx.clock().instant(), ZoneOffset.UTC));
                if (result.refused()) {
                    status = refused(result.refusals());
                } else {
                    int nodes = Math.max(1, env.get().status().path("nodes").asInt(1));
                    int parallel = plan.spec().path("parallel").asInt(Math.max(1, nodes / 4));
                    status = PlanJson.of(envName, result.plan(), nodes, parallel).put("phase", "Planned");
                }
            }
        }
        long generation = plan.metadata().generation();
        String before = plan.status().path("phase").asText("");
        ObjectNode next = status.put("observedGeneration", generation);
        ctx.updateStatus(key, s -> next.deepCopy());
        if (!before.equals(next.path("phase").asText()) && !before.isEmpty()) {
            ctx.event(key, next.path("phase").asText().equals("Refused") ? "Warning" : "Normal", "Plan" + next.path("phase").asText(),
                    next.path("phase").asText().equals("Refused") ? next.path("refusals").toString() : next.path("message").asText(to));
        }
        return Result.requeueAfter(POLL);
    }

    private static ObjectNode refused(Map<String, List<String>> reasons) {
        ObjectNode s = Json.object().put("phase", "Refused");
        s.set("refusals", Json.MAPPER.valueToTree(reasons));
        return s;
    }
}
