package dev.millwright.infra.kubernetes;

import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.Pack;
import dev.millwright.infra.kubernetes.Workloads.Comp;
import dev.millwright.workload.ResolvedWorkload;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * The rendered cases the golden files hold: the six AppTemplates of examples/demo/60-apptemplates.yaml, as a
 * workload of each would resolve, plus the two shapes no demo template uses (rayjob, pytorchjob).
 *
 * @param machines where the scheduler placed its GPU replicas; empty when not placed yet
 */
record Cases(String name, ResolvedWorkload workload, List<String> machines) {
    static final List<String> DATACENTER_GPUS = List.of("NVIDIA H100 80GB HBM3", "NVIDIA H200 141GB HBM3e", "NVIDIA B200 180GB HBM3e");

    static List<Cases> all() {
        return List.of(vllm(), triton(), rayCluster(), pytorchTraining(), jupyter(), rag(), rayJob(), pyTorchJob());
    }

    /** vllm-inference: a KServe InferenceService on two GPUs, placed on two machines. */
    static Cases vllm() {
        ResolvedWorkload w = Workloads.of("vllm-inference", "chat").replicas(2).gpus(2)
                .gpuModels("NVIDIA H100 80GB HBM3", "NVIDIA H200 141GB HBM3e", "NVIDIA B200 180GB HBM3e", "NVIDIA L40S")
                .resources("8", "64Gi").priorityClass("production-inference").framework("vllm", "0.9.2")
                .component(Comp.of("server", "inferenceservice", "vllm/vllm-openai:v0.9.2").gpus().port(8000)
                        .args("--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192",
                                "--tensor-parallel-size", "2", "--port", "8000"))
                .build();
        return new Cases("vllm-inference", w, List.of("gpu-a-02", "gpu-a-01"));
    }

    /** triton-inference: a Deployment and Service pinned to one GPU model, not placed yet. */
    static Cases triton() {
        ResolvedWorkload w = Workloads.of("triton-inference", "resnet").environment("staging")
                .gpuModel("NVIDIA L40S").resources("8", "32Gi").framework("triton-inference-server", "25.06")
                .component(Comp.of("server", "deployment", "nvcr.io/nvidia/tritonserver:25.06-py3").gpus().port(8000)
                        .command("tritonserver")
                        .args("--model-repository=s3://acme-models/resnet", "--http-port=8000", "--grpc-port=8001",
                                "--metrics-port=8002"))
                .build();
        return new Cases("triton-inference", w, List.of());
    }

    /** ray-cluster: a RayCluster of two 8-GPU workers. */
    static Cases rayCluster() {
        ResolvedWorkload w = Workloads.of("ray-cluster", "research").category("ray").replicas(2).gpus(8)
                .gpuModels(DATACENTER_GPUS.toArray(String[]::new)).resources("64", "512Gi").priorityClass("interactive")
                .framework("kuberay", "1.3.2")
                .component(Comp.of("ray", "raycluster", "rayproject/ray:2.46.0-gpu").gpus())
                .build();
        return new Cases("ray-cluster", w, List.of("gpu-b-01", "gpu-b-02"));
    }

    /** pytorch-training: a TrainJob of two 8-GPU nodes, queued and not placed yet. */
    static Cases pytorchTraining() {
        ResolvedWorkload w = Workloads.of("pytorch-training", "llama-finetune").category("training").job(64)
                .replicas(2).gpus(8).gpuModels(DATACENTER_GPUS.toArray(String[]::new)).resources("96", "1024Gi")
                .priorityClass("training").framework("kubeflow-trainer", "2.0.0")
                .component(Comp.of("trainer", "trainjob", "ghcr.io/acme/llama-train:1.4").gpus()
                        .runtime("torch-distributed").command("torchrun", "--nnodes=2", "--nproc-per-node=8").args("/workspace/train.py"))
                .build();
        return new Cases("pytorch-training", w, List.of());
    }

