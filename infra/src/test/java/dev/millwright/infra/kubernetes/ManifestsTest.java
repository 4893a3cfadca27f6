package dev.millwright.infra.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.millwright.resource.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    private static List<HasMetadata> everything() {
        List<HasMetadata> all = new ArrayList<>();
        for (Cases c : Cases.all()) all.addAll(WorkloadManifests.render(c.workload(), c.machines()));
        all.addAll(Cases.stack());
        all.addAll(Cases.quota());
        return all;
    }

    @Test
    @DisplayName("the YAML holds one document per object, each reading back as the object's tree")
    void multiDocumentYamlReadsBack() throws IOException {
        List<HasMetadata> objects = everything();
        List<JsonNode> docs;
        try (MappingIterator<JsonNode> it = Json.YAML.readerFor(JsonNode.class).readValues(Manifests.toYaml(objects))) {
            docs = it.readAll();
        }
        assertThat(docs).hasSize(objects.size());
        for (int i = 0; i < docs.size(); i++) {
            assertThat(Json.equivalent(docs.get(i), Manifests.toTree(objects.get(i)))).as("document %d", i).isTrue();
        }
    }

    @Test
    @DisplayName("no field is null and no object carries a status")
    void noNullsNoStatus() {
        for (HasMetadata o : everything()) {
            JsonNode tree = Manifests.toTree(o);
            assertThat(tree.has("status")).as(o.getKind()).isFalse();
            assertNoNulls(tree, o.getKind() + " " + o.getMetadata().getName());
        }
    }

    private static void assertNoNulls(JsonNode node, String where) {
        assertThat(node.isNull()).as(where).isFalse();
        node.forEach(child -> assertNoNulls(child, where));
    }

    @Test
    @DisplayName("rendering twice gives the same bytes")
    void deterministic() {
        assertThat(Manifests.toYaml(everything())).isEqualTo(Manifests.toYaml(everything()));
    }
}
