package dev.millwright.control.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.control.vulns.AdvisoryIndex;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.policy.Policy;
import dev.millwright.policy.PolicyInput;
import dev.millwright.policy.PolicyKinds;
import dev.millwright.policy.Subject;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import dev.millwright.tenancy.TenancyKinds;
import dev.millwright.vulns.Exposure;
import dev.millwright.workload.WorkloadKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds policy inputs from the store: what the admission of a write, a dry run and the scheduler hand to
 * {@link dev.millwright.policy.PolicyEngine}. One instance reads each thing once (the catalog, the advisories,
 * a tenant, an environment's sites), so judging many objects in one pass stays cheap.
 */
public final class PolicyInputs {
    /** Who created an object, stamped by the server at creation: the limits policies count by it. */
    public static final String CREATED_BY = "millwright.dev/created-by";

    private final ResourceStore store;
    private Catalog catalog;
    private AdvisoryIndex advisories;
    private final Map<String, Optional<Resource>> tenants = new HashMap<>();
    private final Map<String, List<Map<String, Object>>> sites = new HashMap<>();
    private final Map<ResourceKey, Optional<List<Pack>>> stacks = new HashMap<>();
    private final Map<String, JsonNode> siteSpecs = new HashMap<>();
    private final Map<String, Integer> apps = new HashMap<>();

    public PolicyInputs(ResourceStore store) {
        this.store = store;
    }

    /** The stored policies, compiled; a policy stored before its rules tightened and no longer compiling is skipped. */
    public static List<Policy> policies(ResourceStore store) {
        List<Policy> out = new ArrayList<>();
        for (Resource r : store.listAll(ListOptions.all(PolicyKinds.POLICY)).items()) {
            Policy.Compiled c = Policy.compile(r.name(), r.spec());
            if (c.ok()) out.add(c.policy());
        }
        return out;
    }

    /** A StackTemplate being published: {object, stack, findings}. */
    public Map<String, Object> stackTemplate(Resource template) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("object", PolicyInput.object(template));
        Optional<List<Pack>> packs = TemplateCheck.packs(catalog(), template.spec());
        in.put("stack", PolicyInput.stack(template.spec().path("template").asText(), template.spec().path("version").asText(), packs.orElse(List.of())));
        in.put("findings", PolicyInput.findings(hits(packs.orElse(List.of()))));
        return PolicyInput.forSubject(Subject.STACK_TEMPLATE, in);
    }

    /** An environment: {object, tenant, environment, stack, findings}. */
    public Map<String, Object> environment(Resource env) {
        Map<String, Object> in = environmentVariables(env, true);
        in.put("object", PolicyInput.object(env));
        return PolicyInput.forSubject(Subject.ENVIRONMENT, in);
    }

    /** Who writes an object: an identity ("user:ben"), its name, and its roles in the object's tenant. */
    public record Caller(String identity, String name, List<String> roles) {
    }

    /** A workload written by {@code caller}: {object, tenant, environment, stack, workload, caller, usage}. */
    public Map<String, Object> workload(Resource w, Caller caller) {
        Map<String, Object> in = new LinkedHashMap<>();
        Resource env = store.get(new ResourceKey(CatalogKinds.ENVIRONMENT, w.tenant(), w.spec().path("environment").asText())).orElse(null);
        if (env != null) in.putAll(environmentVariables(env, false));
        in.put("object", PolicyInput.object(w));
        in.put("workload", workloadVariable(w));
        in.put("caller", PolicyInput.caller(caller.name(), caller.roles()));
        long others = 0;
        for (Resource other : store.listAll(ListOptions.all(WorkloadKinds.WORKLOAD)).items()) {
            if (other.tenant().equals(w.tenant()) && !other.name().equals(w.name())
                    && caller.identity().equals(other.metadata().annotations().get(CREATED_BY))) {
                others += gpus(other);
            }
        }
        in.put("usage", PolicyInput.usage(others));
        return PolicyInput.forSubject(Subject.WORKLOAD, in);
    }

    /**
     * The creator of a stored workload, as a dry run sees them: the identity stamped on it, and the role its
     * tenant (or one of its projects) gives that user; unknown when the object predates the stamp.
     */
    public Caller creatorOf(Resource w) {
        String identity = w.metadata().annotations().getOrDefault(CREATED_BY, "");
        String name = identity.contains(":") ? identity.substring(identity.indexOf(':') + 1) : identity;
        List<String> roles = new ArrayList<>();
        tenant(w.tenant()).ifPresent(t -> t.spec().path("members").forEach(m -> {
            if (m.path("user").asText().equals(name)) roles.add(m.path("role").asText());
        }));
        if (roles.isEmpty() && identity.startsWith("user:")) {
            for (Resource project : store.listAll(ListOptions.all(TenancyKinds.PROJECT)).items()) {
                if (!project.tenant().equals(w.tenant())) continue;
                project.spec().path("members").forEach(m -> {
                    if (m.path("user").asText().equals(name) && !roles.contains(m.path("role").asText())) roles.add(m.path("role").asText());
                });
            }
        }
        return new Caller(identity, name, roles);
    }

    /** A node the scheduler considers for a workload: {object, tenant, environment, workload, node}. */
    public Map<String, Object> placement(Resource w, Resource env, Map<String, Object> node) {
        Map<String, Object> in = new LinkedHashMap<>();
        if (env != null) {
            in.put("tenant", tenantVariable(env.tenant()));
            in.put("environment", PolicyInput.environment(env, tenantFips(env.tenant()), sitesOf(env)));
        }
        in.put("object", PolicyInput.object(w));
        in.put("workload", workloadVariable(w));
        in.put("node", node);
        return PolicyInput.forSubject(Subject.PLACEMENT, in);
    }

    /**
     * A machine as a placement sees it: its site's jurisdiction and region, and whether every GPU it has can run
     * in confidential-computing mode.
     */
    public Map<String, Object> node(Resource machine) {
        String site = machine.spec().path("site").asText("");
        JsonNode s = siteSpec(site);
        JsonNode gpus = machine.status().path("inventory").path("gpus");
        boolean confidential = !gpus.isEmpty();
        for (JsonNode g : gpus) confidential &= g.path("confidentialComputing").asBoolean(false);
        return PolicyInput.node(machine.name(), site, s.path("jurisdiction").asText(""), s.path("region").asText(""),
                gpus.isEmpty() ? "" : gpus.get(0).path("model").asText(""), confidential);
    }

    private Map<String, Object> workloadVariable(Resource w) {
        Optional<Resource> tenant = tenant(w.tenant());
        boolean confidential = tenant.map(t -> t.spec().path("compliance").path("confidentialComputing").asBoolean(false)).orElse(false);
        return PolicyInput.workload(w, gpus(w), confidential, w.metadata().annotations().get(CREATED_BY));
    }

    /** All its replicas' GPUs: per replica as it asks, or as its AppTemplate's profile gives by default. */
    private long gpus(Resource w) {
        JsonNode spec = w.spec();
        int perReplica = spec.has("gpusPerReplica") ? spec.path("gpusPerReplica").asInt(0)
                : apps.computeIfAbsent(spec.path("app").asText(), a -> store.get(ResourceKey.platform(WorkloadKinds.APP_TEMPLATE, a))
                        .map(app -> app.spec().path("profile").path("gpusPerReplica").asInt(0)).orElse(0));
        return (long) spec.path("replicas").asInt(1) * perReplica;
    }

    private Map<String, Object> environmentVariables(Resource env, boolean withFindings) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("tenant", tenantVariable(env.tenant()));
        in.put("environment", PolicyInput.environment(env, tenantFips(env.tenant()), sitesOf(env)));
        ResourceKey templateKey = CatalogKinds.templateOf(env.spec());
        Optional<List<Pack>> packs = stacks.computeIfAbsent(templateKey, k -> store.get(k).flatMap(t -> TemplateCheck.packs(catalog(), t.spec())));
        JsonNode t = env.spec().path("template");
        in.put("stack", PolicyInput.stack(t.path("name").asText(), t.path("version").asText(), packs.orElse(List.of())));
        if (withFindings) in.put("findings", PolicyInput.findings(hits(packs.orElse(List.of()))));
        return in;
    }

    private Map<String, Object> tenantVariable(String name) {
        return PolicyInput.tenant(name, tenant(name).orElse(null));
    }

    private boolean tenantFips(String name) {
        return tenant(name).map(t -> t.spec().path("compliance").path("fips").asBoolean(false)).orElse(false);
    }

    private Optional<Resource> tenant(String name) {
        return tenants.computeIfAbsent(name, n -> store.get(ResourceKey.platform(TenancyKinds.TENANT, n)));
    }

    /** The sites of the machines in the environment's pools (its own, or the shared one), each once. */
    private List<Map<String, Object>> sitesOf(Resource env) {
        return sites.computeIfAbsent(env.tenant() + "/" + env.name(), k -> {
            List<String> pools = new ArrayList<>();
            env.spec().path("nodePools").forEach(p -> pools.add(p.asText()));
            if (env.spec().hasNonNull("sharedNodePool")) pools.add(env.spec().path("sharedNodePool").asText());
            Map<String, Map<String, Object>> found = new LinkedHashMap<>();
            for (String pool : pools) {
                Optional<Resource> p = store.get(ResourceKey.platform(FleetKinds.NODE_POOL, pool));
                if (p.isEmpty()) continue;
                for (JsonNode m : p.get().spec().path("machines")) {
                    store.get(ResourceKey.platform(FleetKinds.MACHINE, m.asText())).ifPresent(machine -> {
                        String site = machine.spec().path("site").asText("");
                        JsonNode s = siteSpec(site);
                        found.putIfAbsent(site, PolicyInput.site(site, s.path("jurisdiction").asText(""), s.path("region").asText("")));
                    });
                }
            }
            return List.copyOf(found.values());
        });
    }

    private JsonNode siteSpec(String site) {
        return siteSpecs.computeIfAbsent(site, s -> store.get(ResourceKey.platform(FleetKinds.SITE, s))
                .<JsonNode>map(Resource::spec).orElse(dev.millwright.resource.Json.object()));
    }

    private List<Exposure.Hit> hits(List<Pack> packs) {
        if (packs.isEmpty()) return List.of();
        if (advisories == null) advisories = AdvisoryIndex.load(store);
        List<Exposure.Package> contents = new ArrayList<>();
        packs.forEach(p -> p.packages().forEach(sp -> contents.add(new Exposure.Package(sp.ecosystem(), sp.name(), sp.version()))));
        return Exposure.of(advisories.matcher(), advisories.findings(), Map.of("stack", contents)).get("stack");
    }

    private Catalog catalog() {
        if (catalog == null) catalog = PackCatalog.load(store);
        return catalog;
    }
}
