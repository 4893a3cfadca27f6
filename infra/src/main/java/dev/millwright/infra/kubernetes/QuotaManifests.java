package dev.millwright.infra.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An environment's GPU quota as the Kueue {@code kueue.x-k8s.io/v1beta2} objects that enforce it: a
 * ResourceFlavor per GPU model (nodes whose {@code nvidia.com/gpu.product} is that model), a ClusterQueue
 * {@code <tenant>-<environment>} that guarantees the quota's GPUs of each model to the environment's namespace,
 * in a cohort named after the tenant (so one environment may borrow what the tenant's others leave idle), and
 * a LocalQueue in the namespace that jobs name in {@link WorkloadManifests#QUEUE_LABEL}.
 *
 * <p>The ClusterQueue covers {@code nvidia.com/gpu} only: GPUs are what Millwright allots. Kueue refuses
 * workloads that request resources no ClusterQueue covers, so the cluster's Kueue configuration must leave cpu
 * and memory out of quota ({@code resources.excludeResourcePrefixes}).
 */
public final class QuotaManifests {
    public static final String API_VERSION = "kueue.x-k8s.io/v1beta2";

    private QuotaManifests() {
    }

    /** The LocalQueue of an environment, in its namespace: named after the environment. */
    public static String localQueueName(String environment) {
        return environment;
    }

    /** The ClusterQueue of an environment: {@code <tenant>-<environment>}, the name of its namespace too. */
    public static String clusterQueueName(String tenant, String environment) {
        return tenant + "-" + environment;
    }

    /** The ResourceFlavor of a GPU model: its name lower-cased, runs of other characters as one dash ("nvidia-h100-80gb-hbm3"). */
    public static String flavorName(String gpuModel) {
        return gpuModel.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /**
     * ResourceFlavors (by model name), then the ClusterQueue, then the LocalQueue. The namespace is the
     * environment's, {@code <tenant>-<environment>}. An empty quota gives a ClusterQueue with no resource
     * group, which admits no GPU job.
     *
     * @param gpuQuota guaranteed GPUs per model, as machines report the model ("NVIDIA H100 80GB HBM3")
     * @throws IllegalArgumentException when a count is negative
     */
    public static List<HasMetadata> render(String tenant, String environment, Map<String, Integer> gpuQuota) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(environment, "environment");
        Map<String, Integer> quota = new TreeMap<>(Objects.requireNonNull(gpuQuota, "gpuQuota"));
        quota.forEach((model, count) -> {
            if (count == null || count < 0) {
                throw new IllegalArgumentException("GPU quota of " + model + " in " + tenant + "/" + environment
                        + " must be a count of at least 0 (is " + count + ")");
            }
        });
        String namespace = clusterQueueName(tenant, environment);
        List<HasMetadata> out = new ArrayList<>();
        quota.keySet().forEach(model -> out.add(flavor(model)));
        out.add(clusterQueue(tenant, environment, namespace, quota));
        out.add(localQueue(tenant, environment, namespace));
        return List.copyOf(out);
    }

    /** Shared by every environment with that model: rendered the same each time, so applying it again is a no-op. */
    private static HasMetadata flavor(String model) {
        ObjectMeta meta = new ObjectMetaBuilder().withName(flavorName(model))
                .addToLabels("app.kubernetes.io/managed-by", Target.MANAGED_BY).build();
        Map<String, Object> spec = Map.of("nodeLabels", Map.of(Target.GPU_PRODUCT, Target.productLabel(model)));
        return Manifests.custom(API_VERSION, "ResourceFlavor", meta, spec);
    }

    private static HasMetadata clusterQueue(String tenant, String environment, String namespace, Map<String, Integer> quota) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("cohortName", tenant);
        spec.put("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", namespace)));
        if (!quota.isEmpty()) {
            List<Object> flavors = new ArrayList<>();
            quota.forEach((model, count) -> {
                Map<String, Object> resource = new LinkedHashMap<>();
                resource.put("name", Target.GPU);
                resource.put("nominalQuota", count);
                Map<String, Object> flavor = new LinkedHashMap<>();
                flavor.put("name", flavorName(model));
                flavor.put("resources", List.of(resource));
                flavors.add(flavor);
            });
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("coveredResources", List.of(Target.GPU));
            group.put("flavors", flavors);
            spec.put("resourceGroups", List.of(group));
        }
        ObjectMeta meta = new ObjectMetaBuilder().withName(clusterQueueName(tenant, environment))
                .withLabels(labels(tenant, environment)).build();
        return Manifests.custom(API_VERSION, "ClusterQueue", meta, spec);
    }

    private static HasMetadata localQueue(String tenant, String environment, String namespace) {
        ObjectMeta meta = new ObjectMetaBuilder().withName(localQueueName(environment)).withNamespace(namespace)
                .withLabels(labels(tenant, environment)).build();
        return Manifests.custom(API_VERSION, "LocalQueue", meta, Map.of("clusterQueue", clusterQueueName(tenant, environment)));
    }

    private static Map<String, String> labels(String tenant, String environment) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/managed-by", Target.MANAGED_BY);
        labels.put("millwright.dev/tenant", tenant);
        labels.put("millwright.dev/environment", environment);
        return labels;
    }
}
