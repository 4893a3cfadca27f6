package dev.millwright.infra.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The raycluster and rayjob shapes: KubeRay {@code ray.io/v1} objects with a head group that holds no GPUs and
 * one worker group of {@code replicas} workers, each with the workload's GPUs. KubeRay writes the
 * {@code ray start} command itself, so the component's command and args are not put on the cluster's pods; a
 * RayJob runs them as its entrypoint.
 */
final class RayObjects {
    static final String API_VERSION = "ray.io/v1";
    static final String WORKER_GROUP = "workers";

    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");

    private RayObjects() {
    }

    static HasMetadata cluster(Target t) {
        return Manifests.custom(API_VERSION, "RayCluster", t.metadata(), clusterSpec(t));
    }

    /**
     * A RayJob that brings up its own cluster and deletes it when the entrypoint finishes (Kueue admits only
     * RayJobs that give their cluster back).
     */
    static HasMetadata job(Target t) {
        Map<String, Object> spec = new LinkedHashMap<>();
        String entrypoint = entrypoint(t);
        if (!entrypoint.isEmpty()) spec.put("entrypoint", entrypoint);
        spec.put("shutdownAfterJobFinishes", true);
        spec.put("rayClusterSpec", clusterSpec(t));
        return Manifests.custom(API_VERSION, "RayJob", t.metadata(), spec);
    }

    private static Map<String, Object> clusterSpec(Target t) {
        Container head = new ContainerBuilder().withName("ray-head").withImage(t.c().image()).withEnv(t.env())
                .addNewPort().withName("gcs-server").withContainerPort(6379).withProtocol("TCP").endPort()
                .addNewPort().withName("dashboard").withContainerPort(8265).withProtocol("TCP").endPort()
                .addNewPort().withName("client").withContainerPort(10001).withProtocol("TCP").endPort()
                .build();
        Map<String, Object> headGroup = new LinkedHashMap<>();
        headGroup.put("rayStartParams", Map.of("dashboard-host", "0.0.0.0"));
        headGroup.put("template", Manifests.asMap(t.template(new PodSpecBuilder().withContainers(head)
                .withPriorityClassName(t.w().priorityClass()).build())));

        Container worker = new ContainerBuilder(t.container("ray-worker")).withCommand(List.of()).withArgs(List.of())
                .withPorts(List.of()).build();
        Map<String, Object> workers = new LinkedHashMap<>();
        workers.put("groupName", WORKER_GROUP);
        workers.put("replicas", t.w().replicas());
        workers.put("minReplicas", t.w().replicas());
        workers.put("maxReplicas", t.w().replicas());
        workers.put("template", Manifests.asMap(t.template(t.podSpec(worker))));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("headGroupSpec", headGroup);
        spec.put("workerGroupSpecs", List.of(workers));
        return spec;
    }

    /** Command and args as one shell line, words that need it in single quotes. */
    private static String entrypoint(Target t) {
        List<String> words = new ArrayList<>(t.c().command());
        words.addAll(t.c().args());
        List<String> quoted = new ArrayList<>();
        for (String w : words) quoted.add(PLAIN_WORD.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
        return String.join(" ", quoted);
    }
}
