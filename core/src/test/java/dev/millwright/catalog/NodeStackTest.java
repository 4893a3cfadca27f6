package dev.millwright.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NodeStackTest {
    private static final Catalog CATALOG = BuiltInCatalog.load();

    private static Pack pack(String name, String version) {
        return CATALOG.find(name, version).orElseThrow();
    }

    private static TreeMap<String, String> node(String... packVersionPairs) {
        TreeMap<String, String> out = new TreeMap<>();
        for (int i = 0; i < packVersionPairs.length; i += 2) out.put(packVersionPairs[i], packVersionPairs[i + 1]);
        return out;
    }

    @Test
    void installsTheFirstDifferingPackInLayerOrder() {
        List<Pack> desired = List.of(pack("gpu-driver", "580.95.05"), pack("cuda", "12.8.0"), pack("vllm", "0.8.5"));
        var installed = node("gpu-driver", "580.95.05", "cuda", "12.4.1", "ubuntu", "24.04.4");

        assertThat(NodeStack.next(desired, Set.of(), installed)).contains(new NodeStack.Step("cuda", "12.8.0"));
        assertThat(NodeStack.inSync(desired, installed)).isFalse();
    }

    @Test
    void removesOnlyPacksAnEarlierStackPutThere() {
        List<Pack> desired = List.of(pack("cuda", "12.8.0"));
        var installed = node("cuda", "12.8.0", "vllm", "0.8.5", "ubuntu", "24.04.4");

        assertThat(NodeStack.next(desired, Set.of("cuda", "vllm"), installed)).contains(new NodeStack.Step("vllm", null));
        assertThat(NodeStack.next(desired, Set.of("cuda"), installed)).as("the OS image was never Millwright's").isEmpty();
        assertThat(NodeStack.inSync(desired, installed)).isTrue();
    }
}
