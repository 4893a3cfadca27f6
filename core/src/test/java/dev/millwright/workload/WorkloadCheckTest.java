package dev.millwright.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.Pack;
import dev.millwright.kinds.Kinds;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The six AppTemplates the demo offers, and workloads made from them, admitted or refused. */
class WorkloadCheckTest {
    private static final Catalog CATALOG = BuiltInCatalog.load();
    static final Map<String, Resource> APPS = demoAppTemplates();
    private static final String H100 = "NVIDIA H100 80GB HBM3";

    static Map<String, Resource> demoAppTemplates() {
        Map<String, Resource> out = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class)
                .readValues(Files.readString(Path.of("../examples/demo/60-apptemplates.yaml")))) {
            while (docs.hasNext()) {
                Resource r = ResourceCodec.fromTree(docs.next());
                out.put(r.name(), r);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static Resource workload(String yaml) {
        return ResourceCodec.parse(("kind: Workload\nmetadata: {name: chat, tenant: acme}\n" + yaml).getBytes(), ResourceCodec.Format.YAML);
    }

    private static List<Pack> stack(String... packVersionPairs) {
        List<Pack> out = new java.util.ArrayList<>();
        for (int i = 0; i < packVersionPairs.length; i += 2) out.add(CATALOG.find(packVersionPairs[i], packVersionPairs[i + 1]).orElseThrow());
        return out;
    }

    private static WorkloadCheck.Environment env(String quotaJson, List<Pack> stack) {
        JsonNode spec = Json.tree("{\"stage\":\"prod\",\"template\":{\"name\":\"gpu\",\"version\":\"1.0.0\"}" + (quotaJson == null ? "" : ",\"quota\":" + quotaJson) + "}");
        return new WorkloadCheck.Environment("prod", spec, "gpu@1.0.0", stack, Map.of(H100, 32, "NVIDIA L40S", 4));
    }


    private static WorkloadCheck.Result check(Resource w, WorkloadCheck.Environment env, Map<String, Integer> inUse) {
        Resource app = APPS.get(w.spec().path("app").asText());
        return WorkloadCheck.check(w, app.name(), app.spec(), env, inUse);
    }

    private static List<Pack> llm() {
        return stack("gpu-driver", "580.95.05", "cuda", "12.8.0", "vllm", "0.9.2", "kuberay", "1.4.2", "kubeflow-trainer", "2.1.0");
    }

    @Test
    void everyDemoAppTemplateIsValid() {
        assertThat(APPS).hasSize(6);
        for (Resource app : APPS.values()) {
            assertThatCode(() -> Validation.validate(Kinds.registry().require(WorkloadKinds.APP_TEMPLATE), app)).as(app.name()).doesNotThrowAnyException();
        }
    }

    @Test
    void aVllmEndpointResolvesToTheStacksVersionAndItsParameters() {
        var r = check(workload("spec: {environment: prod, app: vllm-inference, replicas: 2, gpusPerReplica: 2, parameters: {model: meta-llama/Llama-3.1-8B-Instruct}}"),
                env("{\"gpus\":{\"H100 80GB\":16}}", llm()), Map.of());

        assertThat(r.errors()).isEmpty();
        ResolvedWorkload w = r.workload();
        assertThat(w.gpuModel()).isEqualTo(H100);
        assertThat(w.totalGpus()).isEqualTo(4);
        assertThat(w.namespace()).isEqualTo("acme-prod");
        assertThat(w.job()).isFalse();
        ResolvedWorkload.Component server = w.components().get(0);
        assertThat(server.image()).isEqualTo("vllm/vllm-openai:v0.9.2");
        assertThat(server.args()).containsExactly("--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192",
                "--tensor-parallel-size", "2", "--port", "8000");
        assertThat(server.replicas()).isEqualTo(2);
    }

    @Test
    void aRagPipelineGivesItsGpusToTheLlmOnly() {
        var r = check(workload("spec: {environment: prod, app: rag-pipeline, parameters: {model: mistralai/Mistral-7B-Instruct-v0.3}}"),
                env(null, llm()), Map.of());

        assertThat(r.errors()).isEmpty();
        assertThat(r.workload().components()).extracting(ResolvedWorkload.Component::name, ResolvedWorkload.Component::gpus,
                ResolvedWorkload.Component::replicas).containsExactly(
                org.assertj.core.groups.Tuple.tuple("embedder", false, 2), org.assertj.core.groups.Tuple.tuple("vectors", false, 1),
                org.assertj.core.groups.Tuple.tuple("llm", true, 1));
        assertThat(r.workload().components().get(0).args()).contains("BAAI/bge-large-en-v1.5");
    }

    @Test
    void aFrameworkTheStackLacksOrRunsAtTheWrongVersionIsRefusedNamingBoth() {
        var missing = check(workload("spec: {environment: prod, app: vllm-inference, parameters: {model: m}}"),
                env(null, stack("gpu-driver", "580.95.05", "cuda", "12.8.0")), Map.of());
        assertThat(missing.errors()).containsOnlyKeys("spec.app");
        assertThat(missing.errors().get("spec.app").get(0)).contains("vllm-inference needs vllm >=0.8.0").contains("gpu@1.0.0").contains("does not have");

        var old = check(workload("spec: {environment: prod, app: vllm-inference, parameters: {model: m}}"),
                env(null, stack("gpu-driver", "580.95.05", "cuda", "12.8.0", "vllm", "0.7.3")), Map.of());
        assertThat(old.errors().get("spec.app").get(0)).contains("runs vllm 0.7.3");
    }

    @Test
    void aGpuModelTheEnvironmentLacksOrTheTemplateForbidsIsRefused() {
        var absent = check(workload("spec: {environment: prod, app: vllm-inference, gpuModel: B200 180GB, parameters: {model: m}}"),
                env(null, llm()), Map.of());
        assertThat(absent.errors().get("spec.gpuModel").get(0)).contains("environment prod has no B200 180GB GPUs").contains("32x " + H100);

        var forbidden = check(workload("spec: {environment: prod, app: ray-cluster, gpuModel: L40S}"), env(null, llm()), Map.of());
        assertThat(forbidden.errors().get("spec.gpuModel").get(0)).contains("AppTemplate ray-cluster runs on");
    }

    @Test
    void moreGpusThanTheQuotaCanEverGiveIsRefusedWhileMoreThanItHasLeftWaitsForTheScheduler() {
        var never = check(workload("spec: {environment: prod, app: pytorch-training, replicas: 4, parameters: {image: ghcr.io/acme/train:1, script: train.py}}"),
                env("{\"gpus\":{\"H100 80GB\":24}}", llm()), Map.of());
        assertThat(never.errors()).containsOnlyKeys("spec.replicas");
        assertThat(never.errors().get("spec.replicas").get(0)).contains("can ever give it", "32 H100 80GB GPUs asked, 24 in its quota");

        // 16 of 24 in use: a 16-GPU job is admitted and waits for room
        var later = check(workload("spec: {environment: prod, app: pytorch-training, replicas: 2, parameters: {image: ghcr.io/acme/train:1, script: train.py}}"),
                env("{\"gpus\":{\"H100 80GB\":24}}", llm()), Map.of(H100, 16));
        assertThat(later.errors()).isEmpty();
        assertThat(later.workload().totalGpus()).isEqualTo(16);

        var fits = check(workload("spec: {environment: prod, app: pytorch-training, replicas: 1, parameters: {image: ghcr.io/acme/train:1, script: train.py}}"),
                env("{\"gpus\":{\"H100 80GB\":24}}", llm()), Map.of(H100, 16));
        assertThat(fits.errors()).isEmpty();
        assertThat(fits.workload().job()).isTrue();
        assertThat(fits.workload().workGpuHours()).isEqualTo(8.0);
    }

    @Test
    void parametersAreCheckedAgainstTheTemplatesSchemaAndProfile() {
        var r = check(workload("spec: {environment: prod, app: vllm-inference, replicas: 99, gpusPerReplica: 9, parameters: {model: 'no spaces please', extra: 1}}"),
                env(null, llm()), Map.of());

        assertThat(r.errors()).containsKeys("spec.parameters.model", "spec.parameters.extra", "spec.replicas", "spec.gpusPerReplica");
        assertThat(r.errors().get("spec.replicas").get(0)).contains("at most 32 replicas");
    }

    @Test
    void anAppTemplateWithAnUnknownPlaceholderOrARemoteReferenceIsRefused() {
        Resource app = ResourceCodec.parse("""
                kind: AppTemplate
                metadata: {name: sneaky}
                spec:
                  category: inference
                  parameters:
                    type: object
                    properties:
                      model: {$ref: "https://example.com/model.json"}
                      size: {type: integer}
                  profile: {gpusPerReplica: 1, maxGpusPerReplica: 0}
                  components:
                    - {name: s, renders: trainjob, image: "x:${framework.version}", args: ["${size}", "${nope}"]}
                """.getBytes(), ResourceCodec.Format.YAML);

        var e = catchThrowableOfType(InvalidResourceException.class, () -> Validation.validate(Kinds.registry().require(WorkloadKinds.APP_TEMPLATE), app));

        assertThat(e.details()).containsKeys("spec.parameters.properties.model.$ref", "spec.components[0].image",
                "spec.components[0].args[0]", "spec.components[0].args[1]", "spec.components[0].renders",
                "spec.profile.maxGpusPerReplica", "spec.components");
    }
}
