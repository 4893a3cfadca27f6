package dev.millwright.infra.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Rendered objects as text: the YAML a person reads or pipes into {@code kubectl apply -f -}. */
public final class Manifests {
    /**
     * fabric8 8 annotates its model for Jackson 3 (its quantity and int-or-string serializers are Jackson 3
     * types), so objects go through a Jackson 3 mapper to plain maps first; the project's Jackson 2 YAML writer
     * takes it from there. Its defaults leave out nulls and empty lists the model marks so.
     */
    private static final JsonMapper MODEL = JsonMapper.builder().build();

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private Manifests() {
    }

    /**
     * One multi-document YAML string, each object after a {@code ---} line, in the order given (the render
     * methods return a stable order). No field is null and no object carries an empty {@code status}.
     */
    public static String toYaml(List<? extends HasMetadata> objects) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata o : objects) out.append("---\n").append(Json.yaml(toTree(o)));
        return out.toString();
    }

    /** One object as a JSON tree, pruned as {@link #toYaml} prints it: what schema checks and API answers use. */
    public static JsonNode toTree(HasMetadata object) {
        Map<String, Object> map = asMap(object);
        if (map.get("status") instanceof Map<?, ?> status && status.isEmpty()) map.remove("status");
        return Json.MAPPER.valueToTree(map);
    }

    /** A fabric8 model object (a pod spec, a container, a whole resource) as plain maps, lists and scalars, nulls left out. */
    static Map<String, Object> asMap(Object model) {
        return withoutNulls(MODEL.convertValue(model, MAP));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) out.put(k, withoutNulls((Map<String, Object>) m));
            else if (v instanceof List<?> l) out.put(k, withoutNulls(l));
            else if (v != null) out.put(k, v);
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> withoutNulls(List<?> list) {
        List<Object> out = new ArrayList<>();
        for (Object v : list) {
            if (v instanceof Map<?, ?> m) out.add(withoutNulls((Map<String, Object>) m));
            else if (v instanceof List<?> l) out.add(withoutNulls(l));
            else if (v != null) out.add(v);
        }
        return out;
    }

    /** A custom resource: apiVersion, kind, metadata, and its spec as maps. */
    static GenericKubernetesResource custom(String apiVersion, String kind, ObjectMeta metadata, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(apiVersion);
        r.setKind(kind);
        r.setMetadata(metadata);
        r.setAdditionalProperty("spec", spec);
        return r;
    }
}
