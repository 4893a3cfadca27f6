package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.control.rollout.RolloutController;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.rollout.MaintenanceWindow;
import dev.millwright.rollout.RolloutKinds;
import dev.millwright.rollout.RolloutSettings;
import dev.millwright.rollout.UpgradePlanner;
import dev.millwright.store.ResourceStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks a Rollout needs against other objects: the move is one the upgrade planner accepts, its settings
 * can take nodes out of this environment, the environment's maintenance windows open, a production environment
 * keeps its guaranteed GPUs with at least one node out, and no other rollout is moving the environment. Once
 * created, only pause, resume, abort and the tuning fields change; abort cannot be taken back.
 */
final class RolloutAdmission {
    private RolloutAdmission() {
    }

    /** An UpgradePlan is refused when the planner refuses it now, with its reasons under spec.template. */
    static void checkPlan(ResourceStore store, Catalog catalog, Instant now, Resource r, Map<String, List<String>> errors) {
        Optional<Resource> env = store.get(new ResourceKey(CatalogKinds.ENVIRONMENT, r.tenant(), r.spec().path("environment").asText()));
        if (env.isEmpty()) return; // reported as a missing reference
        if (env.get().spec().hasNonNull("sharedNodePool")) {
            add(errors, "spec.environment", "environment " + env.get().name() + " runs on the shared node pool "
                    + env.get().spec().path("sharedNodePool").asText() + ": the platform moves that pool's template");
            return;
        }
        planner(store, catalog, now, env.get().spec(), r, errors);
    }

    private static void planner(ResourceStore store, Catalog catalog, Instant now, JsonNode envSpec, Resource r, Map<String, List<String>> errors) {
        Optional<Resource> running = store.get(CatalogKinds.templateOf(envSpec));
        Optional<Resource> target = store.get(CatalogKinds.templateOf(r.spec()));
        if (running.isPresent() && target.isPresent()) {
            UpgradePlanner.Result plan = UpgradePlanner.plan(catalog, running.get().spec(), target.get().spec(), LocalDate.ofInstant(now, ZoneOffset.UTC));
            plan.refusals().forEach((field, reasons) -> reasons.forEach(why -> add(errors, "spec.template", field + ": " + why)));
        }
    }

    static void check(ResourceStore store, Catalog catalog, Instant now, Resource r, Resource previous, Map<String, List<String>> errors) {
        if (previous != null) {
            if (!Json.equivalent(previous.spec().path("environment"), r.spec().path("environment"))) {
                add(errors, "spec.environment", "is fixed once the rollout exists; create another rollout");
            }
            if (!Json.equivalent(previous.spec().path("template"), r.spec().path("template"))) {
                add(errors, "spec.template", "is fixed once the rollout exists; create another rollout");
            }
            if (previous.spec().path("abort").asBoolean() && !r.spec().path("abort").asBoolean()) {
                add(errors, "spec.abort", "an aborted rollout cannot be resumed: its nodes are going back; create another rollout");
            }
            return;
        }
        String envName = r.spec().path("environment").asText();
        Optional<Resource> env = store.get(new ResourceKey(CatalogKinds.ENVIRONMENT, r.tenant(), envName));
        if (env.isEmpty()) return; // reported as a missing reference
        JsonNode e = env.get().spec();
        if (e.hasNonNull("sharedNodePool")) {
            add(errors, "spec.environment", "environment " + envName + " runs on the shared node pool " + e.path("sharedNodePool").asText()
                    + ": the platform moves that pool's template, not a tenant's rollout");
            return;
        }
        RolloutController.activeFor(store, r.tenant(), envName).ifPresent(other -> add(errors, "spec.environment",
                "rollout " + other.name() + " is already moving environment " + envName + " (" + other.status().path("phase").asText("starting")
                        + "); wait for it, or abort it"));
        planner(store, catalog, now, e, r, errors);
        if (r.spec().hasNonNull("plan")) {
            store.get(new ResourceKey(RolloutKinds.UPGRADE_PLAN, r.tenant(), r.spec().path("plan").asText())).ifPresent(plan -> {
                if (!Json.equivalent(plan.spec().path("environment"), r.spec().path("environment"))
                        || !Json.equivalent(plan.spec().path("template"), r.spec().path("template"))) {
                    add(errors, "spec.plan", "UpgradePlan " + plan.name() + " moves " + plan.spec().path("environment").asText() + " to "
                            + plan.spec().path("template").path("name").asText() + "@" + plan.spec().path("template").path("version").asText()
                            + ", not what this rollout says");
                }
            });
        }
        List<Integer> gpusPerNode = new ArrayList<>();
        e.path("nodePools").forEach(p -> store.get(ResourceKey.platform(FleetKinds.NODE_POOL, p.asText())).ifPresent(pool ->
                pool.spec().path("machines").forEach(m -> store.get(ResourceKey.platform(FleetKinds.MACHINE, m.asText()))
                        .ifPresent(machine -> gpusPerNode.add(machine.status().path("inventory").path("gpus").size())))));
        if (gpusPerNode.isEmpty()) add(errors, "spec.environment", "environment " + envName + " has no nodes to upgrade");
        RolloutSettings.check(r.spec(), gpusPerNode.size()).forEach((k, v) -> v.forEach(why -> add(errors, k, why)));
        JsonNode windows = e.path("maintenanceWindows");
        if (!windows.isEmpty() && MaintenanceWindow.parse(windows, "spec.maintenanceWindows", now, new java.util.TreeMap<>()).isEmpty()) {
            add(errors, "spec.environment", "the maintenance windows of environment " + envName + " never open from now on: nothing could start");
        }
        int guaranteed = RolloutController.guaranteed(env.get());
        int total = gpusPerNode.stream().mapToInt(Integer::intValue).sum();
        int smallest = gpusPerNode.stream().mapToInt(Integer::intValue).min().orElse(0);
        if (guaranteed > 0 && total - smallest < guaranteed) {
            add(errors, "spec.environment", "capacity guard: production environment " + envName + " is guaranteed " + guaranteed + " GPUs and has "
                    + total + "; taking out even its smallest node (" + smallest + " GPUs) would go below, so no node could ever be upgraded");
        }
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }

    private static final class Json {
        static boolean equivalent(JsonNode a, JsonNode b) {
            return dev.millwright.resource.Json.equivalent(a, b);
        }
    }
}
