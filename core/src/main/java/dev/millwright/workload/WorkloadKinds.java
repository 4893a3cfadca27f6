package dev.millwright.workload;

import static dev.millwright.resource.KindDefinition.columns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.VersionRange;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Reference;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Self-service: AppTemplate (a workload type the platform team offers, as data) and Workload (a
 * practitioner's instance of one in an environment).
 */
public final class WorkloadKinds {
    public static final String APP_TEMPLATE = "AppTemplate";
    public static final String WORKLOAD = "Workload";

    private WorkloadKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(
                new KindDefinition(APP_TEMPLATE, "apptemplates", "A workload type offered for self-service: framework, parameter schema, resource profile, what it renders to.",
                        Scope.PLATFORM, Visibility.ALL_AUTHENTICATED, Set.of(),
                        SpecSchema.classpath(WorkloadKinds.class, "AppTemplate.json"), WorkloadKinds::appTemplateRules,
                        columns("CATEGORY", "spec.category", "FRAMEWORK", "spec.framework.pack", "GPUS/REPLICA", "spec.profile.gpusPerReplica")),
                new KindDefinition(WORKLOAD, "workloads", "A practitioner's instance of an AppTemplate in one of the tenant's environments.",
                        Scope.TENANT, Visibility.TENANT_MEMBERS, Set.of("tenant-admin", "practitioner"),
                        SpecSchema.classpath(WorkloadKinds.class, "Workload.json"), null,
                        columns("ENVIRONMENT", "spec.environment", "APP", "spec.app", "GPUS", "status.gpus", "PHASE", "status.phase",
                                "REASON", "status.reason"),
                        WorkloadKinds::workloadReferences));
    }

    private static List<Reference> workloadReferences(Resource r) {
        List<Reference> refs = new ArrayList<>(List.of(
                new Reference("spec.environment", dev.millwright.catalog.CatalogKinds.ENVIRONMENT, r.tenant(), r.spec().path("environment").asText()),
                new Reference("spec.app", APP_TEMPLATE, "", r.spec().path("app").asText())));
        if (r.spec().hasNonNull("project")) {
            refs.add(new Reference("spec.project", dev.millwright.tenancy.TenancyKinds.PROJECT, r.tenant(), r.spec().path("project").asText()));
        }
        if (r.spec().hasNonNull("queue")) {
            refs.add(new Reference("spec.queue", dev.millwright.sched.SchedKinds.QUEUE, r.tenant(), r.spec().path("queue").asText()));
        }
        return refs;
    }

    private static Map<String, List<String>> appTemplateRules(Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        JsonNode s = r.spec();
        if (s.path("framework").has("range")) {
            try {
                VersionRange.of(s.path("framework").path("range").asText());
            } catch (IllegalArgumentException e) {
                add(errors, "spec.framework.range", e.getMessage());
            }
        }
        JsonNode params = s.path("parameters");
        Set<String> usable = new HashSet<>(Placeholders.BUILT_IN);
        if (!s.has("framework")) usable.remove("framework.version");
        if (!params.isMissingNode()) parameterSchemaRules(params, errors, usable);

        JsonNode profile = s.path("profile");
        int gpus = profile.path("gpusPerReplica").asInt();
        if (profile.has("maxGpusPerReplica") && profile.path("maxGpusPerReplica").asInt() < gpus) {
            add(errors, "spec.profile.maxGpusPerReplica", "is less than gpusPerReplica (" + gpus + ")");
        }
        if (profile.has("maxReplicas") && profile.path("maxReplicas").asInt() < profile.path("replicas").asInt(1)) {
            add(errors, "spec.profile.maxReplicas", "is less than replicas (" + profile.path("replicas").asInt(1) + ")");
        }

        JsonNode components = s.path("components");
        Set<String> names = new HashSet<>();
        boolean gpuComponent = false;
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String path = "spec.components[" + i + "]";
            if (!names.add(c.path("name").asText())) add(errors, path + ".name", "component " + c.path("name").asText() + " is listed twice");
            gpuComponent |= c.path("gpus").asBoolean(false);
            String renders = c.path("renders").asText();
            boolean jobShape = renders.equals("trainjob") || renders.equals("pytorchjob") || renders.equals("rayjob");
            boolean job = "job".equals(s.path("lifetime").asText("service"));
            if (jobShape && !job) add(errors, path + ".renders", renders + " runs to completion: the template's lifetime must be job");
            if (c.has("storage") && !renders.equals("statefulset")) add(errors, path + ".storage", "only a statefulset has a volume per replica");
            placeholders(c.path("image"), path + ".image", usable, errors);
            for (String list : new String[] {"command", "args"}) {
                JsonNode texts = c.path(list);
                for (int j = 0; j < texts.size(); j++) placeholders(texts.get(j), path + "." + list + "[" + j + "]", usable, errors);
            }
            c.path("env").fields().forEachRemaining(e -> placeholders(e.getValue(), path + ".env." + e.getKey(), usable, errors));
        }
        if (gpus > 0 && !gpuComponent) add(errors, "spec.components", "no component takes the " + gpus + " GPUs per replica (set gpus: true on one)");
        return errors;
    }

    /**
     * The parameter schema must describe an object, point nowhere outside itself (a remote {@code $ref} would
     * make the server fetch a URL a template author chose), and be a schema the validator accepts. The names
     * placeholders may use are the parameters that always have a value: required ones and those with a default.
     */
    private static void parameterSchemaRules(JsonNode params, Map<String, List<String>> errors, Set<String> usable) {
        if (!"object".equals(params.path("type").asText())) add(errors, "spec.parameters.type", "must be object: parameters are named values");
        List<String> remote = new ArrayList<>();
        findRemoteReferences(params, "spec.parameters", remote);
        remote.forEach(p -> add(errors, p, "only references within the schema (#/...) are allowed"));
        if (remote.isEmpty()) {
            try {
                SpecSchema.of(params).validate(dev.millwright.resource.Json.object(), "");
            } catch (RuntimeException e) {
                add(errors, "spec.parameters", "is not a usable JSON Schema: " + e.getMessage());
            }
        }
        Set<String> required = new HashSet<>();
        params.path("required").forEach(n -> required.add(n.asText()));
        params.path("properties").fields().forEachRemaining(e -> {
            if (required.contains(e.getKey()) || e.getValue().has("default")) usable.add(e.getKey());
        });
    }

    private static void findRemoteReferences(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String value = e.getValue().asText();
                boolean outside = switch (e.getKey()) {
                    case "$ref", "$dynamicRef" -> !value.startsWith("#");
                    case "$id" -> true; // would rebase the references below it
                    case "$schema" -> !value.startsWith("https://json-schema.org/");
                    default -> false;
                };
                if (outside) out.add(path + "." + e.getKey());
                else findRemoteReferences(e.getValue(), path + "." + e.getKey(), out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) findRemoteReferences(node.get(i), path + "[" + i + "]", out);
        }
    }

    private static void placeholders(JsonNode text, String path, Set<String> usable, Map<String, List<String>> errors) {
        for (String name : Placeholders.names(text.asText())) {
            if (!usable.contains(name)) {
                add(errors, path, "${" + name + "} is neither a built-in (" + String.join(", ", new java.util.TreeSet<>(Placeholders.BUILT_IN))
                        + ") nor a parameter that is required or has a default");
            }
        }
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
