package dev.millwright.infra.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trainjob and pytorchjob shapes: Kubeflow Trainer v2 TrainJob and Training Operator v1 PyTorchJob. */
final class TrainingJobs {
    static final String TRAINJOB_API_VERSION = "trainer.kubeflow.org/v1alpha1";
    static final String PYTORCHJOB_API_VERSION = "kubeflow.org/v1";
    /** Who owns the runtime patch a TrainJob carries; the Trainer keys its patches by it. */
    static final String PATCH_MANAGER = "millwright.dev/millwright";
    /** The replicated job of the torch-distributed ClusterTrainingRuntime that runs the training nodes. */
    static final String NODE_JOB = "node";

    private TrainingJobs() {
    }

    /**
     * A TrainJob on the ClusterTrainingRuntime the component names, one training node per replica. The
     * placement reaches the nodes' pods through a runtime patch; a TrainJob may not patch the pods' priority
     * class (the Trainer allows only a fixed set of pod fields), so that stays the runtime's.
     */
    static HasMetadata trainJob(Target t) {
        if (t.c().runtime() == null) {
            throw new IllegalArgumentException("component " + t.c().name() + " of workload " + t.w().name()
                    + " renders a trainjob but names no runtime (the ClusterTrainingRuntime to run on)");
        }
        Map<String, Object> runtimeRef = new LinkedHashMap<>();
        runtimeRef.put("apiGroup", "trainer.kubeflow.org");
        runtimeRef.put("kind", "ClusterTrainingRuntime");
        runtimeRef.put("name", t.c().runtime());

        Map<String, Object> trainer = new LinkedHashMap<>();
        trainer.put("image", t.c().image());
        if (!t.c().command().isEmpty()) trainer.put("command", t.c().command());
        if (!t.c().args().isEmpty()) trainer.put("args", t.c().args());
        if (!t.c().env().isEmpty()) trainer.put("env", t.env().stream().map(Manifests::asMap).toList());
        trainer.put("numNodes", t.w().replicas());
        if (t.resources() != null) trainer.put("resourcesPerNode", Manifests.asMap(t.resources()));

        Map<String, Object> podPatch = new LinkedHashMap<>();
        podPatch.put("metadata", Map.of("labels", t.labels()));
        Map<String, Object> podSpec = new LinkedHashMap<>();
        if (t.affinity() != null) podSpec.put("affinity", Manifests.asMap(t.affinity()));
        if (!t.tolerations().isEmpty()) podSpec.put("tolerations", t.tolerations().stream().map(Manifests::asMap).toList());
        if (!podSpec.isEmpty()) podPatch.put("spec", podSpec);
        Map<String, Object> nodeJob = new LinkedHashMap<>();
        nodeJob.put("name", NODE_JOB);
        nodeJob.put("template", Map.of("spec", Map.of("template", podPatch)));
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("manager", PATCH_MANAGER);
        patch.put("trainingRuntimeSpec", Map.of("template", Map.of("spec", Map.of("replicatedJobs", List.of(nodeJob)))));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("runtimeRef", runtimeRef);
        spec.put("trainer", trainer);
        spec.put("runtimePatches", List.of(patch));
        return Manifests.custom(TRAINJOB_API_VERSION, "TrainJob", t.metadata(), spec);
    }

    /** A PyTorchJob: one Master and {@code replicas - 1} Workers, each a node with the workload's GPUs. */
    static HasMetadata pyTorchJob(Target t) {
        Map<String, Object> template = Manifests.asMap(t.template(t.podSpec(t.container("pytorch"))));
        Map<String, Object> replicaSpecs = new LinkedHashMap<>();
        replicaSpecs.put("Master", replicaSpec(1, template));
        if (t.w().replicas() > 1) replicaSpecs.put("Worker", replicaSpec(t.w().replicas() - 1, template));
        return Manifests.custom(PYTORCHJOB_API_VERSION, "PyTorchJob", t.metadata(), Map.of("pytorchReplicaSpecs", replicaSpecs));
    }

    private static Map<String, Object> replicaSpec(int replicas, Map<String, Object> template) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", replicas);
        spec.put("restartPolicy", "OnFailure");
        spec.put("template", template);
        return spec;
    }
}
