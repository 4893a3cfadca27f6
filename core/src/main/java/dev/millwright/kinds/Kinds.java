package dev.millwright.kinds;

import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindRegistry;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.tenancy.TenancyKinds;
import dev.millwright.workload.WorkloadKinds;
import java.util.ArrayList;
import java.util.List;

/** Every kind this version of Millwright serves; each domain package contributes its own. */
public final class Kinds {
    private static final KindRegistry REGISTRY = build();

    private Kinds() {
    }

    public static KindRegistry registry() {
        return REGISTRY;
    }

    private static KindRegistry build() {
        List<KindDefinition> kinds = new ArrayList<>(TenancyKinds.all());
        kinds.addAll(FleetKinds.all());
        kinds.addAll(CatalogKinds.all());
        kinds.addAll(WorkloadKinds.all());
        kinds.addAll(dev.millwright.sched.SchedKinds.all());
        kinds.addAll(dev.millwright.rollout.RolloutKinds.all());
        kinds.addAll(dev.millwright.vulns.VulnKinds.all());
        kinds.addAll(dev.millwright.policy.PolicyKinds.all());
        kinds.addAll(dev.millwright.secrets.SecretKinds.all());
        kinds.addAll(dev.millwright.provision.DockKinds.all());
        return KindRegistry.of(kinds);
    }
}
