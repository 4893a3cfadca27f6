package dev.millwright.control.policy;

import dev.millwright.catalog.CatalogKinds;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.policy.Policy;
import dev.millwright.policy.PolicyEngine;
import dev.millwright.policy.Subject;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The placement policies of one scheduling pass: for each workload, the nodes of its environment they refuse.
 * Read once per pass; a pass with no placement policy costs nothing.
 */
public final class PlacementPolicies {
    private final List<Policy> policies;
    private final ResourceStore store;
    private final PolicyInputs inputs;
    private Map<String, Resource> machines;

    private PlacementPolicies(List<Policy> policies, ResourceStore store) {
        this.policies = policies;
        this.store = store;
        this.inputs = new PolicyInputs(store);
    }

    public static PlacementPolicies load(ResourceStore store) {
        return new PlacementPolicies(PolicyInputs.policies(store).stream().filter(p -> p.subject() == Subject.PLACEMENT).toList(), store);
    }

    /**
     * The nodes refused to one workload, and the first refusal's reason ("data-residency-placement: node x is in
     * FR, outside DE ...").
     */
    public record Refusals(Set<String> nodes, String reason) {
        public static final Refusals NONE = new Refusals(Set.of(), "");
    }

    /** Which of {@code nodes} (its environment's schedulable nodes) the policies refuse to {@code workload}. */
    public Refusals judge(Resource workload, Collection<String> nodes) {
        if (policies.stream().noneMatch(p -> p.appliesTo(Subject.PLACEMENT, workload.tenant())) || nodes.isEmpty()) return Refusals.NONE;
        if (machines == null) {
            machines = new HashMap<>();
            store.listAll(ListOptions.all(FleetKinds.MACHINE)).items().forEach(m -> machines.put(m.name(), m));
        }
        Resource env = store.get(new ResourceKey(CatalogKinds.ENVIRONMENT, workload.tenant(), workload.spec().path("environment").asText())).orElse(null);
        Set<String> refused = new TreeSet<>();
        String first = "";
        for (String node : new TreeSet<>(nodes)) {
            Resource machine = machines.get(node);
            if (machine == null) continue;
            PolicyEngine.Decision d = PolicyEngine.judge(policies, Subject.PLACEMENT, workload.tenant(),
                    inputs.placement(workload, env, inputs.node(machine)));
            if (!d.allowed()) {
                refused.add(node);
                if (first.isEmpty()) first = d.denials().get(0).toString();
            }
        }
        return refused.isEmpty() ? Refusals.NONE : new Refusals(refused, first);
    }
}
