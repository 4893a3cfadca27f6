package dev.millwright.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.Pack;
import dev.millwright.resource.Resource;
import dev.millwright.vulns.Exposure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables policies see, built from the domain with every documented field present (a missing fact is an
 * empty string, false, 0 or an empty list), so that expressions need no {@code has()} guards. The README lists
 * them per subject; {@link #forSubject} fills a variable the caller could not build with an empty map.
 */
public final class PolicyInput {
    private PolicyInput() {
    }

    /** The subject's variables: those given, and an empty map (or list, for findings) for each one missing. */
    public static Map<String, Object> forSubject(Subject subject, Map<String, Object> given) {
        Map<String, Object> out = new HashMap<>();
        for (String v : subject.variables()) {
            Object value = given.get(v);
            out.put(v, value != null ? value : v.equals("findings") ? List.of() : Map.of());
        }
        return out;
    }

    /** The object as written: apiVersion, kind, metadata (name, tenant, labels, annotations) and spec. */
    public static Map<String, Object> object(Resource r) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", r.name());
        metadata.put("tenant", r.tenant());
        metadata.put("labels", Map.copyOf(r.metadata().labels()));
        metadata.put("annotations", Map.copyOf(r.metadata().annotations()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", "millwright.dev/v1");
        out.put("kind", r.kind());
        out.put("metadata", metadata);
        out.put("spec", json(r.spec()));
        return out;
    }

    /** {name, labels, compliance {residency, fips, confidentialComputing}}; a tenant that cannot be read has none. */
    public static Map<String, Object> tenant(String name, Resource tenant) {
        JsonNode compliance = tenant == null ? null : tenant.spec().path("compliance");
        List<Object> residency = new ArrayList<>();
        if (compliance != null) compliance.path("residency").forEach(c -> residency.add(c.asText()));
        return Map.of("name", name,
                "labels", tenant == null ? Map.of() : Map.copyOf(tenant.metadata().labels()),
                "compliance", Map.of("residency", residency,
                        "fips", compliance != null && compliance.path("fips").asBoolean(false),
                        "confidentialComputing", compliance != null && compliance.path("confidentialComputing").asBoolean(false)));
    }

    /** {name, version, packs [{name, version, layer, fips, confidentialComputing, cryptographic}]}. */
    public static Map<String, Object> stack(String template, String version, Collection<Pack> packs) {
        List<Object> list = new ArrayList<>();
        for (Pack p : packs) {
            list.add(Map.of("name", p.name(), "version", p.version().toString(), "layer", p.layer().wireName(), "fips", p.fips(),
                    "confidentialComputing", p.confidentialComputing(), "cryptographic", p.layer().cryptographic()));
        }
        return Map.of("name", template, "version", version, "packs", list);
    }

    /** [{name, ids, rating, score, package, fixedIn, fixAvailable}]: a finding without a score has -1.0 and rating "unscored". */
    public static List<Object> findings(Collection<Exposure.Hit> hits) {
        List<Object> out = new ArrayList<>();
        for (Exposure.Hit h : hits) {
            out.add(Map.of("name", h.finding().name(), "ids", List.copyOf(h.finding().ids()),
                    "rating", h.finding().rating().map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("unscored"),
                    "score", h.finding().score().orElse(-1.0),
                    "package", h.pkg().ecosystem() + " " + h.pkg().name() + " " + h.pkg().version(),
                    "fixedIn", h.fixedIn() == null ? "" : h.fixedIn(), "fixAvailable", h.fixedIn() != null));
        }
        return out;
    }

    /** A site an environment's nodes are in: {name, jurisdiction, region}. */
    public static Map<String, Object> site(String name, String jurisdiction, String region) {
        return Map.of("name", name, "jurisdiction", jurisdiction, "region", region);
    }

    /**
     * {name, stage, fips, sites}: {@code fips} when the environment or its tenant is marked FIPS; {@code sites}
     * where its nodes are.
     */
    public static Map<String, Object> environment(Resource env, boolean tenantFips, List<Map<String, Object>> sites) {
        return Map.of("name", env.name(), "stage", env.spec().path("stage").asText(""),
                "fips", tenantFips || env.spec().path("fips").asBoolean(false), "sites", List.copyOf(sites));
    }

    /**
     * {name, app, project, gpus, gpuModel, dataClassification, confidential, createdBy}: gpus are all its replicas'
     * GPUs; a workload is confidential when it asks to be or its tenant requires it; an unclassified one is internal.
     */
    public static Map<String, Object> workload(Resource w, boolean tenantConfidential, String createdBy) {
        return workload(w, (long) w.spec().path("replicas").asInt(1) * w.spec().path("gpusPerReplica").asInt(0), tenantConfidential, createdBy);
    }

    /** {@link #workload(Resource, boolean, String)} with its GPUs counted by the caller (per replica from its AppTemplate's profile, say). */
    public static Map<String, Object> workload(Resource w, long gpus, boolean tenantConfidential, String createdBy) {
        JsonNode s = w.spec();
        return Map.of("name", w.name(), "app", s.path("app").asText(""), "project", s.path("project").asText(""),
                "gpus", gpus, "gpuModel", s.path("gpuModel").asText(""),
                "dataClassification", s.path("dataClassification").asText("internal"),
                "confidential", tenantConfidential || s.path("confidential").asBoolean(false),
                "createdBy", createdBy == null ? "" : createdBy);
    }

    /** {name, roles}: who is writing, with their roles in the object's tenant ("platform-admin" for platform admins). */
    public static Map<String, Object> caller(String name, Collection<String> roles) {
        return Map.of("name", name, "roles", List.copyOf(roles));
    }

    /** {userGpus}: GPUs the caller's other workloads of the tenant ask for. */
    public static Map<String, Object> usage(long userGpus) {
        return Map.of("userGpus", userGpus);
    }

    /** A node the scheduler considers: {name, site, jurisdiction, region, gpuModel, confidentialComputing}. */
    public static Map<String, Object> node(String name, String site, String jurisdiction, String region, String gpuModel,
                                           boolean confidentialComputing) {
        return Map.of("name", name, "site", site, "jurisdiction", jurisdiction, "region", region, "gpuModel", gpuModel,
                "confidentialComputing", confidentialComputing);
    }

    /** JSON as CEL values: objects are maps, arrays lists, integers longs, other numbers doubles; nulls are left out. */
    public static Object json(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return Map.of();
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) out.put(e.getKey(), json(e.getValue()));
            });
            return out;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(n -> {
                if (!n.isNull()) out.add(json(n));
            });
            return out;
        }
        if (node.isBoolean()) return node.booleanValue();
        if (node.isIntegralNumber() && node.canConvertToLong()) return node.longValue();
        if (node.isNumber()) return node.doubleValue();
        return node.asText();
    }
}
