package dev.millwright.infra.kubernetes;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rendered YAML equals the reviewed files in src/test/resources/golden (regenerate: see {@link GoldenFiles}). */
class GoldenManifestsTest {
    static List<Cases> workloads() {
        return Cases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    @DisplayName("each demo app type and each shape renders as its golden file")
    void workloadRendersAsGolden(Cases c) {
        GoldenFiles.assertMatches(c.name(), Manifests.toYaml(WorkloadManifests.render(c.workload(), c.machines())));
    }

    @Test
    @DisplayName("a template's GPU layers render as the golden ClusterPolicy and NVIDIADriver")
    void stackRendersAsGolden() {
        GoldenFiles.assertMatches("stack", Manifests.toYaml(Cases.stack()));
    }

    @Test
    @DisplayName("an environment's GPU quota renders as the golden Kueue objects")
    void quotaRendersAsGolden() {
        GoldenFiles.assertMatches("quota", Manifests.toYaml(Cases.quota()));
    }
}
