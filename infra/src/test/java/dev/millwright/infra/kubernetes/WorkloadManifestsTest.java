package dev.millwright.infra.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.kubernetes.Workloads.Comp;
import dev.millwright.workload.ResolvedWorkload;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadManifestsTest {
    private static List<JsonNode> render(Cases c) {
        return trees(WorkloadManifests.render(c.workload(), c.machines()));
    }

    private static List<JsonNode> trees(List<HasMetadata> objects) {
        return objects.stream().map(Manifests::toTree).toList();
    }

    /** Every pod spec in a rendered object, wherever its shape keeps them. */
    private static List<JsonNode> podSpecs(JsonNode o) {
        List<JsonNode> specs = new ArrayList<>();
        switch (o.path("kind").asText()) {
            case "Deployment", "StatefulSet" -> specs.add(o.at("/spec/template/spec"));
            case "InferenceService" -> specs.add(o.at("/spec/predictor"));
            case "RayCluster" -> {
                specs.add(o.at("/spec/headGroupSpec/template/spec"));
                specs.add(o.at("/spec/workerGroupSpecs/0/template/spec"));
            }
            case "RayJob" -> {
                specs.add(o.at("/spec/rayClusterSpec/headGroupSpec/template/spec"));
                specs.add(o.at("/spec/rayClusterSpec/workerGroupSpecs/0/template/spec"));
            }
            case "PyTorchJob" -> o.at("/spec/pytorchReplicaSpecs").forEach(r -> specs.add(r.at("/template/spec")));
            case "TrainJob" -> specs.add(o.at("/spec/runtimePatches/0/trainingRuntimeSpec/template/spec/replicatedJobs/0/template/spec/template/spec"));
            default -> { }
        }
        return specs;
    }

    private static List<String> matchExpressions(JsonNode podSpec) {
        List<String> out = new ArrayList<>();
        podSpec.at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions")
                .forEach(e -> out.add(e.path("key").asText() + " " + e.path("operator").asText() + " " + e.path("values")));
        return out;
    }

    @Test
    @DisplayName("placed GPU pods require their machines and GPU model; unplaced ones only the model")
    void hostnameAffinityOnlyWhenPlaced() {
        ResolvedWorkload w = Cases.vllm().workload();
        JsonNode placed = podSpecs(trees(WorkloadManifests.render(w, List.of("gpu-a-02", "gpu-a-01"))).get(0)).get(0);
        JsonNode unplaced = podSpecs(trees(WorkloadManifests.render(w, List.of())).get(0)).get(0);

        String models = "nvidia.com/gpu.product In [\"NVIDIA-H100-80GB-HBM3\",\"NVIDIA-H200-141GB-HBM3e\",\"NVIDIA-B200-180GB-HBM3e\",\"NVIDIA-L40S\"]";
        assertThat(matchExpressions(placed)).containsExactly(models, "kubernetes.io/hostname In [\"gpu-a-01\",\"gpu-a-02\"]");
        assertThat(matchExpressions(unplaced)).containsExactly(models);
    }

    @Test
    @DisplayName("a workload's own GPU model wins over the models its template allows")
    void workloadGpuModelWins() {
        ResolvedWorkload w = Workloads.of("vllm-inference", "pinned").gpuModel("NVIDIA H200 141GB HBM3e")
                .gpuModels(Cases.DATACENTER_GPUS.toArray(String[]::new))
                .component(Comp.of("server", "inferenceservice", "vllm/vllm-openai:v0.9.2").gpus()).build();

        assertThat(matchExpressions(podSpecs(trees(WorkloadManifests.render(w, List.of())).get(0)).get(0)))
                .containsExactly("nvidia.com/gpu.product In [\"NVIDIA-H200-141GB-HBM3e\"]");
    }

    @Test
    @DisplayName("with no GPU model anywhere and no placement, a GPU pod has no node affinity but keeps its toleration")
    void noModelNoPlacementNoAffinity() {
        JsonNode spec = podSpecs(trees(WorkloadManifests.render(Cases.jupyter().workload(), List.of())).get(0)).get(0);

        assertThat(spec.has("affinity")).isFalse();
        assertThat(spec.at("/tolerations/0/key").asText()).isEqualTo("nvidia.com/gpu");
    }

    @Test
    @DisplayName("machines render the same whatever order the scheduler lists them in")
    void machineOrderDoesNotMatter() {
        Cases c = Cases.pyTorchJob();
        assertThat(Manifests.toYaml(WorkloadManifests.render(c.workload(), List.of("gpu-b-05", "gpu-b-03", "gpu-b-04"))))
                .isEqualTo(Manifests.toYaml(WorkloadManifests.render(c.workload(), List.of("gpu-b-03", "gpu-b-04", "gpu-b-05"))));
    }

    @Test
    @DisplayName("jobs carry the Kueue queue label of the LocalQueue their environment's quota renders; services and pods do not")
    void jobsCarryTheQueueLabel() {
        for (Cases c : Cases.all()) {
            ResolvedWorkload w = c.workload();
            String localQueue = Manifests.toTree(QuotaManifests.render(w.tenant(), w.environment(), Map.of()).get(1))
                    .at("/metadata/name").asText();
            for (JsonNode o : render(c)) {
                JsonNode label = o.at("/metadata/labels").get(WorkloadManifests.QUEUE_LABEL);
                assertThat(label == null ? null : label.asText()).as(c + " " + o.path("kind"))
                        .isEqualTo(w.job() ? localQueue : null);
                podSpecs(o).forEach(spec -> assertThat(spec.toString()).doesNotContain(WorkloadManifests.QUEUE_LABEL));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.millwright.infra.kubernetes.Cases#all")
    @DisplayName("every GPU container requests and is limited to exactly the workload's GPUs per replica")
    void gpuResourcesEqualGpusPerReplica(Cases c) {
        String gpus = String.valueOf(c.workload().gpusPerReplica());
        int gpuContainers = 0;
        for (JsonNode o : render(c)) {
            List<JsonNode> resources = new ArrayList<>();
            if (o.path("kind").asText().equals("TrainJob")) resources.add(o.at("/spec/trainer/resourcesPerNode"));
            for (JsonNode spec : podSpecs(o)) spec.path("containers").forEach(ct -> resources.add(ct.path("resources")));
            for (JsonNode r : resources) {
                if (!r.at("/limits/nvidia.com~1gpu").isMissingNode()) {
                    gpuContainers++;
                    assertThat(r.at("/limits/nvidia.com~1gpu").asText()).isEqualTo(gpus);
                    assertThat(r.at("/requests/nvidia.com~1gpu").asText()).isEqualTo(gpus);
                    assertThat(r.at("/requests/cpu").asText()).isEqualTo(c.workload().cpu());
                    assertThat(r.at("/requests/memory").asText()).isEqualTo(c.workload().memory());
                }
            }
        }
        assertThat(gpuContainers).as("GPU containers of " + c).isPositive();
    }

    @Test
    @DisplayName("the RAG pipeline's embedder and vector store get no GPU, no GPU toleration and no GPU placement")
    void nonGpuComponentsGetNoGpu() {
        List<JsonNode> objects = render(Cases.rag());
        assertThat(objects).extracting(o -> o.path("kind").asText() + " " + o.at("/metadata/name").asText())
                .containsExactly("Deployment support-rag-embedder", "Service support-rag-embedder",
                        "StatefulSet support-rag-vectors", "Service support-rag-vectors", "InferenceService support-rag-llm");
        for (JsonNode o : objects) {
            for (JsonNode spec : podSpecs(o)) {
                boolean llm = o.at("/metadata/name").asText().endsWith("-llm");
                assertThat(spec.toString().contains("nvidia.com/gpu")).as(o.at("/metadata/name").asText()).isEqualTo(llm);
                assertThat(spec.has("tolerations")).isEqualTo(llm);
                assertThat(spec.has("affinity")).isEqualTo(llm);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.millwright.infra.kubernetes.Cases#all")
    @DisplayName("every object and pod is labelled back to its tenant, environment, workload and app")
    void labelsTieBack(Cases c) {
        ResolvedWorkload w = c.workload();
        for (JsonNode o : render(c)) {
            assertThat(o.at("/metadata/namespace").asText()).isEqualTo(w.namespace());
            assertThat(o.at("/metadata/annotations").get("millwright.dev/workload-uid").asText()).isEqualTo(w.uid());
            assertTiesBack(o.at("/metadata/labels"), w);
            String name = o.at("/metadata/name").asText();
            assertThat(name).isEqualTo(w.components().size() == 1 ? w.name()
                    : w.name() + "-" + o.at("/metadata/labels").get("app.kubernetes.io/component").asText());
        }
    }

    private static void assertTiesBack(JsonNode labels, ResolvedWorkload w) {
        assertThat(labels.path("millwright.dev/tenant").asText()).isEqualTo(w.tenant());
        assertThat(labels.path("millwright.dev/environment").asText()).isEqualTo(w.environment());
        assertThat(labels.path("millwright.dev/workload").asText()).isEqualTo(w.name());
        assertThat(labels.path("millwright.dev/app").asText()).isEqualTo(w.app());
        assertThat(labels.path("app.kubernetes.io/instance").asText()).isEqualTo(w.name());
        assertThat(labels.path("app.kubernetes.io/managed-by").asText()).isEqualTo("millwright");
    }

    @Test
    @DisplayName("pods carry the labels too, so metrics and events lead back to the workload")
    void podsAreLabelled() {
        JsonNode deployment = render(Cases.triton()).get(0);
        assertTiesBack(deployment.at("/spec/template/metadata/labels"), Cases.triton().workload());
        JsonNode trainJob = render(Cases.pytorchTraining()).get(0);
        assertTiesBack(trainJob.at("/spec/runtimePatches/0/trainingRuntimeSpec/template/spec/replicatedJobs/0/template/spec/template/metadata/labels"),
                Cases.pytorchTraining().workload());
    }

    @Test
    @DisplayName("the priority class goes on the pods when the workload has one, and nowhere when it has none")
    void priorityClass() {
        assertThat(podSpecs(render(Cases.vllm()).get(0)).get(0).path("priorityClassName").asText()).isEqualTo("production-inference");
        assertThat(render(Cases.rayCluster()).get(0).toString()).contains("\"priorityClassName\":\"interactive\"");
        assertThat(render(Cases.triton()).get(0).toString()).doesNotContain("priorityClassName");
    }

    @Test
    @DisplayName("a PyTorchJob has one Master and replicas - 1 Workers, and only a Master when it has one replica")
    void pyTorchJobReplicas() {
        JsonNode three = render(Cases.pyTorchJob()).get(0).at("/spec/pytorchReplicaSpecs");
        assertThat(three.at("/Master/replicas").asInt()).isEqualTo(1);
        assertThat(three.at("/Worker/replicas").asInt()).isEqualTo(2);
        assertThat(three.at("/Master/template/spec/containers/0/name").asText()).isEqualTo("pytorch");

        ResolvedWorkload single = Workloads.of("pytorch-job", "tiny").job(1).replicas(1)
                .component(Comp.of("trainer", "pytorchjob", "ghcr.io/acme/t:1").gpus()).build();
        JsonNode one = Manifests.toTree(WorkloadManifests.render(single, List.of()).get(0)).at("/spec/pytorchReplicaSpecs");
        assertThat(one.has("Worker")).isFalse();
    }

    @Test
    @DisplayName("a RayCluster's head holds no GPUs and its one worker group has the workload's replicas")
    void rayClusterShape() {
        JsonNode spec = render(Cases.rayCluster()).get(0).path("spec");
        assertThat(spec.at("/headGroupSpec/template/spec").toString()).doesNotContain("nvidia.com/gpu");
        assertThat(spec.path("workerGroupSpecs")).hasSize(1);
        assertThat(spec.at("/workerGroupSpecs/0/replicas").asInt()).isEqualTo(2);
        assertThat(spec.at("/workerGroupSpecs/0/minReplicas").asInt()).isEqualTo(2);
        assertThat(spec.at("/workerGroupSpecs/0/maxReplicas").asInt()).isEqualTo(2);
    }

    @Test
    @DisplayName("a TrainJob runs on the runtime its component names, one node per replica")
    void trainJobShape() {
        JsonNode spec = render(Cases.pytorchTraining()).get(0).path("spec");
        assertThat(spec.at("/runtimeRef/name").asText()).isEqualTo("torch-distributed");
        assertThat(spec.at("/trainer/numNodes").asInt()).isEqualTo(2);
        assertThat(spec.at("/trainer/image").asText()).isEqualTo("ghcr.io/acme/llama-train:1.4");
    }

    @Test
    @DisplayName("a RayJob's entrypoint is its command and args as one shell line, quoted where needed")
    void rayJobEntrypoint() {
        assertThat(render(Cases.rayJob()).get(0).at("/spec/entrypoint").asText())
                .isEqualTo("python embed.py --input s3://acme-data/docs --title 'two words'");
    }

    @Test
    @DisplayName("an unknown shape is refused, naming the component and the shape")
    void unknownShapeIsRefused() {
        ResolvedWorkload w = Workloads.of("odd", "odd").component(Comp.of("x", "daemonset", "busybox")).build();
        assertThatThrownBy(() -> WorkloadManifests.render(w, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("component x").hasMessageContaining("\"daemonset\"");
    }

    @Test
    @DisplayName("a trainjob without a runtime is refused")
    void trainJobNeedsRuntime() {
        ResolvedWorkload w = Workloads.of("pytorch-training", "t").job(1).component(Comp.of("trainer", "trainjob", "img").gpus()).build();
        assertThatThrownBy(() -> WorkloadManifests.render(w, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no runtime");
    }
}
