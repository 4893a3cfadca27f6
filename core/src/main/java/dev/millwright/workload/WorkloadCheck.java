package dev.millwright.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.VersionRange;
import dev.millwright.fleet.GpuModels;
import dev.millwright.resource.Resource;
import dev.millwright.resource.SpecSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Admits a Workload: its parameters against its AppTemplate's schema and profile, the template's framework
 * against the environment's stack, its GPU model against what the environment's nodes have and the template
 * allows, and its GPUs against the environment's quota. Pure: the objects come in, errors keyed by field path
 * or the {@link ResolvedWorkload} come out, so admission and the workload controller reach the same verdict.
 */
public final class WorkloadCheck {
    private WorkloadCheck() {
    }

    /**
     * The environment as a workload sees it.
     *
     * @param template "gpu@1.2.0", for messages
     * @param stack the exact packs its template version runs
     * @param gpus GPUs of its nodes by the model they report
     */
    public record Environment(String name, JsonNode spec, String template, List<Pack> stack, Map<String, Integer> gpus) {
    }

    /** The verdict: either errors keyed by field path, or the workload resolved. */
    public record Result(ResolvedWorkload workload, Map<String, List<String>> errors) {
        public boolean admitted() {
            return errors.isEmpty();
        }
    }

    /**
     * @param app the AppTemplate's spec
     * @param inUse GPUs by model that the environment's other live workloads hold
     */
    public static Result check(Resource workload, String appName, JsonNode app, Environment env, Map<String, Integer> inUse) {
        Map<String, List<String>> errors = new TreeMap<>();
        JsonNode spec = workload.spec();

        ObjectNode params = withDefaults(spec.path("parameters"), app.path("parameters"));
        if (app.has("parameters")) {
            SpecSchema.of(app.path("parameters")).validate(params, "spec.parameters").forEach((k, v) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }

        JsonNode profile = app.path("profile");
        int replicas = spec.path("replicas").asInt(profile.path("replicas").asInt(1));
        int gpus = spec.path("gpusPerReplica").asInt(profile.path("gpusPerReplica").asInt());
        int maxReplicas = profile.path("maxReplicas").asInt(Integer.MAX_VALUE);
        int maxGpus = profile.path("maxGpusPerReplica").asInt(profile.path("gpusPerReplica").asInt());
        if (replicas > maxReplicas) add(errors, "spec.replicas", "AppTemplate " + appName + " allows at most " + maxReplicas + " replicas");
        if (gpus > maxGpus) add(errors, "spec.gpusPerReplica", "AppTemplate " + appName + " allows at most " + maxGpus + " GPUs per replica");

        String mig = spec.path("migProfile").asText(null);
        int share = mig != null ? ResolvedWorkload.shareOfMig(mig) : spec.path("gpuShare").asInt(1000);
        if ((mig != null || share < 1000) && gpus != 1) {
            add(errors, mig != null ? "spec.migProfile" : "spec.gpuShare", "a share of a GPU needs exactly one GPU per replica; this asks " + gpus);
        }
        if (mig != null && spec.has("gpuShare")) add(errors, "spec.gpuShare", "give a MIG profile or a share of a GPU, not both");

        String frameworkVersion = framework(appName, app.path("framework"), env, errors);
        String model = gpus == 0 ? null : gpuModel(spec, appName, profile, env, replicas * gpus, inUse, errors);
        if (!errors.isEmpty()) return new Result(null, errors);

        Map<String, String> values = new LinkedHashMap<>();
        params.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        values.put("workload", workload.name());
        values.put("tenant", workload.tenant());
        values.put("environment", env.name());
        values.put("replicas", Integer.toString(replicas));
        values.put("gpus", Integer.toString(gpus));
        if (frameworkVersion != null) values.put("framework.version", frameworkVersion);

        List<ResolvedWorkload.Component> components = new ArrayList<>();
        try {
            for (JsonNode c : app.path("components")) components.add(component(c, values, replicas));
        } catch (IllegalArgumentException e) {
            add(errors, "spec.parameters", e.getMessage());
            return new Result(null, errors);
        }
        List<String> allowed = new ArrayList<>();
        profile.path("gpuModels").forEach(m -> allowed.add(m.asText()));
        boolean job = "job".equals(app.path("lifetime").asText("service"));
        double work = !job ? 0 : spec.path("work").path("gpuHours").asDouble(Math.max(1, replicas * gpus));
        return new Result(new ResolvedWorkload(workload.tenant(), workload.name(), workload.metadata().uid(), env.name(),
                namespace(workload.tenant(), env.name()), appName, app.path("category").asText(), job, replicas, gpus, model, allowed,
                text(profile, "cpu"), text(profile, "memory"), text(spec, "priorityClass"),
                app.path("framework").path("pack").asText(null), frameworkVersion, work, components, share, mig), errors);
    }

    /** The Kubernetes namespace of a tenant's environment. */
    public static String namespace(String tenant, String environment) {
        return tenant + "-" + environment;
    }

    /** The parameters given, with the schema's defaults for those left out. */
    static ObjectNode withDefaults(JsonNode given, JsonNode schema) {
        ObjectNode out = given.isObject() ? ((ObjectNode) given).deepCopy() : dev.millwright.resource.Json.object();
        schema.path("properties").fields().forEachRemaining(e -> {
            if (!out.has(e.getKey()) && e.getValue().has("default")) out.set(e.getKey(), e.getValue().get("default"));
        });
        return out;
    }

    /** The version of the template's framework pack in the environment's stack, or null when it needs none. */
    private static String framework(String appName, JsonNode framework, Environment env, Map<String, List<String>> errors) {
        if (framework.isMissingNode()) return null;
        String pack = framework.path("pack").asText();
        String range = framework.path("range").asText("*");
        Pack found = env.stack().stream().filter(p -> p.name().equals(pack)).findFirst().orElse(null);
        if (found == null) {
            add(errors, "spec.app", "AppTemplate " + appName + " needs " + pack + " " + range + ", which the stack of environment "
                    + env.name() + " (" + env.template() + ") does not have");
            return null;
        }
        if (!VersionRange.of(range).contains(found.version())) {
            add(errors, "spec.app", "AppTemplate " + appName + " needs " + pack + " " + range + ", but environment " + env.name()
                    + " (" + env.template() + ") runs " + pack + " " + found.version());
        }
        return found.version().toString();
    }

    /**
     * The model it runs on: the one asked for, or the first (by name) the environment has, the template allows and
     * the quota has room for.
     */
    private static String gpuModel(JsonNode spec, String appName, JsonNode profile, Environment env, int needed,
                                   Map<String, Integer> inUse, Map<String, List<String>> errors) {
        List<String> candidates = new ArrayList<>(new java.util.TreeSet<>(env.gpus().keySet()));
        candidates.removeIf(m -> env.gpus().get(m) <= 0);
        String asked = spec.path("gpuModel").asText(null);
        if (asked != null) {
            List<String> named = candidates.stream().filter(m -> GpuModels.matches(asked, m)).toList();
            if (named.isEmpty()) {
                add(errors, "spec.gpuModel", "environment " + env.name() + " has no " + asked + " GPUs (it has " + describe(env.gpus()) + ")");
                return null;
            }
            candidates = named;
        }
        List<String> allowed = new ArrayList<>();
        profile.path("gpuModels").forEach(m -> allowed.add(m.asText()));
        if (!allowed.isEmpty()) {
            List<String> ok = candidates.stream().filter(m -> allowed.stream().anyMatch(a -> GpuModels.matches(a, m))).toList();
            if (ok.isEmpty()) {
                add(errors, asked != null ? "spec.gpuModel" : "spec.app", "AppTemplate " + appName + " runs on " + String.join(", ", allowed)
                        + "; environment " + env.name() + " has " + (asked != null ? asked : describe(env.gpus())));
                return null;
            }
            candidates = ok;
        }
        if (candidates.isEmpty()) {
            add(errors, "spec.environment", "environment " + env.name() + " has no GPUs yet");
            return null;
        }
        JsonNode quota = env.spec().path("quota").path("gpus");
        List<String> why = new ArrayList<>();
        String fitsLater = null;
        for (String m : candidates) {
            int used = inUse.getOrDefault(m, 0);
            int limit = limitOf(env, m);
            if (used + needed <= limit) return m;
            if (needed <= limit && fitsLater == null) fitsLater = m;
            why.add(needed + " " + GpuModels.shortName(m) + " GPUs asked, " + limit + " in its " + (quota.isObject() ? "quota" : "nodes"));
        }
        // none has room now: it waits for the first that can ever hold it; one that never can is refused
        if (fitsLater != null) return fitsLater;
        add(errors, "spec.replicas", "more GPUs than environment " + env.name() + " can ever give it: " + String.join("; ", why));
        return null;
    }

    /** The GPUs of a model the environment's workloads may hold together: its quota, else all its nodes have. */
    public static int limitOf(Environment env, String model) {
        JsonNode quota = env.spec().path("quota").path("gpus");
        return quota.isObject() ? quotaOf(quota, model) : env.gpus().getOrDefault(model, 0);
    }

    private static int quotaOf(JsonNode quota, String model) {
        var it = quota.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (GpuModels.matches(e.getKey(), model)) return e.getValue().asInt();
        }
        return 0;
    }

    private static ResolvedWorkload.Component component(JsonNode c, Map<String, String> values, int replicas) {
        List<String> command = new ArrayList<>();
        c.path("command").forEach(t -> command.add(Placeholders.substitute(t.asText(), values)));
        List<String> args = new ArrayList<>();
        c.path("args").forEach(t -> args.add(Placeholders.substitute(t.asText(), values)));
        Map<String, String> env = new TreeMap<>();
        c.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), Placeholders.substitute(e.getValue().asText(), values)));
        boolean gpus = c.path("gpus").asBoolean(false);
        return new ResolvedWorkload.Component(c.path("name").asText(), c.path("renders").asText(),
                Placeholders.substitute(c.path("image").asText(), values), command, args, env,
                c.has("port") ? c.get("port").asInt() : null, gpus, gpus ? replicas : c.path("replicas").asInt(1),
                text(c, "storage"), c.path("renders").asText().equals("trainjob") ? c.path("runtime").asText("torch-distributed") : text(c, "runtime"));
    }

    private static String describe(Map<String, Integer> gpus) {
        if (gpus.isEmpty()) return "no GPUs";
        return gpus.entrySet().stream().map(e -> e.getValue() + "x " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
