package dev.millwright.infra.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rendered custom resource is valid against its project's CRD schema, with unknown fields rejected. */
class CrdSchemaValidationTest {
    record Rendered(String where, JsonNode object) {
        @Override
        public String toString() {
            return where + " " + object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
        }
    }

    static Stream<Rendered> customResources() {
        List<Rendered> out = new ArrayList<>();
        for (Cases c : Cases.all()) add(out, c.name(), WorkloadManifests.render(c.workload(), c.machines()));
        add(out, "unplaced " + Cases.vllm().name(), WorkloadManifests.render(Cases.vllm().workload(), List.of()));
        for (var w : DemoApps.resolved()) add(out, "demo " + w.app(), WorkloadManifests.render(w, List.of("gpu-a-01")));
        add(out, "stack", Cases.stack());
        add(out, "quota", Cases.quota());
        return out.stream().filter(r -> CrdSchemas.isCustom(r.object()));
    }

    private static void add(List<Rendered> out, String where, List<HasMetadata> objects) {
        for (HasMetadata o : objects) out.add(new Rendered(where, Manifests.toTree(o)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("customResources")
    @DisplayName("a rendered custom resource passes its strict CRD schema")
    void validAgainstStrictSchema(Rendered r) {
        assertThat(CrdSchemas.errors(r.object())).isEmpty();
    }

    @Test
    @DisplayName("every custom resource kind Millwright renders has a schema and is rendered by some case")
    void everySchemaIsExercised() {
        List<String> kinds = customResources()
                .map(r -> r.object().path("apiVersion").asText() + " " + r.object().path("kind").asText())
                .distinct().toList();
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(CrdSchemas.FILES.keySet());
    }

    @Test
    @DisplayName("a misspelled InferenceService field fails validation, naming the field")
    void misspelledPredictorFieldIsRejected() {
        ObjectNode isvc = (ObjectNode) Manifests.toTree(WorkloadManifests.render(Cases.vllm().workload(), List.of()).get(0));
        ObjectNode predictor = (ObjectNode) isvc.path("spec").path("predictor");
        predictor.set("minReplica", predictor.remove("minReplicas"));

        assertThat(CrdSchemas.errors(isvc)).containsExactly("spec.predictor.minReplica: unknown field");
    }

    @Test
    @DisplayName("a misspelled field deep in a KubeRay pod template fails only because the test makes the raw schema strict")
    void rawSchemasAreMadeStrict() {
        ObjectNode cluster = (ObjectNode) Manifests.toTree(
                WorkloadManifests.render(Cases.rayCluster().workload(), Cases.rayCluster().machines()).get(0));
        ObjectNode container = (ObjectNode) cluster.at("/spec/workerGroupSpecs/0/template/spec/containers/0");
        container.set("resource", container.remove("resources"));

        assertThat(CrdSchemas.rawErrors(cluster)).as("KubeRay's published schema accepts unknown fields").isEmpty();
        assertThat(CrdSchemas.errors(cluster))
                .containsExactly("spec.workerGroupSpecs[0].template.spec.containers[0].resource: unknown field");
    }

    @Test
    @DisplayName("a wrong type is rejected too: a Kueue nominal quota must be a quantity")
    void wrongTypeIsRejected() {
        ObjectNode queue = (ObjectNode) Manifests.toTree(Cases.quota().get(2));
        ((ObjectNode) queue.at("/spec/resourceGroups/0/flavors/0/resources/0")).put("nominalQuota", true);

        assertThat(CrdSchemas.errors(queue)).isNotEmpty()
                .allMatch(e -> e.startsWith("spec.resourceGroups[0].flavors[0].resources[0].nominalQuota"));
    }
}
