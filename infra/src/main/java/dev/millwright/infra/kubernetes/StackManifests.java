package dev.millwright.infra.kubernetes;

import dev.millwright.catalog.Pack;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A stack template's gpu-driver and gpu-operator layers as the objects the NVIDIA GPU Operator takes: a
 * {@code nvidia.com/v1} ClusterPolicy that pins every component to the version the operator release ships
 * (toolkit, device plugin, DCGM and its exporter, GPU Feature Discovery, MIG manager, validator), and, when the
 * template picks a driver, a {@code nvidia.com/v1alpha1} NVIDIADriver with that version for the environment's
 * nodes. With an NVIDIADriver the ClusterPolicy hands driver management to it ({@code useNvidiaDriverCRD}), which
 * lets each environment's pools run their own driver under one operator.
 */
public final class StackManifests {
    public static final String CLUSTER_POLICY_API_VERSION = "nvidia.com/v1";
    public static final String NVIDIA_DRIVER_API_VERSION = "nvidia.com/v1alpha1";
    /** The name the operator's Helm chart gives its one ClusterPolicy. */
    public static final String CLUSTER_POLICY_NAME = "cluster-policy";
    static final String OPERATOR_PACK = "gpu-operator";
    static final String DRIVER_PACK = "gpu-driver";

    private StackManifests() {
    }

    /**
     * The ClusterPolicy, then the NVIDIADriver when {@code packs} has a gpu-driver (without one, the
     * ClusterPolicy installs the operator release's default driver on every GPU node).
     *
     * @param template the StackTemplate's name; it names the NVIDIADriver, so a new template version updates it in place
     * @param packs the template's packs, as the catalog holds them
     * @param nodeSelector the node labels of the environment's pools, for the NVIDIADriver; empty for every GPU node
     * @throws IllegalArgumentException when {@code packs} has no gpu-operator
     */
    public static List<HasMetadata> render(String template, String templateVersion, List<Pack> packs,
                                           Map<String, String> nodeSelector) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(templateVersion, "templateVersion");
        Objects.requireNonNull(nodeSelector, "nodeSelector");
        Pack operator = find(packs, OPERATOR_PACK).orElseThrow(() -> new IllegalArgumentException("stack template "
                + template + " " + templateVersion + " has no gpu-operator pack, so there is no ClusterPolicy to render"));
        Optional<Pack> driver = find(packs, DRIVER_PACK);
        OperatorImages images = OperatorImages.of(operator);

        List<HasMetadata> out = new ArrayList<>();
        out.add(clusterPolicy(template, templateVersion, operator, driver, images));
        driver.ifPresent(d -> out.add(nvidiaDriver(template, templateVersion, d, nodeSelector)));
        return List.copyOf(out);
    }

    private static Optional<Pack> find(List<Pack> packs, String name) {
        return packs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static HasMetadata clusterPolicy(String template, String templateVersion, Pack operator, Optional<Pack> driver,
                                             OperatorImages images) {
        Map<String, Object> spec = new LinkedHashMap<>();
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("defaultRuntime", "containerd");
        images.get("operator").ifPresent(i -> op.put("initContainer", i.fields()));
        spec.put("operator", op);

        Map<String, Object> daemonsets = new LinkedHashMap<>();
        daemonsets.put("updateStrategy", "RollingUpdate");
        daemonsets.put("priorityClassName", "system-node-critical");
        daemonsets.put("tolerations", List.of(Manifests.asMap(Target.gpuToleration())));
        spec.put("daemonsets", daemonsets);

        Map<String, Object> driverSpec = component(images, "driver", true);
        driverSpec.put("useNvidiaDriverCRD", driver.isPresent());
        driver.ifPresent(d -> {
            driverSpec.putIfAbsent("repository", "nvcr.io/nvidia");
            driverSpec.putIfAbsent("image", "driver");
            driverSpec.put("version", d.version().toString());
        });
        spec.put("driver", driverSpec);
        spec.put("toolkit", component(images, "toolkit", true));
        spec.put("devicePlugin", component(images, "devicePlugin", true));
        // dcgm-exporter runs DCGM's host engine embedded; the standalone DCGM is off, as in the chart's defaults.
        spec.put("dcgm", component(images, "dcgm", false));
        spec.put("dcgmExporter", component(images, "dcgmExporter", true));
        spec.put("gfd", component(images, "gfd", true));
        spec.put("mig", Map.of("strategy", "single"));
        spec.put("migManager", component(images, "migManager", true));
        spec.put("nodeStatusExporter", component(images, "nodeStatusExporter", false));
        images.get("validator").ifPresent(i -> spec.put("validator", i.fields()));

        ObjectMeta meta = new ObjectMetaBuilder().withName(CLUSTER_POLICY_NAME)
                .withLabels(labels(template))
                .withAnnotations(annotations(templateVersion, operator))
                .build();
        return Manifests.custom(CLUSTER_POLICY_API_VERSION, "ClusterPolicy", meta, spec);
    }

    /** A component switched on or off, with its image when the release names one. */
    private static Map<String, Object> component(OperatorImages images, String field, boolean enabled) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", enabled);
        images.get(field).ifPresent(i -> m.putAll(i.fields()));
        return m;
    }

    private static HasMetadata nvidiaDriver(String template, String templateVersion, Pack driver, Map<String, String> nodeSelector) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("driverType", "gpu");
        spec.put("repository", "nvcr.io/nvidia");
        spec.put("image", "driver");
        // The operator appends the node's OS to the version to pick the image tag (580.126.20-ubuntu24.04).
        spec.put("version", driver.version().toString());
        if (!nodeSelector.isEmpty()) spec.put("nodeSelector", new TreeMap<>(nodeSelector));
        spec.put("tolerations", List.of(Manifests.asMap(Target.gpuToleration())));
        ObjectMeta meta = new ObjectMetaBuilder().withName(template)
                .withLabels(labels(template))
                .withAnnotations(annotations(templateVersion, driver))
                .build();
        return Manifests.custom(NVIDIA_DRIVER_API_VERSION, "NVIDIADriver", meta, spec);
    }

    private static Map<String, String> labels(String template) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/managed-by", Target.MANAGED_BY);
        labels.put("millwright.dev/stack-template", template);
        return labels;
    }

    private static Map<String, String> annotations(String templateVersion, Pack pack) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("millwright.dev/stack-template-version", templateVersion);
        annotations.put("millwright.dev/pack", pack.id());
        return annotations;
    }
}
