package dev.millwright.workload;

import java.util.List;
import java.util.Map;

/**
 * A Workload with its AppTemplate applied: parameter defaults filled in, placeholders substituted, the
 * profile's resources settled. What the scheduler places and what renders to Kubernetes objects.
 *
 * @param namespace the Kubernetes namespace of its environment ({@code <tenant>-<environment>})
 * @param job true when it runs its work and completes (training), false for a service
 * @param gpuModel the one GPU model it must run on, or null for any its environment has
 * @param gpuModels the models its AppTemplate allows; empty for any
 * @param cpu Kubernetes quantity per replica, or null
 * @param memory Kubernetes quantity per replica, or null
 * @param workGpuHours how long a job runs at full speed, in GPU-hours (0 for services)
 * @param gpuShare each replica's share of its one GPU in thousandths; 1000 for whole GPUs
 * @param migProfile the MIG slice each replica gets (e.g. "1g.10gb"), or null for whole GPUs or a time-sliced share
 */
public record ResolvedWorkload(String tenant, String name, String uid, String environment, String namespace, String app,
                               String category, boolean job, int replicas, int gpusPerReplica, String gpuModel,
                               List<String> gpuModels, String cpu, String memory, String priorityClass,
                               String frameworkPack, String frameworkVersion, double workGpuHours,
                               List<Component> components, int gpuShare, String migProfile) {
    public ResolvedWorkload {
        gpuModels = List.copyOf(gpuModels);
        components = List.copyOf(components);
    }

    public int totalGpus() {
        return replicas * gpusPerReplica;
    }

    /** Whether each replica gets less than one whole GPU. */
    public boolean fractional() {
        return gpuShare < 1000;
    }

    /** The share of one GPU a MIG profile gives: its compute slices out of seven, in thousandths, rounded up. */
    public static int shareOfMig(String profile) {
        int slices = Integer.parseInt(profile.substring(0, profile.indexOf('g')));
        return Math.min(1000, (slices * 1000 + 6) / 7);
    }

    /**
     * One Kubernetes workload object of it, its text already substituted.
     *
     * @param renders deployment, statefulset, inferenceservice, raycluster, rayjob, trainjob or pytorchjob
     * @param port the container port it serves on, or null
     * @param gpus whether its replicas get the workload's GPUs
     * @param replicas how many replicas (the workload's for a GPU component)
     * @param storage a per-replica volume size for a statefulset, or null
     * @param runtime the ClusterTrainingRuntime of a trainjob, or null
     */
    public record Component(String name, String renders, String image, List<String> command, List<String> args,
                            Map<String, String> env, Integer port, boolean gpus, int replicas, String storage,
                            String runtime) {
        public Component {
            command = List.copyOf(command);
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }
    }
}
