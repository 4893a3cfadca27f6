package dev.millwright.infra.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The inferenceservice shape: a KServe {@code serving.kserve.io/v1beta1} InferenceService with a custom predictor container. */
final class InferenceServices {
    static final String API_VERSION = "serving.kserve.io/v1beta1";
    static final String KIND = "InferenceService";
    /** KServe finds the serving container of a custom predictor by this name. */
    static final String CONTAINER = "kserve-container";

    private InferenceServices() {
    }

    /**
     * Raw deployment mode: a GPU endpoint runs a fixed replica count (minReplicas = maxReplicas), so it needs
     * neither Knative's scale-to-zero nor its one-port limit, and Millwright's scheduler owns the count.
     */
    static HasMetadata render(Target t) {
        Map<String, Object> predictor = new LinkedHashMap<>();
        predictor.put("minReplicas", t.c().replicas());
        predictor.put("maxReplicas", t.c().replicas());
        predictor.put("labels", t.labels());
        predictor.putAll(Manifests.asMap(t.podSpec(t.container(CONTAINER))));
        ObjectMeta meta = new ObjectMetaBuilder(t.metadata())
                .addToAnnotations("serving.kserve.io/deploymentMode", "RawDeployment").build();
        return Manifests.custom(API_VERSION, KIND, meta, Map.of("predictor", predictor));
    }
}
