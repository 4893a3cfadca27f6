package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.control.policy.PolicyInputs;
import dev.millwright.policy.Policy;
import dev.millwright.policy.PolicyEngine;
import dev.millwright.policy.Subject;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.Reference;
import dev.millwright.resource.Resource;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourcePage;
import dev.millwright.store.ResourceStore;
import dev.millwright.tenancy.Principal;
import dev.millwright.tenancy.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checks that need other objects: every reference names an existing object, and a machine is in at
 * most one node pool. They run after the object's own validation and before the write; like Kubernetes
 * admission they are not atomic with it, so controllers still report references that break later.
 */
final class Admission {
    private final ResourceStore store;
    private final java.time.Clock clock;

    Admission(ResourceStore store, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param previous the object before an update, or null: references it already had are not checked again,
     *                 so an object whose site was deleted can still be changed (to be moved elsewhere, say)
     * @param caller who writes it, as policies see them
     * @return what Warn policies object to: the write goes ahead, and the caller is told
     */
    List<String> admit(KindDefinition kind, Resource r, Resource previous, Principal caller) {
        Map<String, List<String>> errors = new TreeMap<>();
        java.util.Set<dev.millwright.resource.ResourceKey> had = new java.util.HashSet<>();
        if (previous != null) kind.references().apply(previous).forEach(ref -> had.add(ref.key()));
        for (Reference ref : kind.references().apply(r)) {
            if (had.contains(ref.key())) continue;
            if (store.get(ref.key()).isEmpty()) {
                errors.computeIfAbsent(ref.field(), k -> new ArrayList<>()).add(ref.kind() + " " + ref.name() + " not found");
            }
        }
        if (kind.kind().equals(FleetKinds.NODE_POOL)) {
            machinesInOnePool(r, errors);
            SharedPools.checkPool(store, r, errors);
        }
        if (kind.kind().equals(dev.millwright.catalog.CatalogKinds.ENVIRONMENT)) {
            poolsOfThisTenant(r, errors);
            dev.millwright.rollout.MaintenanceWindow.check(r.spec().path("maintenanceWindows"), "spec.maintenanceWindows", clock.instant())
                    .forEach((k, v) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            SharedPools.checkEnvironment(store, r, errors);
            variables(r, previous, errors);
        }
        if (kind.kind().equals(dev.millwright.workload.WorkloadKinds.WORKLOAD)) workload(r, errors);
        if (kind.kind().equals(dev.millwright.sched.SchedKinds.QUEUE)) QueueAdmission.check(store, r, errors);
        if (kind.kind().equals(dev.millwright.rollout.RolloutKinds.ROLLOUT)) RolloutAdmission.check(store, catalog(), clock.instant(), r, previous, errors);
        if (kind.kind().equals(dev.millwright.rollout.RolloutKinds.UPGRADE_PLAN)) RolloutAdmission.checkPlan(store, catalog(), clock.instant(), r, errors);
        if (kind.kind().equals(dev.millwright.catalog.CatalogKinds.STACK_TEMPLATE) && previous == null) {
            // a template whose layers conflict, or name packs the catalog lacks, is never published
            TemplateCheck.check(catalog(), r.spec(), java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))
                    .errors().forEach((k, v) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        if (kind.kind().equals(dev.millwright.catalog.CatalogKinds.STACK_TEMPLATE) && previous != null
                && !dev.millwright.resource.Json.equivalent(previous.spec(), r.spec())) {
            errors.computeIfAbsent("spec", k -> new ArrayList<>()).add("a published template version is immutable; publish "
                    + previous.spec().path("template").asText() + " at a new version instead");
        }
        if (!errors.isEmpty()) throw new InvalidResourceException(r.key().describe(), errors);
        PolicyEngine.Decision decision = policies(kind, r, previous, caller);
        if (!decision.allowed()) {
            Map<String, List<String>> denials = new TreeMap<>();
            decision.denials().forEach(v -> denials.computeIfAbsent("policies." + v.policy(), k -> new ArrayList<>()).add(v.message()));
            throw new InvalidResourceException(r.key().describe() + " is denied by policy", denials);
        }
        return decision.warnings().stream().map(PolicyEngine.Verdict::toString).toList();
    }

    /**
     * The policies of the object's subject: a template when it is published (published versions never change),
     * an environment or a workload on every write.
     */
    private PolicyEngine.Decision policies(KindDefinition kind, Resource r, Resource previous, Principal caller) {
        Subject subject = switch (kind.kind()) {
            case dev.millwright.catalog.CatalogKinds.STACK_TEMPLATE -> previous == null ? Subject.STACK_TEMPLATE : null;
            case dev.millwright.catalog.CatalogKinds.ENVIRONMENT -> Subject.ENVIRONMENT;
            case dev.millwright.workload.WorkloadKinds.WORKLOAD -> Subject.WORKLOAD;
            default -> null;
        };
        List<Policy> policies = subject == null ? List.of()
                : PolicyInputs.policies(store).stream().filter(p -> p.appliesTo(subject, r.tenant())).toList();
        if (policies.isEmpty()) return new PolicyEngine.Decision(List.of(), List.of());
        PolicyInputs inputs = new PolicyInputs(store);
        Map<String, Object> input = switch (subject) {
            case STACK_TEMPLATE -> inputs.stackTemplate(r);
            case ENVIRONMENT -> inputs.environment(r);
            default -> inputs.workload(r, previous == null ? callerOf(caller, r.tenant()) : inputs.creatorOf(previous));
        };
        return PolicyEngine.judge(policies, subject, r.tenant(), input);
    }

    /** The caller as policies see them: the identity stamped on what they create, and their role in the tenant. */
    static PolicyInputs.Caller callerOf(Principal p, String tenant) {
        Role role = p.roleIn(tenant);
        return new PolicyInputs.Caller(p.identity(), p.name(), role == null ? List.of() : List.of(role.wireName()));
    }

    /**
     * What a person should know about an object that was admitted: for a template, the components past or near
     * their end of life. Sent back as HTTP {@code Warning} headers, as Kubernetes does for deprecations.
     */
    List<String> warnings(KindDefinition kind, Resource r) {
        if (kind.kind().equals(dev.millwright.policy.PolicyKinds.POLICY)) {
            // a policy judges writes from now on; what it says of the objects already there is worth knowing at once
            Policy.Compiled compiled = Policy.compile(r.name(), r.spec());
            if (!compiled.ok()) return List.of();
            var report = dev.millwright.control.policy.PolicyReview.review(store, compiled.policy());
            return report.violations().isEmpty() ? List.of() : List.of("policy " + r.name() + " " + PolicyHandlers.summary(compiled.policy(), report)
                    + "; see millwright policy test " + r.name());
        }
        if (!kind.kind().equals(dev.millwright.catalog.CatalogKinds.STACK_TEMPLATE)) return List.of();
        return TemplateCheck.check(catalog(), r.spec(), java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))
                .warnings().stream().map(dev.millwright.catalog.Warning::message).toList();
    }

    /** An environment may use a pool only if neither the pool nor its cluster is dedicated to another tenant. */
    private void poolsOfThisTenant(Resource env, Map<String, List<String>> errors) {
        var pools = dev.millwright.resource.Json.MAPPER.createArrayNode();
        env.spec().path("nodePools").forEach(pools::add);
        boolean shared = env.spec().hasNonNull("sharedNodePool");
        if (shared) pools.add(env.spec().path("sharedNodePool").asText());
        for (int i = 0; i < pools.size(); i++) {
            var pool = store.get(dev.millwright.resource.ResourceKey.platform(FleetKinds.NODE_POOL, pools.get(i).asText()));
            if (pool.isEmpty()) continue; // reported as a missing reference
            String dedicated = pool.get().spec().path("tenant").asText("");
            if (dedicated.isEmpty()) {
                dedicated = store.get(dev.millwright.resource.ResourceKey.platform(FleetKinds.CLUSTER, pool.get().spec().path("cluster").asText()))
                        .map(c -> c.spec().path("tenant").asText("")).orElse("");
            }
            if (!dedicated.isEmpty() && !dedicated.equals(env.tenant())) {
                String field = shared && i == pools.size() - 1 ? "spec.sharedNodePool" : "spec.nodePools[" + i + "]";
                errors.computeIfAbsent(field, k -> new ArrayList<>()).add("node pool " + pools.get(i).asText() + " is dedicated to another tenant");
            }
        }
    }

    /** The environment's values for its template's variables. */
    private void variables(Resource env, Resource previous, Map<String, List<String>> errors) {
        store.get(dev.millwright.catalog.CatalogKinds.templateOf(env.spec()))
                .ifPresent(template -> dev.millwright.catalog.VariableCheck.check(template.spec(), env.spec().path("variables"),
                                previous == null ? null : previous.spec().path("variables"))
                        .forEach((k, v) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v)));
    }

    /**
     * A workload against its AppTemplate, its environment's stack, GPUs and quota: the same check the workload
     * controller makes before it places one, so what is admitted can run.
     */
    private void workload(Resource w, Map<String, List<String>> errors) {
        var app = store.get(dev.millwright.resource.ResourceKey.platform(dev.millwright.workload.WorkloadKinds.APP_TEMPLATE, w.spec().path("app").asText()));
        var env = dev.millwright.control.workload.EnvironmentSnapshot.load(store, w.tenant(), w.spec().path("environment").asText());
        if (app.isEmpty() || env.isEmpty()) return; // reported as missing references
        dev.millwright.workload.WorkloadCheck.check(w, app.get().name(), app.get().spec(), env.get().view(), env.get().inUse(w.name()))
                .errors().forEach((k, v) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }

    /** The built-in catalog and the platform team's Pack objects. */
    Catalog catalog() {
        return dev.millwright.control.catalog.PackCatalog.load(store);
    }

    private void machinesInOnePool(Resource pool, Map<String, List<String>> errors) {
        Map<String, String> owner = new HashMap<>();
        String token = null;
        do {
            ResourcePage page = store.list(new ListOptions(FleetKinds.NODE_POOL, null, null, ListOptions.MAX_LIMIT, token));
            for (Resource other : page.items()) {
                if (other.name().equals(pool.name())) continue;
                for (JsonNode m : other.spec().path("machines")) owner.put(m.asText(), other.name());
            }
            token = page.continueToken();
        } while (token != null);
        JsonNode machines = pool.spec().path("machines");
        for (int i = 0; i < machines.size(); i++) {
            String other = owner.get(machines.get(i).asText());
            if (other != null) {
                errors.computeIfAbsent("spec.machines[" + i + "]", k -> new ArrayList<>())
                        .add("machine " + machines.get(i).asText() + " is already in node pool " + other);
            }
        }
    }
}
