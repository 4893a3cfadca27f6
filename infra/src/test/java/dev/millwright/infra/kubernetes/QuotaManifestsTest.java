package dev.millwright.infra.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuotaManifestsTest {
    private static List<JsonNode> quota() {
        return Cases.quota().stream().map(Manifests::toTree).toList();
    }

    @Test
    @DisplayName("one ResourceFlavor per GPU model selects nodes by GPU Feature Discovery's product label")
    void flavorPerModel() {
        List<JsonNode> objects = quota();
        assertThat(objects).extracting(o -> o.path("kind").asText() + " " + o.at("/metadata/name").asText())
                .containsExactly("ResourceFlavor nvidia-h100-80gb-hbm3", "ResourceFlavor nvidia-l40s",
                        "ClusterQueue acme-prod", "LocalQueue prod");
        assertThat(objects.get(0).at("/spec/nodeLabels").toString()).isEqualTo("{\"nvidia.com/gpu.product\":\"NVIDIA-H100-80GB-HBM3\"}");
    }

    @Test
    @DisplayName("the ClusterQueue guarantees each model's GPUs to the environment's namespace, in the tenant's cohort")
    void clusterQueue() {
        JsonNode spec = quota().get(2).path("spec");
        assertThat(spec.path("cohortName").asText()).isEqualTo("acme");
        assertThat(spec.at("/namespaceSelector/matchLabels").toString()).isEqualTo("{\"kubernetes.io/metadata.name\":\"acme-prod\"}");
        assertThat(spec.at("/resourceGroups/0/coveredResources").toString()).isEqualTo("[\"nvidia.com/gpu\"]");
        JsonNode flavors = spec.at("/resourceGroups/0/flavors");
        assertThat(flavors.at("/0/name").asText()).isEqualTo("nvidia-h100-80gb-hbm3");
        assertThat(flavors.at("/0/resources/0/nominalQuota").asInt()).isEqualTo(16);
        assertThat(flavors.at("/1/name").asText()).isEqualTo("nvidia-l40s");
        assertThat(flavors.at("/1/resources/0/nominalQuota").asInt()).isEqualTo(8);
    }

    @Test
    @DisplayName("the LocalQueue sits in the environment's namespace and points at its ClusterQueue")
    void localQueue() {
        JsonNode local = quota().get(3);
        assertThat(local.at("/metadata/namespace").asText()).isEqualTo("acme-prod");
        assertThat(local.at("/spec/clusterQueue").asText()).isEqualTo("acme-prod");
        assertThat(local.at("/metadata/name").asText()).isEqualTo(QuotaManifests.localQueueName("prod"));
    }

    @Test
    @DisplayName("an empty quota gives a ClusterQueue with no resource group, which admits no GPU job, and passes its schema")
    void emptyQuota() {
        List<JsonNode> objects = QuotaManifests.render("acme", "dev", Map.of()).stream().map(Manifests::toTree).toList();
        assertThat(objects).extracting(o -> o.path("kind").asText()).containsExactly("ClusterQueue", "LocalQueue");
        assertThat(objects.get(0).path("spec").has("resourceGroups")).isFalse();
        objects.forEach(o -> assertThat(CrdSchemas.errors(o)).isEmpty());
    }

    @Test
    @DisplayName("a negative count is refused, naming the model and environment")
    void negativeQuotaIsRefused() {
        assertThatThrownBy(() -> QuotaManifests.render("acme", "prod", Map.of("NVIDIA L40S", -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NVIDIA L40S").hasMessageContaining("acme/prod");
    }
}
