package dev.millwright.infra.kubernetes;

import dev.millwright.workload.ResolvedWorkload;
import dev.millwright.workload.ResolvedWorkload.Component;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A workload as the objects {@code millwright render workload NAME} prints: what would be applied to a real
 * cluster for it.
 *
 * <p>Every object is in the workload's namespace, named after the workload ({@code <workload>-<component>} when
 * it has several components), labelled with the {@code app.kubernetes.io} set and Millwright's tenant,
 * environment, workload and app, and annotated with the workload's uid. A component that gets GPUs requests
 * {@code nvidia.com/gpu} per replica (limits equal), tolerates the GPU taint and requires nodes of its GPU
 * model through GPU Feature Discovery's {@code nvidia.com/gpu.product} label, and, once placed, the machines
 * the scheduler chose. Jobs carry the Kueue queue label of their environment's LocalQueue
 * ({@link QuotaManifests#localQueueName}), so Kueue admits them against the environment's quota.
 */
public final class WorkloadManifests {
    /** The Kueue label that puts a job in a LocalQueue. */
    public static final String QUEUE_LABEL = "kueue.x-k8s.io/queue-name";

    /** The shapes that run to completion, and so queue in Kueue. */
    static final Set<String> JOB_SHAPES = Set.of("rayjob", "trainjob", "pytorchjob");

    private WorkloadManifests() {
    }

    /**
     * The objects of each component, in component order (a Service after its Deployment or StatefulSet).
     *
     * @param machines the node names the scheduler placed its GPU replicas on; empty when not placed yet, and
     *                 then only the GPU model constrains where GPU pods go
     * @throws IllegalArgumentException when a component renders to an unknown shape, or a trainjob names no runtime
     */
    public static List<HasMetadata> render(ResolvedWorkload w, List<String> machines) {
        Objects.requireNonNull(w, "workload");
        Objects.requireNonNull(machines, "machines");
        List<HasMetadata> out = new ArrayList<>();
        for (Component c : w.components()) {
            String name = w.components().size() == 1 ? w.name() : w.name() + "-" + c.name();
            Target t = new Target(w, c, name, machines);
            switch (c.renders()) {
                case "deployment" -> out.addAll(CoreObjects.deployment(t));
                case "statefulset" -> out.addAll(CoreObjects.statefulSet(t));
                case "inferenceservice" -> out.add(InferenceServices.render(t));
                case "raycluster" -> out.add(RayObjects.cluster(t));
                case "rayjob" -> out.add(RayObjects.job(t));
                case "trainjob" -> out.add(TrainingJobs.trainJob(t));
                case "pytorchjob" -> out.add(TrainingJobs.pyTorchJob(t));
                default -> throw new IllegalArgumentException("component " + c.name() + " of workload " + w.name()
                        + " renders \"" + c.renders() + "\"; expected one of deployment, statefulset, inferenceservice,"
                        + " raycluster, rayjob, trainjob, pytorchjob");
            }
        }
        return List.copyOf(out);
    }
}
