package dev.millwright.control.policy;

import dev.millwright.catalog.CatalogKinds;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.policy.Policy;
import dev.millwright.policy.Subject;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import dev.millwright.workload.WorkloadKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges every existing object a policy covers: what {@code millwright policy test} shows before a policy is
 * stored, and what a stored policy's status counts. A placement policy is judged on each workload against every
 * node of its environment; the workload violates it when some node is refused, and cannot be placed when all are.
 */
public final class PolicyReview {
    private PolicyReview() {
    }

    /** One object the policy objects to. */
    public record Violation(String kind, String tenant, String name, String message) {
        /** "Environment automaker/prod", "StackTemplate gpu-1-0-0". */
        public String object() {
            return kind + " " + (tenant.isEmpty() ? name : tenant + "/" + name);
        }
    }

    /**
     * @param evaluated the objects of the policy's subject it applies to (its tenants), judged
     * @param violations those it objects to
     */
    public record Report(int evaluated, List<Violation> violations) {
        public Report {
            violations = List.copyOf(violations);
        }
    }

    public static Report review(ResourceStore store, Policy policy) {
        PolicyInputs inputs = new PolicyInputs(store);
        List<Violation> violations = new ArrayList<>();
        int evaluated = 0;
        Subject subject = policy.subject();
        String kind = switch (subject) {
            case STACK_TEMPLATE -> CatalogKinds.STACK_TEMPLATE;
            case ENVIRONMENT -> CatalogKinds.ENVIRONMENT;
            case WORKLOAD, PLACEMENT -> WorkloadKinds.WORKLOAD;
        };
        for (Resource r : store.listAll(ListOptions.all(kind)).items()) {
            if (!policy.appliesTo(subject, r.tenant())) continue;
            evaluated++;
            Optional<String> objection = switch (subject) {
                case STACK_TEMPLATE -> policy.judge(inputs.stackTemplate(r));
                case ENVIRONMENT -> policy.judge(inputs.environment(r));
                case WORKLOAD -> policy.judge(inputs.workload(r, inputs.creatorOf(r)));
                case PLACEMENT -> placement(store, inputs, policy, r);
            };
            objection.ifPresent(m -> violations.add(new Violation(r.kind(), r.tenant(), r.name(), m)));
        }
        return new Report(evaluated, violations);
    }

    /** The nodes of the workload's environment the policy refuses, summed up with the first one's reason. */
    private static Optional<String> placement(ResourceStore store, PolicyInputs inputs, Policy policy, Resource w) {
        Resource env = store.get(new ResourceKey(CatalogKinds.ENVIRONMENT, w.tenant(), w.spec().path("environment").asText())).orElse(null);
        if (env == null) return Optional.empty();
        List<String> pools = new ArrayList<>();
        env.spec().path("nodePools").forEach(p -> pools.add(p.asText()));
        if (env.spec().hasNonNull("sharedNodePool")) pools.add(env.spec().path("sharedNodePool").asText());
        int nodes = 0;
        int refused = 0;
        String first = null;
        for (String pool : pools) {
            Optional<Resource> p = store.get(ResourceKey.platform(FleetKinds.NODE_POOL, pool));
            if (p.isEmpty()) continue;
            for (var m : p.get().spec().path("machines")) {
                Optional<Resource> machine = store.get(ResourceKey.platform(FleetKinds.MACHINE, m.asText()));
                if (machine.isEmpty()) continue;
                nodes++;
                Map<String, Object> node = inputs.node(machine.get());
                Optional<String> why = policy.judge(inputs.placement(w, env, node));
                if (why.isPresent()) {
                    refused++;
                    if (first == null) first = why.get();
                }
            }
        }
        if (refused == 0) return Optional.empty();
        return Optional.of((refused == nodes ? "cannot be placed on any of its environment's " + nodes + " nodes" : "refused on " + refused
                + " of its environment's " + nodes + " nodes") + ": " + first);
    }
}
