package dev.millwright.infra.kubernetes;

import dev.millwright.workload.ResolvedWorkload;
import dev.millwright.workload.ResolvedWorkload.Component;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One component of a workload being rendered, and the pod parts every shape shares: labels that tie objects
 * back to Millwright, the container, GPU resources, the GPU toleration and the node affinity of the placement.
 * GPU parts appear only on a component that gets the workload's GPUs ({@link #gpus()}).
 *
 * @param name the object name: the workload's, or {@code <workload>-<component>} when it has several components
 * @param machines the nodes the scheduler placed its GPU replicas on; empty when not placed yet
 */
record Target(ResolvedWorkload w, Component c, String name, List<String> machines) {
    static final String GPU = "nvidia.com/gpu";
    /** The node label GPU Feature Discovery sets to the GPU model, spaces replaced by dashes. */
    static final String GPU_PRODUCT = "nvidia.com/gpu.product";
    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String MANAGED_BY = "millwright";

    Target {
        machines = List.copyOf(new TreeSet<>(machines));
    }

    /** GFD's value of {@link #GPU_PRODUCT} for a model as machines report it ("NVIDIA H100 80GB HBM3" → "NVIDIA-H100-80GB-HBM3"). */
    static String productLabel(String model) {
        return model.trim().replace(' ', '-');
    }

    /** Whether its pods get GPUs: a GPU component of a workload that asks for at least one per replica. */
    boolean gpus() {
        return c.gpus() && w.gpusPerReplica() > 0;
    }

    /** The labels of its objects and pods, in a fixed order. */
    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", w.app());
        labels.put("app.kubernetes.io/instance", w.name());
        labels.put("app.kubernetes.io/component", c.name());
        labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
        labels.put("millwright.dev/tenant", w.tenant());
        labels.put("millwright.dev/environment", w.environment());
        labels.put("millwright.dev/workload", w.name());
        labels.put("millwright.dev/app", w.app());
        return labels;
    }

    /** What selects its pods: unique within the namespace, and never changes for the life of the workload. */
    Map<String, String> selector() {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put("app.kubernetes.io/instance", w.name());
        selector.put("app.kubernetes.io/component", c.name());
        return selector;
    }

    /**
     * The metadata of its top-level objects: its labels, plus the Kueue queue label on a job (on the job only,
     * never its pods, which Kueue's pod integration would otherwise queue one by one).
     */
    ObjectMeta metadata() {
        Map<String, String> labels = labels();
        if (WorkloadManifests.JOB_SHAPES.contains(c.renders())) {
            labels.put(WorkloadManifests.QUEUE_LABEL, QuotaManifests.localQueueName(w.environment()));
        }
        return new ObjectMetaBuilder()
                .withName(name).withNamespace(w.namespace())
                .withLabels(labels)
                .addToAnnotations("millwright.dev/workload-uid", w.uid())
                .build();
    }

    /** Its container under {@code containerName}: image, command, args, env sorted by name, port, resources. */
    Container container(String containerName) {
        ContainerBuilder b = new ContainerBuilder().withName(containerName).withImage(c.image())
                .withCommand(c.command()).withArgs(c.args()).withEnv(env());
        if (c.port() != null) b.addNewPort().withName("http").withContainerPort(c.port()).withProtocol("TCP").endPort();
        ResourceRequirements resources = resources();
        if (resources != null) b.withResources(resources);
        return b.build();
    }

    List<EnvVar> env() {
        return c.env().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
    }

    /**
     * GPU components request the workload's cpu and memory per replica and its GPUs, with GPU limits equal
     * to requests (Kubernetes requires it of extended resources); others request nothing. Null when empty.
     */
    ResourceRequirements resources() {
        if (!c.gpus()) return null;
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
        if (w.cpu() != null) b.addToRequests("cpu", new Quantity(w.cpu()));
        if (w.memory() != null) b.addToRequests("memory", new Quantity(w.memory()));
        if (gpus()) {
            // a MIG slice is its own extended resource (the GPU Operator's mixed strategy); a time-sliced share
            // asks one nvidia.com/gpu replica of a shared GPU
            String resource = w.migProfile() != null ? "nvidia.com/mig-" + w.migProfile() : GPU;
            Quantity count = new Quantity(String.valueOf(w.gpusPerReplica()));
            b.addToRequests(resource, count).addToLimits(resource, count);
        }
        ResourceRequirements r = b.build();
        return r.getRequests().isEmpty() ? null : r;
    }

    /** GPU nodes are tainted {@code nvidia.com/gpu:NoSchedule} so that only GPU pods land there. */
    List<Toleration> tolerations() {
        return gpus() ? List.of(gpuToleration()) : List.of();
    }

    static Toleration gpuToleration() {
        return new TolerationBuilder().withKey(GPU).withOperator("Exists").withEffect("NoSchedule").build();
    }

    /**
     * Required node affinity: the GPU model (the workload's one model, else any its template allows, else
     * none) and, once placed, the machines the scheduler chose. Null when there is nothing to require.
     */
    Affinity affinity() {
        if (!gpus()) return null;
        List<NodeSelectorRequirement> match = new ArrayList<>();
        List<String> models = w.gpuModel() != null ? List.of(w.gpuModel()) : w.gpuModels();
        if (!models.isEmpty()) {
            match.add(new NodeSelectorRequirement(GPU_PRODUCT, "In", models.stream().map(Target::productLabel).toList()));
        }
        if (!machines.isEmpty()) match.add(new NodeSelectorRequirement(HOSTNAME, "In", machines));
        if (match.isEmpty()) return null;
        return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().withMatchExpressions(match).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
    }

    /** A pod spec around {@code containers} with the component's placement and priority. */
    PodSpec podSpec(Container... containers) {
        return podSpecBuilder(containers).build();
    }

    PodSpecBuilder podSpecBuilder(Container... containers) {
        return new PodSpecBuilder().withContainers(containers).withAffinity(affinity())
                .withTolerations(tolerations()).withPriorityClassName(w.priorityClass());
    }

    PodTemplateSpec template(PodSpec spec) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels()).endMetadata().withSpec(spec).build();
    }
}
