package dev.millwright.infra.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.catalog.Pack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StackManifestsTest {
    private static List<JsonNode> render(List<Pack> packs) {
        return StackManifests.render("gpu-h100", "1.4.0", packs, Map.of("millwright.dev/node-pool", "h100-a"))
                .stream().map(Manifests::toTree).toList();
    }

    @Test
    @DisplayName("the ClusterPolicy pins each component to the version GPU Operator 26.3.3 ships (its values.yaml)")
    void componentVersionsComeFromTheOperatorRelease() {
        JsonNode spec = render(Cases.stackPacks()).get(0).path("spec");
        // gpu_operator_component_versions.csv, row v26.3.3
        assertThat(spec.at("/toolkit/version").asText()).isEqualTo("v1.19.1");
        assertThat(spec.at("/devicePlugin/version").asText()).isEqualTo("v0.19.3");
        assertThat(spec.at("/dcgm/version").asText()).isEqualTo("4.5.2-1-ubuntu22.04");
        assertThat(spec.at("/dcgmExporter/version").asText()).isEqualTo("4.5.3-4.8.2-distroless");
        assertThat(spec.at("/migManager/version").asText()).isEqualTo("v0.14.2");
        // GFD ships in the device plugin's image since v0.15
        assertThat(spec.at("/gfd/repository").asText() + "/" + spec.at("/gfd/image").asText())
                .isEqualTo("nvcr.io/nvidia/k8s-device-plugin");
        assertThat(spec.at("/gfd/version").asText()).isEqualTo("v0.19.3");
        assertThat(spec.at("/validator/version").asText()).isEqualTo("v26.3.3");
        assertThat(spec.at("/toolkit/enabled").asBoolean()).isTrue();
        assertThat(spec.at("/dcgm/enabled").asBoolean()).isFalse();
    }

    @Test
    @DisplayName("the template's driver goes to an NVIDIADriver for the environment's nodes, which the ClusterPolicy defers to")
    void driverPackRendersAnNvidiaDriver() {
        List<JsonNode> objects = render(Cases.stackPacks());
        assertThat(objects).extracting(o -> o.path("kind").asText()).containsExactly("ClusterPolicy", "NVIDIADriver");
        assertThat(objects.get(0).at("/spec/driver/useNvidiaDriverCRD").asBoolean()).isTrue();
        assertThat(objects.get(0).at("/spec/driver/version").asText()).isEqualTo("580.126.20");

        JsonNode driver = objects.get(1);
        assertThat(driver.at("/metadata/name").asText()).isEqualTo("gpu-h100");
        assertThat(driver.at("/spec/driverType").asText()).isEqualTo("gpu");
        assertThat(driver.at("/spec/version").asText()).isEqualTo("580.126.20");
        assertThat(driver.at("/spec/nodeSelector").toString()).isEqualTo("{\"millwright.dev/node-pool\":\"h100-a\"}");
        assertThat(driver.at("/metadata/annotations").get("millwright.dev/stack-template-version").asText()).isEqualTo("1.4.0");
    }

    @Test
    @DisplayName("without a gpu-driver pack the ClusterPolicy installs the operator release's default driver, and no NVIDIADriver is rendered")
    void noDriverPackUsesOperatorDefault() {
        Pack operator = BuiltInCatalog.load().find("gpu-operator", "26.7.0").orElseThrow();
        List<JsonNode> objects = render(List.of(operator));

        assertThat(objects).hasSize(1);
        assertThat(objects.get(0).at("/spec/driver/useNvidiaDriverCRD").asBoolean()).isFalse();
        assertThat(objects.get(0).at("/spec/driver/version").asText()).isEqualTo("595.91.07");
        assertThat(CrdSchemas.errors(objects.get(0))).isEmpty();
    }

    @Test
    @DisplayName("an old release that ships GPU Feature Discovery as its own image gets that image")
    void oldReleaseHasItsOwnGfdImage() {
        Pack operator = BuiltInCatalog.load().find("gpu-operator", "1.9.0").orElseThrow();
        JsonNode policy = render(List.of(operator)).get(0);

        assertThat(policy.at("/spec/gfd/image").asText()).isEqualTo("gpu-feature-discovery");
        assertThat(policy.at("/spec/gfd/version").asText()).isEqualTo("v0.4.1");
        assertThat(CrdSchemas.errors(policy)).isEmpty();
    }

    @Test
    @DisplayName("a template without a gpu-operator pack is refused, naming the template")
    void operatorPackIsRequired() {
        Pack driver = BuiltInCatalog.load().find("gpu-driver", "580.126.20").orElseThrow();
        assertThatThrownBy(() -> render(List.of(driver)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpu-h100 1.4.0").hasMessageContaining("gpu-operator");
    }
}
