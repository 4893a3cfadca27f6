package dev.millwright.infra.kubernetes;

import dev.millwright.catalog.Pack;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The component images a gpu-operator pack lists (its container packages, taken from the release's values.yaml),
 * by the ClusterPolicy field that deploys each. GPU Feature Discovery ships in the device plugin's image since
 * v0.15, where the pack lists that image once; older releases list a gpu-feature-discovery image of its own.
 */
final class OperatorImages {
    /** One image as ClusterPolicy splits it. */
    record Image(String repository, String image, String version) {
        static Image of(String name, String version) {
            int slash = name.lastIndexOf('/');
            return new Image(name.substring(0, slash), name.substring(slash + 1), version);
        }

        Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("repository", repository);
            m.put("image", image);
            m.put("version", version);
            return m;
        }
    }

    /** Image names in the packs, and the ClusterPolicy field of each ("operator" is its init container). */
    private static final Map<String, String> FIELDS = Map.of(
            "nvcr.io/nvidia/driver", "driver",
            "nvcr.io/nvidia/k8s/container-toolkit", "toolkit",
            "nvcr.io/nvidia/k8s-device-plugin", "devicePlugin",
            "nvcr.io/nvidia/gpu-feature-discovery", "gfd",
            "nvcr.io/nvidia/cloud-native/dcgm", "dcgm",
            "nvcr.io/nvidia/k8s/dcgm-exporter", "dcgmExporter",
            "nvcr.io/nvidia/cloud-native/k8s-mig-manager", "migManager",
            "nvcr.io/nvidia/cloud-native/gpu-operator-validator", "validator",
            "nvcr.io/nvidia/cuda", "operator");

    private final Map<String, Image> byField;

    private OperatorImages(Map<String, Image> byField) {
        this.byField = byField;
    }

    static OperatorImages of(Pack operator) {
        Map<String, Image> byField = new LinkedHashMap<>();
        for (Pack.SoftwarePackage p : operator.packages()) {
            if (!"container".equals(p.ecosystem())) continue;
            String field = FIELDS.get(p.name());
            if (field != null) byField.putIfAbsent(field, Image.of(p.name(), p.version()));
        }
        if (!byField.containsKey("gfd") && byField.containsKey("devicePlugin")) byField.put("gfd", byField.get("devicePlugin"));
        // The node status exporter runs in the validator's image (values.yaml).
        if (byField.containsKey("validator")) byField.put("nodeStatusExporter", byField.get("validator"));
        return new OperatorImages(byField);
    }

    /** The image of a ClusterPolicy field, when the release names one. */
    Optional<Image> get(String field) {
        return Optional.ofNullable(byField.get(field));
    }
}