    /** jupyter-notebook: a StatefulSet with a home volume; its template names no GPU model, so only the machine constrains it. */
    static Cases jupyter() {
        ResolvedWorkload w = Workloads.of("jupyter-notebook", "alice-lab").environment("dev").category("notebook")
                .resources("4", "32Gi").priorityClass("interactive").framework("jupyterhub", "4.1.0")
                .component(Comp.of("lab", "statefulset", "quay.io/jupyter/pytorch-notebook:cuda12-2025-06-30").gpus()
                        .port(8888).storage("50Gi").args("start-notebook.py", "--ServerApp.base_url=/acme/alice-lab"))
                .build();
        return new Cases("jupyter-notebook", w, List.of("gpu-c-03"));
    }

    /** rag-pipeline: three components, only the LLM with GPUs. */
    static Cases rag() {
        ResolvedWorkload w = Workloads.of("rag-pipeline", "support-rag").category("pipeline")
                .gpuModels("NVIDIA H100 80GB HBM3", "NVIDIA H200 141GB HBM3e", "NVIDIA L40S").resources("8", "64Gi")
                .priorityClass("production-inference").framework("vllm", "0.9.2")
                .component(Comp.of("embedder", "deployment", "ghcr.io/huggingface/text-embeddings-inference:cpu-1.7")
                        .replicas(2).port(8080).args("--model-id", "BAAI/bge-large-en-v1.5", "--port", "8080"))
                .component(Comp.of("vectors", "statefulset", "qdrant/qdrant:v1.14.1").port(6333).storage("100Gi"))
                .component(Comp.of("llm", "inferenceservice", "vllm/vllm-openai:v0.9.2").gpus().port(8000)
                        .args("--model", "meta-llama/Llama-3.1-8B-Instruct", "--tensor-parallel-size", "1", "--port", "8000"))
                .build();
        return new Cases("rag-pipeline", w, List.of("gpu-a-03"));
    }

    /** A RayJob (no demo template renders one): its entrypoint quoted as one shell line. */
    static Cases rayJob() {
        ResolvedWorkload w = Workloads.of("ray-batch", "batch-embed").category("ray").job(16).replicas(2).gpus(4)
                .gpuModel("NVIDIA H100 80GB HBM3").resources("32", "256Gi").priorityClass("batch")
                .framework("kuberay", "1.3.2")
                .component(Comp.of("job", "rayjob", "rayproject/ray:2.46.0-gpu").gpus().env(Map.of("RAY_DEDUP_LOGS", "0"))
                        .command("python").args("embed.py", "--input", "s3://acme-data/docs", "--title", "two words"))
                .build();
        return new Cases("rayjob", w, List.of("gpu-a-05", "gpu-a-04"));
    }

    /** A PyTorchJob (no demo template renders one): a Master and two Workers. */
    static Cases pyTorchJob() {
        ResolvedWorkload w = Workloads.of("pytorch-job", "resnet-ddp").category("training").job(12).replicas(3).gpus(4)
                .gpuModels(DATACENTER_GPUS.toArray(String[]::new)).resources("48", "384Gi").priorityClass("training")
                .framework("kubeflow-training-operator", "1.9.2")
                .component(Comp.of("trainer", "pytorchjob", "ghcr.io/acme/resnet-train:2.0").gpus()
                        .env(Map.of("NCCL_DEBUG", "WARN", "MODEL", "resnet50"))
                        .command("torchrun").args("--nnodes=3", "--nproc-per-node=4", "train.py"))
                .build();
        return new Cases("pytorchjob", w, List.of("gpu-b-03", "gpu-b-04", "gpu-b-05"));
    }

    /** The GPU layers of a stack template as the built-in catalog holds them: GPU Operator 26.3.3 and driver 580.126.20. */
    static List<Pack> stackPacks() {
        Catalog catalog = BuiltInCatalog.load();
        return List.of(catalog.find("gpu-driver", "580.126.20").orElseThrow(),
                catalog.find("gpu-operator", "26.3.3").orElseThrow());
    }

    static List<HasMetadata> stack() {
        return StackManifests.render("gpu-h100", "1.4.0", stackPacks(), Map.of("millwright.dev/node-pool", "h100-a"));
    }

    /** acme's prod quota: 16 H100s and 8 L40Ss. */
    static List<HasMetadata> quota() {
        return QuotaManifests.render("acme", "prod", Map.of("NVIDIA H100 80GB HBM3", 16, "NVIDIA L40S", 8));
    }

    @Override
    public String toString() {
        return name;
    }
}
