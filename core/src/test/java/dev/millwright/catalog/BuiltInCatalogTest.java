package dev.millwright.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInCatalogTest {
    private static final Catalog CATALOG = BuiltInCatalog.load();

    private static Pack pack(String name, String version) {
        return CATALOG.find(name, version).orElseThrow(() -> new AssertionError(name + " " + version + " is not in the built-in catalog"));
    }

    private static Optional<Pack.Requirement> requirement(Pack p, String on) {
        return p.requires().stream().filter(r -> r.pack().equals(on)).findFirst();
    }

    @Test
    @DisplayName("load() builds once and hands out the same catalog")
    void loadIsCached() {
        assertThat(BuiltInCatalog.load()).isSameAs(CATALOG);
    }

    @Test
    @DisplayName("every pack says where its facts come from: a data file and line, or frameworks.yaml")
    void everyPackHasASource() {
        for (String name : CATALOG.names()) {
            for (Pack p : CATALOG.versions(name)) {
                assertThat(p.source()).as(p.id()).isNotBlank().startsWith(p.id() + " from ")
                        .containsPattern("\\.csv line \\d+|frameworks\\.yaml \\(.+\\)");
            }
        }
    }

    @Test
    @DisplayName("every requirement cites its source and some pack in the catalog satisfies it")
    void everyRequirementIsSourcedAndSatisfiable() {
        for (String name : CATALOG.names()) {
            for (Pack p : CATALOG.versions(name)) {
                for (Pack.Requirement r : p.requires()) {
                    assertThat(r.reason()).as(p.id() + " -> " + r.pack()).matches("[^(]+ \\(.+\\)\\.");
                    assertThat(CATALOG.versions(r.pack())).as(p.id() + " needs " + r.pack() + " " + r.range())
                            .anyMatch(candidate -> r.range().contains(candidate.version()));
                }
            }
        }
    }

    @Test
    @DisplayName("only a few intentional things are skipped, each told as file:line: why")
    void skippedIsSmallAndIntentional() {
        List<String> skipped = BuiltInCatalog.skipped();
        assertThat(skipped).hasSizeLessThanOrEqualTo(5).allMatch(s -> s.matches("[\\w.]+:[^:]+: .+"));
        assertThat(skipped).anyMatch(s -> s.startsWith("nvidia_driver_branches_nvidia_docs.csv:9: ") && s.contains("R550"));
        assertThat(skipped).anyMatch(s -> s.contains("branch R620") && s.contains("no driver release"));
        assertThat(skipped).noneMatch(s -> s.startsWith("cuda_") || s.startsWith("gpu_operator_") || s.startsWith("frameworks.yaml"));
    }

    @Test
    @DisplayName("the catalog holds every pack name the data gives and the six frameworks")
    void holdsEveryPackName() {
        assertThat(CATALOG.names()).containsExactlyInAnyOrder("gpu-driver", "cuda", "gpu-operator", "kubernetes", "containerd",
                "cilium", "calico", "ubuntu", "rhel", "vllm", "triton-inference-server", "kserve", "kuberay",
                "kubeflow-trainer", "jupyterhub");
        assertThat(CATALOG.versions("vllm")).allMatch(p -> p.layer() == Layer.SERVING);
        assertThat(CATALOG.versions("triton-inference-server")).allMatch(p -> p.layer() == Layer.SERVING);
        assertThat(CATALOG.versions("kserve")).allMatch(p -> p.layer() == Layer.SERVING);
        assertThat(CATALOG.versions("kuberay")).allMatch(p -> p.layer() == Layer.TRAINING);
        assertThat(CATALOG.versions("kubeflow-trainer")).allMatch(p -> p.layer() == Layer.TRAINING);
        assertThat(CATALOG.versions("jupyterhub")).allMatch(p -> p.layer() == Layer.MLOPS);
    }

    @Test
    @DisplayName("driver branches 535, 550, 570, 580 and 590 are there, each release dated by its branch")
    void driverBranches() {
        List<Pack> drivers = CATALOG.versions("gpu-driver");
        assertThat(drivers.stream().map(p -> p.version().major()).collect(Collectors.toSet())).contains(535, 550, 570, 580, 590);
        assertThat(drivers).allMatch(p -> p.layer() == Layer.GPU_DRIVER && p.endOfLife() != null);
        assertThat(pack("gpu-driver", "570.86.15").source()).contains("gpu_operator_supported_drivers.csv line 5");
        assertThat(pack("gpu-driver", "590.48.01").endOfLife()).isEqualTo(LocalDate.of(2026, 12, 22));
        assertThat(pack("gpu-driver", "535.161.07").endOfLife()).isEqualTo(LocalDate.of(2026, 6, 1));
    }

    @ParameterizedTest(name = "R{0} ends {1}")
    @CsvSource({
            "535.309.01, 2026-06-01", // endoflife.date 2026-06-01, NVIDIA "June 2026"
            "570.211.01, 2026-01-27", // endoflife.date 2026-01-27 is before NVIDIA's "February 2026"
            "580.178.04, 2028-06-30", // NVIDIA's later "June 2028" is before endoflife.date's 2028-08-04
            "550.163.01, 2025-04-17", // NVIDIA gives no date for R550; endoflife.date does
    })
    @DisplayName("a driver branch ends at the earliest date its sources give, a month read as its last day")
    void driverEndOfLifeIsTheEarliestSource(String release, LocalDate endOfLife) {
        Pack driver = pack("gpu-driver", release);
        assertThat(driver.endOfLife()).isEqualTo(endOfLife);
        assertThat(driver.source()).contains("end of life of branch R" + driver.version().major());
    }

    @Test
    @DisplayName("CUDA runs from 11.8 to 13.x, and 12.8 GA needs the driver its release notes give: 570.26")
    void cudaNeedsItsMinimumDriver() {
        List<Pack> cuda = CATALOG.versions("cuda");
        assertThat(cuda.get(cuda.size() - 1).version()).hasToString("11.8.0");
        assertThat(cuda.get(0).version().major()).isEqualTo(13);
        assertThat(cuda).hasSize(26).allMatch(p -> requirement(p, "gpu-driver").isPresent());

        Pack.Requirement driver = requirement(pack("cuda", "12.8.0"), "gpu-driver").orElseThrow();
        assertThat(driver.range().contains(Version.of("570.26"))).isTrue();
        assertThat(driver.range().contains(Version.of("570.86.15"))).isTrue();
        assertThat(driver.range().contains(Version.of("565.57.01"))).isFalse();
        assertThat(driver.reason()).startsWith("CUDA 12.8 GA needs a Linux x86_64 driver >= 570.26 (NVIDIA CUDA Toolkit 13.1 Release Notes")
                .contains("not the R525 floor of CUDA 12.x minor-version compatibility");
        assertThat(pack("cuda", "12.8.0").source()).contains("cuda_toolkit_min_driver.csv line 9");
    }

    @Test
    @DisplayName("a minimum driver written with a leading zero still becomes a range: CUDA 13.0 needs >= 580.65.06")
    void cudaMinimumWithLeadingZero() {
        Pack.Requirement driver = requirement(pack("cuda", "13.0.0"), "gpu-driver").orElseThrow();
        assertThat(driver.range().contains(Version.of("580.65.06"))).isTrue();
        assertThat(driver.range().contains(Version.of("580.65.5"))).isFalse();
        assertThat(driver.range().contains(Version.of("575.57.08"))).isFalse();
    }

    @Test
    @DisplayName("cuda 12.8 is found by its short name")
    void findsCudaByShortVersion() {
        assertThat(CATALOG.find("cuda", "12.8")).isPresent();
    }

    @ParameterizedTest(name = "GPU Operator {0} supports Kubernetes {1}")
    @CsvSource({
            "23.9.2,  '>=1.22.0 <1.30.0'",
            "24.9.0,  '>=1.24.0 <1.32.0'",
            "25.3.4,  '>=1.29.0 <1.34.0'",
            "25.10.0, '>=1.30.0 <1.35.0'", // docs tag v25.10 covers the 25.10 line
            "25.10.1, '>=1.30.0 <1.35.0'",
            "26.7.0,  '>=1.32.0 <1.37.0'", // Ubuntu 24.04 from 1.32, the other OSes from 1.33: the union
    })
    @DisplayName("a GPU Operator release requires Kubernetes in the range of its platform-support page")
    void gpuOperatorKubernetesRange(String release, String range) {
        Pack.Requirement k8s = requirement(pack("gpu-operator", release), "kubernetes").orElseThrow();
        assertThat(k8s.range()).hasToString(range);
        assertThat(k8s.reason()).startsWith("GPU Operator " + release + " supports Kubernetes ").contains("platform-support.rst");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.9.0", "23.6.2"})
    @DisplayName("a GPU Operator release of a line the docs never list has no Kubernetes requirement, and says so")
    void gpuOperatorWithoutPlatformSupport(String release) {
        Pack operator = pack("gpu-operator", release);
        assertThat(requirement(operator, "kubernetes")).isEmpty();
        assertThat(operator.source()).contains("no platform-support row for this release");
    }

    @Test
    @DisplayName("a GPU Operator release requires one of the driver branches its component matrix lists")
    void gpuOperatorRequiresItsValidatedDriverBranches() {
        Pack.Requirement drivers = requirement(pack("gpu-operator", "25.10.1"), "gpu-driver").orElseThrow();
        assertThat(drivers.range().contains(Version.of("580.95.05"))).isTrue();
        assertThat(drivers.range().contains(Version.of("535.288.01"))).isTrue();
        assertThat(drivers.range().contains(Version.of("610.57.04"))).isFalse();
        assertThat(drivers.range().contains(Version.of("560.35.03"))).isFalse();
        assertThat(drivers.reason()).contains("580, 575, 570, 550, 535");

        Solution s = CompatibilitySolver.newest(CATALOG, List.of("kubernetes", "gpu-operator", "gpu-driver"),
                java.util.Map.of("kubernetes", VersionRange.of("1.31.x")), java.time.LocalDate.of(2026, 11, 27));
        Stack stack = s.found().orElseThrow();
        assertThat(stack.get("gpu-driver").orElseThrow().version().major()).isLessThan(590);
    }

    @Test
    @DisplayName("a GPU Operator release conflicts with a containerd outside the range its platform-support page lists")
    void gpuOperatorContainerdRange() {
        Pack operator = pack("gpu-operator", "26.3.3");
        Pack.Requirement rule = operator.conflicts().stream().filter(r -> r.pack().equals("containerd")).findFirst().orElseThrow();
        assertThat(rule.reason()).contains("supports containerd 1.7-2.2").contains("docs tag v26.3");

        var ok = CompatibilitySolver.validate(new Stack(List.of(operator, pack("containerd", "2.2.7"), pack("kubernetes", "1.33.13"),
                pack("gpu-driver", "580.126.20"))), java.time.LocalDate.of(2026, 11, 27));
        assertThat(ok.conflicts()).isEmpty();
        var tooNew = CompatibilitySolver.validate(new Stack(List.of(operator, pack("containerd", "2.3.4"), pack("kubernetes", "1.33.13"),
                pack("gpu-driver", "580.126.20"))), java.time.LocalDate.of(2026, 11, 27));
        assertThat(tooNew.conflicts()).singleElement().satisfies(c -> assertThat(c.message()).contains("containerd 2.3.4").contains("1.7-2.2"));
    }

    @ParameterizedTest
    @CsvSource({"24.6.1, >=1.22.0 <1.31.0", "24.9.1, >=1.24.0 <1.32.0", "25.3.2, >=1.29.0 <1.33.0"})
    @DisplayName("an unlisted patch release takes the Kubernetes range of the earliest documented patch of its line, and says so")
    void gpuOperatorPatchInheritsItsLine(String release, String range) {
        Pack operator = pack("gpu-operator", release);
        assertThat(requirement(operator, "kubernetes")).map(r -> r.range().toString()).contains(range);
        assertThat(requirement(operator, "kubernetes").orElseThrow().reason()).contains("this release is not listed");
    }

    @Test
    @DisplayName("a GPU Operator release lists the images it deploys, and Go modules for vulnerability matching")
    void gpuOperatorPackages() {
        assertThat(CATALOG.versions("gpu-operator")).hasSize(37).allMatch(p -> p.layer() == Layer.GPU_OPERATOR);
        List<Pack.SoftwarePackage> packages = pack("gpu-operator", "25.10.0").packages();
        assertThat(packages).contains(
                new Pack.SoftwarePackage("container", "nvcr.io/nvidia/gpu-operator", "v25.10.0"),
                new Pack.SoftwarePackage("container", "nvcr.io/nvidia/driver", "580.95.05"),
                new Pack.SoftwarePackage("container", "nvcr.io/nvidia/k8s/container-toolkit", "v1.18.0"),
                new Pack.SoftwarePackage("container", "nvcr.io/nvidia/k8s-device-plugin", "v0.18.0"),
                new Pack.SoftwarePackage("container", "nvcr.io/nvidia/k8s/dcgm-exporter", "4.4.1-4.6.0-distroless"),
                new Pack.SoftwarePackage("Go", "github.com/NVIDIA/nvidia-container-toolkit", "1.18.0"));
        assertThat(packages).doesNotHaveDuplicates().noneMatch(p -> p.name().equals("github.com/NVIDIA/gpu-operator"));
        assertThat(pack("gpu-operator", "1.9.0").packages())
                .contains(new Pack.SoftwarePackage("container", "nvcr.io/nvidia/gpu-feature-discovery", "v0.4.1"));
    }

    @Test
    @DisplayName("Kubernetes 1.29 to 1.36 at their latest patch, each with its end of life")
    void kubernetesReleases() {
        List<Pack> kubernetes = CATALOG.versions("kubernetes");
        assertThat(kubernetes).extracting(p -> p.version().minor()).containsExactly(36, 35, 34, 33, 32, 31, 30, 29);
        assertThat(kubernetes).allMatch(p -> p.endOfLife() != null && p.layer() == Layer.KUBERNETES);
        Pack k133 = pack("kubernetes", "1.33.13");
        assertThat(k133.endOfLife()).isEqualTo(LocalDate.of(2026, 6, 28));
        assertThat(k133.packages()).contains(new Pack.SoftwarePackage("kubernetes", "k8s.io/kubelet", "1.33.13"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "containerd, 1.7.34,  CONTAINER_RUNTIME, 2026-09-01",
            "containerd, 2.3.4,   CONTAINER_RUNTIME, 2028-04-30",
            "cilium,     1.17.18, CNI,               2026-07-29",
            "cilium,     1.20.1,  CNI,               ",
            "calico,     3.30.7,  CNI,               2026-04-30",
            "ubuntu,     22.04.5, OS,                2027-04-01",
            "ubuntu,     24.04.4, OS,                2029-05-31",
            "rhel,       9.8,     OS,                2032-05-31",
    })
    @DisplayName("runtime, CNI and OS packs carry the latest patch and end of life of their line")
    void lifecyclePacks(String name, String version, Layer layer, LocalDate endOfLife) {
        Pack p = pack(name, version);
        assertThat(p.layer()).isEqualTo(layer);
        assertThat(p.endOfLife()).isEqualTo(endOfLife);
        assertThat(p.source()).contains("eol_dates_endoflife_date.csv line ");
    }

    @Test
    @DisplayName("the frameworks carry their documented requirements")
    void frameworks() {
        assertThat(requirement(pack("vllm", "0.6.6"), "cuda").orElseThrow().range().contains(Version.of("12.1.0"))).isTrue();
        assertThat(requirement(pack("vllm", "0.8.5"), "cuda").orElseThrow().range().contains(Version.of("12.1.1"))).isFalse();
        assertThat(requirement(pack("kserve", "0.14.0"), "kubernetes").orElseThrow().range())
                .satisfies(r -> assertThat(r.contains(Version.of("1.28.0"))).isTrue())
                .satisfies(r -> assertThat(r.contains(Version.of("1.27.16"))).isFalse());
        Pack.Requirement triton = requirement(pack("triton-inference-server", "24.05"), "gpu-driver").orElseThrow();
        assertThat(triton.range().contains(Version.of("550.54.15"))).isTrue();
        assertThat(triton.range().contains(Version.of("535.161.07"))).isTrue(); // data-center forward compatibility
        assertThat(triton.range().contains(Version.of("530.41.03"))).isFalse();
        assertThat(requirement(pack("kubeflow-trainer", "2.1.0"), "kubernetes")).isPresent();
        assertThat(requirement(pack("jupyterhub", "4.0.0"), "kubernetes").orElseThrow().reason()).contains("1.28");
        assertThat(pack("kuberay", "1.4.2").packages()).contains(new Pack.SoftwarePackage("container", "quay.io/kuberay/operator", "v1.4.2"));
    }
}
