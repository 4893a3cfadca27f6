package dev.millwright.infra.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CRD schemas in {@code src/test/resources/k8s-schemas} (see the README there), made strict at load time,
 * and the errors they find in a rendered object, as {@code "spec.predictor.minReplica: unknown field"}.
 */
final class CrdSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

    /** apiVersion + " " + kind, and the schema file of that version of the resource. */
    static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("serving.kserve.io/v1beta1 InferenceService", "serving.kserve.io_inferenceservice_v1beta1.json"),
            Map.entry("ray.io/v1 RayCluster", "ray.io_raycluster_v1.json"),
            Map.entry("ray.io/v1 RayJob", "ray.io_rayjob_v1.json"),
            Map.entry("trainer.kubeflow.org/v1alpha1 TrainJob", "trainer.kubeflow.org_trainjob_v1alpha1.json"),
            Map.entry("kubeflow.org/v1 PyTorchJob", "kubeflow.org_pytorchjob_v1.json"),
            Map.entry("nvidia.com/v1 ClusterPolicy", "nvidia.com_clusterpolicy_v1.json"),
            Map.entry("nvidia.com/v1alpha1 NVIDIADriver", "nvidia.com_nvidiadriver_v1alpha1.json"),
            Map.entry("kueue.x-k8s.io/v1beta2 ClusterQueue", "kueue.x-k8s.io_clusterqueue_v1beta2.json"),
            Map.entry("kueue.x-k8s.io/v1beta2 LocalQueue", "kueue.x-k8s.io_localqueue_v1beta2.json"),
            Map.entry("kueue.x-k8s.io/v1beta2 ResourceFlavor", "kueue.x-k8s.io_resourceflavor_v1beta2.json"));

    private static final Map<String, Schema> STRICT = new ConcurrentHashMap<>();

    private CrdSchemas() {
    }

    /** Whether the object is a custom resource: anything outside the core and apps groups. */
    static boolean isCustom(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        return !apiVersion.equals("v1") && !apiVersion.startsWith("apps/");
    }

    /** The object's errors against its strict schema, sorted; empty when it is valid. */
    static List<String> errors(JsonNode object) {
        return errors(STRICT.computeIfAbsent(fileOf(object), f -> REGISTRY.getSchema(strict(load(f)))), object);
    }

    /** The object's errors against its schema as published, without the added strictness. */
    static List<String> rawErrors(JsonNode object) {
        return errors(REGISTRY.getSchema(load(fileOf(object))), object);
    }

    private static String fileOf(JsonNode object) {
        String key = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        String file = FILES.get(key);
        if (file == null) throw new AssertionError("no CRD schema in k8s-schemas for " + key);
        return file;
    }

    private static List<String> errors(Schema schema, JsonNode object) {
        TreeSet<String> out = new TreeSet<>();
        for (Error e : schema.validate(object)) out.add(path(e) + ": " + reason(e));
        return List.copyOf(out);
    }

    static JsonNode load(String file) {
        try (InputStream in = CrdSchemas.class.getResourceAsStream("/k8s-schemas/" + file)) {
            if (in == null) throw new AssertionError("k8s-schemas/" + file + " is missing from the test classpath");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds {@code additionalProperties: false} to every object schema that has {@code properties}, no
     * {@code additionalProperties} and no {@code x-kubernetes-preserve-unknown-fields: true}, as kubeconform's
     * openapi2jsonschema does. Walks schema positions only (properties, items, additionalProperties,
     * combinators), so a field that happens to be named "properties" is not mistaken for a schema keyword.
     */
    static JsonNode strict(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        tighten(copy);
        return copy;
    }

    private static void tighten(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) return;
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.isObject()) {
            properties.forEach(CrdSchemas::tighten);
            boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (!schema.has("additionalProperties") && !preserve) schema.put("additionalProperties", false);
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) items.forEach(CrdSchemas::tighten);
        else tighten(items);
        tighten(schema.get("additionalProperties"));
        tighten(schema.get("not"));
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode all = schema.get(combinator);
            if (all != null && all.isArray()) all.forEach(CrdSchemas::tighten);
        }
    }

    /** ".spec.predictor.minReplica": the instance location, and for an unknown or missing field the field itself. */
    private static String path(Error e) {
        StringBuilder path = new StringBuilder();
        NodePath location = e.getInstanceLocation();
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) path.append('[').append(index).append(']');
            else path.append('.').append(element);
        }
        if (("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword())) && e.getProperty() != null) {
            path.append('.').append(e.getProperty());
        }
        return path.length() == 0 ? "." : path.substring(1);
    }

    private static String reason(Error e) {
        if ("additionalProperties".equals(e.getKeyword())) return "unknown field";
        if ("required".equals(e.getKeyword())) return "required field is missing";
        return e.getMessage();
    }
}
