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

/** The Day-2 kinds: Rollout (one environment moving to another template version). */
public final class RolloutKinds {
    public static final String ROLLOUT = "Rollout";

    private RolloutKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(new KindDefinition(ROLLOUT, "rollouts",
                "One environment moving to another template version: canary, waves, health gates, rollback and a failure budget.",
                Scope.TENANT, Visibility.TENANT_MEMBERS, Set.of("tenant-admin"),
                SpecSchema.classpath(RolloutKinds.class, "Rollout.json"), r -> RolloutSettings.check(r.spec(), 0),
                columns("ENVIRONMENT", "spec.environment", "TO", "spec.template.version", "UPGRADED", "status.progress",
                        "PHASE", "status.phase", "MESSAGE", "status.message"),
                RolloutKinds::references));
    }

    private static List<Reference> references(Resource r) {
        return List.of(new Reference("spec.environment", CatalogKinds.ENVIRONMENT, r.tenant(), r.spec().path("environment").asText()),
                new Reference("spec.template", CatalogKinds.STACK_TEMPLATE, "", CatalogKinds.templateObjectName(
                        r.spec().path("template").path("name").asText(), r.spec().path("template").path("version").asText())));
    }
}
