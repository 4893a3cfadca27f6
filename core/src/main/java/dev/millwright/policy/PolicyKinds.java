package dev.millwright.policy;

import static dev.millwright.resource.KindDefinition.columns;

import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Policy kind: a CEL rule over templates, environments, workloads or placements. Platform admins write and
 * read policies: a policy's status names the objects of every tenant it objects to, so it is not for tenants to
 * read (a denied caller gets the policy's name and message in the denial). An expression that does not compile
 * is refused with its position.
 */
public final class PolicyKinds {
    public static final String POLICY = "Policy";

    private PolicyKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(new KindDefinition(POLICY, "policies", "An admission or placement rule in CEL over templates, environments, workloads and placements.",
                Scope.PLATFORM, Visibility.PLATFORM_ADMINS, Set.of(),
                SpecSchema.classpath(PolicyKinds.class, "Policy.json"), PolicyKinds::rules,
                columns("SUBJECT", "spec.subject", "ENFORCEMENT", "spec.enforcement", "VIOLATIONS", "status.violations", "DESCRIPTION", "spec.description")));
    }

    private static Map<String, List<String>> rules(Resource r) {
        return Policy.compile(r.name(), r.spec()).problems();
    }
}
