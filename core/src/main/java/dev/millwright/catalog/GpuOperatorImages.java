package dev.millwright.catalog;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one GPU Operator release deploys by default, as packages for vulnerability matching: every component
 * image as a "container" package (image name from the operator's values.yaml, tag as the table writes it),
 * and the NVIDIA Go modules behind the toolkit, device plugin and MIG manager as "Go" packages in the versions
 * the Go vulnerability database uses (no "v", no distro suffix: "v1.17.8-ubuntu20.04" is 1.17.8).
 */
final class GpuOperatorImages {
    static final String CONTAINER = "container";
    static final String GO = "Go";

    /** Component columns and the image each names ({@code repository/image} in values.yaml); gfd is apart. */
    private static final Map<String, String> IMAGES = images();

    /** Component columns built from an NVIDIA Go module, and that module. */
    private static final Map<String, String> GO_MODULES = Map.of(
            "toolkit", "github.com/NVIDIA/nvidia-container-toolkit",
            "devicePlugin", "github.com/NVIDIA/k8s-device-plugin",
            "migManager", "github.com/NVIDIA/mig-parted");

    private static final Pattern RELEASE = Pattern.compile("^v?(\\d+\\.\\d+\\.\\d+)(-.*)?$");

    private GpuOperatorImages() {
    }

    private static Map<String, String> images() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("driver", "nvcr.io/nvidia/driver");
        m.put("toolkit", "nvcr.io/nvidia/k8s/container-toolkit");
        m.put("devicePlugin", "nvcr.io/nvidia/k8s-device-plugin");
        m.put("dcgm", "nvcr.io/nvidia/cloud-native/dcgm");
        m.put("dcgmExporter", "nvcr.io/nvidia/k8s/dcgm-exporter");
        m.put("migManager", "nvcr.io/nvidia/cloud-native/k8s-mig-manager");
        m.put("gds", "nvcr.io/nvidia/cloud-native/nvidia-fs");
        m.put("gdrcopy", "nvcr.io/nvidia/cloud-native/gdrdrv");
        m.put("vgpuDeviceManager", "nvcr.io/nvidia/cloud-native/vgpu-device-manager");
        m.put("sandboxDevicePlugin", "nvcr.io/nvidia/kubevirt-gpu-device-plugin");
        m.put("kataManager", "nvcr.io/nvidia/cloud-native/k8s-kata-manager");
        m.put("ccManager", "nvcr.io/nvidia/cloud-native/k8s-cc-manager");
        m.put("operator_init_cuda_image", "nvcr.io/nvidia/cuda");
        return m;
    }

    /** @param tag the release as the table writes it ("v25.10.0") */
    static List<Pack.SoftwarePackage> packages(CsvRows.Row row, String tag) {
        Set<Pack.SoftwarePackage> packages = new LinkedHashSet<>();
        packages.add(new Pack.SoftwarePackage(CONTAINER, "nvcr.io/nvidia/gpu-operator", tag));
        // values.yaml leaves the validator's version empty to mean the chart's appVersion, the release tag.
        String validator = row.get("validator");
        packages.add(new Pack.SoftwarePackage(CONTAINER, "nvcr.io/nvidia/cloud-native/gpu-operator-validator", validator.isEmpty() ? tag : validator));
        IMAGES.forEach((column, image) -> {
            String v = row.get(column);
            if (!v.isEmpty()) packages.add(new Pack.SoftwarePackage(CONTAINER, image, v));
        });
        // GPU feature discovery ships in the device plugin's image since v0.15; the table shows it as the same tag.
        String gfd = row.get("gfd");
        if (!gfd.isEmpty()) {
            String image = gfd.equals(row.get("devicePlugin")) ? IMAGES.get("devicePlugin") : "nvcr.io/nvidia/gpu-feature-discovery";
            packages.add(new Pack.SoftwarePackage(CONTAINER, image, gfd));
        }
        // Node Feature Discovery comes in as a Helm subchart: the table has the chart's version, not an image tag.
        String nfd = row.get("nfd_chart");
        if (!nfd.isEmpty()) packages.add(new Pack.SoftwarePackage("helm", "node-feature-discovery", nfd));

        // No Go package for github.com/NVIDIA/gpu-operator itself: its module path has no /vN suffix, so Go cannot
        // name its v22+ releases by their tags, only by pseudo-versions, which this table does not have.
        GO_MODULES.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e ->
                goRelease(row.get(e.getKey())).ifPresent(v -> packages.add(new Pack.SoftwarePackage(GO, e.getValue(), v))));
        return List.copyOf(packages);
    }

    private static Optional<String> goRelease(String tag) {
        Matcher m = RELEASE.matcher(tag);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
