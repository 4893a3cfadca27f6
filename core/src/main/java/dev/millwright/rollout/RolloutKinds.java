package dev.millwright.rollout;

import static dev.millwright.resource.KindDefinition.columns;

import dev.millwright.catalog.CatalogKinds;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Reference;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.List;
import java.util.Set;

/**
 * The Day-2 kinds: UpgradePlan (what moving an environment to another template version would do) and Rollout
 * (doing it).
 */
public final class RolloutKinds {
    public static final String UPGRADE_PLAN = "UpgradePlan";
    public static final String ROLLOUT = "Rollout";

    private RolloutKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(new KindDefinition(UPGRADE_PLAN, "upgradeplans",
                "What moving one environment to another template version would do: changed packs, node steps, estimate.",
                Scope.TENANT, Visibility.TENANT_MEMBERS, Set.of("tenant-admin"),
                SpecSchema.classpath(RolloutKinds.class, "UpgradePlan.json"), null,
                columns("ENVIRONMENT", "spec.environment", "FROM", "status.from", "TO", "status.to", "ESTIMATE", "status.estimate",
                        "PHASE", "status.phase"),
                RolloutKinds::references),
                new KindDefinition(ROLLOUT, "rollouts",
                "One environment moving to another template version: canary, waves, health gates, rollback and a failure budget.",
                Scope.TENANT, Visibility.TENANT_MEMBERS, Set.of("tenant-admin"),
                SpecSchema.classpath(RolloutKinds.class, "Rollout.json"), r -> RolloutSettings.check(r.spec(), 0),
                columns("ENVIRONMENT", "spec.environment", "TO", "spec.template.version", "UPGRADED", "status.progress",
                        "PHASE", "status.phase", "MESSAGE", "status.message"),
                RolloutKinds::references));
    }

    private static List<Reference> references(Resource r) {
        List<Reference> refs = new java.util.ArrayList<>(List.of(new Reference("spec.environment", CatalogKinds.ENVIRONMENT, r.tenant(), r.spec().path("environment").asText()),
                new Reference("spec.template", CatalogKinds.STACK_TEMPLATE, "", CatalogKinds.templateObjectName(
                        r.spec().path("template").path("name").asText(), r.spec().path("template").path("version").asText()))));
        if (r.spec().hasNonNull("plan")) refs.add(new Reference("spec.plan", UPGRADE_PLAN, r.tenant(), r.spec().path("plan").asText()));
        return refs;
    }
}
