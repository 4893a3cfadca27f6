package dev.millwright.bench;

import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.Layer;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.Pack.Requirement;
import dev.millwright.catalog.Version;
import dev.millwright.catalog.VersionRange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A catalog of about 2,000 pack versions over 16 names, shaped like the real one: driver branches with many
 * zero-padded patch releases, CUDA minors needing a minimum driver, Kubernetes minors with patches, operators and
 * CNIs supporting a window of Kubernetes minors, frameworks needing a CUDA range. The newest of each name does not
 * fit the newest of the others, so the solver has to narrow. Deterministic: no randomness.
 */
final class SyntheticCatalog {
    /** The names in stack order, bottom layer first. */
    static final List<String> NAMES = List.of("os", "kernel", "gpu-driver", "cuda", "containerd", "kubernetes", "cilium",
            "csi-driver-nfs", "gpu-operator", "vllm", "triton", "kserve", "kuberay", "kubeflow-trainer", "dcgm-exporter",
            "jupyterhub");

    /** A closed 12-layer stack: every requirement of these names stays among them. */
    static final List<String> TWELVE = List.of("os", "kernel", "gpu-driver", "cuda", "containerd", "kubernetes", "cilium",
            "csi-driver-nfs", "gpu-operator", "vllm", "kserve", "dcgm-exporter");

    private static final int[] DRIVER_BRANCHES = {535, 550, 560, 565, 570, 575, 580, 590, 595, 610};
    private static final String[] CUDA_MINORS = {"11.8", "12.0", "12.1", "12.2", "12.3", "12.4", "12.5", "12.6", "12.8",
            "12.9", "13.0", "13.1", "13.2"};
    private static final int[] CUDA_MIN_BRANCH = {520, 525, 530, 535, 545, 550, 555, 560, 570, 575, 580, 590, 595};

    private final List<Pack> packs = new ArrayList<>();

    private SyntheticCatalog() {
    }

    static Catalog build() {
        SyntheticCatalog c = new SyntheticCatalog();
        c.platform();
        c.gpu();
        c.kubernetes();
        c.frameworks();
        return Catalog.of(c.packs);
    }

    private void platform() {
        for (String release : new String[] {"22.04", "24.04", "26.04"}) {
            for (int point = 0; point < 6; point++) add(Layer.OS, "os", release + "." + point, List.of(), List.of());
        }
        for (int patch = 100; patch < 160; patch += 2) {
            add(Layer.KERNEL, "kernel", "5.15." + patch, List.of(req("os", ">=22.04 <24.04")), List.of());
        }
        for (int patch = 0; patch < 60; patch += 2) {
            add(Layer.KERNEL, "kernel", "6.8." + patch, List.of(req("os", ">=24.04 <26.04")), List.of());
        }
        for (int patch = 0; patch < 20; patch++) {
            add(Layer.KERNEL, "kernel", "6.14." + patch, List.of(req("os", ">=26.04")), List.of());
        }
        for (int minor = 6; minor <= 7; minor++) {
            for (int patch = 0; patch < 40; patch++) add(Layer.CONTAINER_RUNTIME, "containerd", "1." + minor + "." + patch, List.of(), List.of());
        }
        for (int minor = 0; minor <= 1; minor++) {
            for (int patch = 0; patch < 10; patch++) add(Layer.CONTAINER_RUNTIME, "containerd", "2." + minor + "." + patch, List.of(), List.of());
        }
    }

    private void gpu() {
        for (int b = 0; b < DRIVER_BRANCHES.length; b++) {
            int branch = DRIVER_BRANCHES[b];
            String kernel = branch < 570 ? "<6.14" : branch < 590 ? "*" : ">=6.8";
            for (int i = 0; i < 40; i++) {
                String version = String.format("%d.%d.%02d", branch, 40 + 3 * i, (i * 7) % 100);
                LocalDate eol = branch < 570 ? LocalDate.of(2026, 6, 30) : null;
                packs.add(new Pack(Layer.GPU_DRIVER, "gpu-driver", Version.of(version), List.of(req("kernel", kernel)),
                        List.of(), Set.of(), false, false, List.of(), eol, "synthetic"));
            }
        }
        for (int m = 0; m < CUDA_MINORS.length; m++) {
            for (int update = 0; update < 4; update++) {
                add(Layer.CUDA, "cuda", CUDA_MINORS[m] + "." + update,
                        List.of(req("gpu-driver", ">=" + CUDA_MIN_BRANCH[m] + "." + (20 + update) + ".03")), List.of());
            }
        }
        String[] operators = {"23.9", "24.3", "24.6", "24.9", "25.3", "25.10", "26.3"};
        for (int o = 0; o < operators.length; o++) {
            int fromK8s = 27 + o;
            int fromBranch = DRIVER_BRANCHES[Math.min(o, DRIVER_BRANCHES.length - 1)];
            int toBranch = DRIVER_BRANCHES[Math.min(o + 3, DRIVER_BRANCHES.length - 1)];
            for (int patch = 0; patch < 8; patch++) {
                add(Layer.GPU_OPERATOR, "gpu-operator", "v" + operators[o] + "." + patch,
                        List.of(req("kubernetes", ">=1." + fromK8s + " <1." + (fromK8s + 4)),
                                req("gpu-driver", ">=" + fromBranch + " <" + (toBranch + 1)),
                                req("containerd", ">=1.6")),
                        List.of());
            }
        }
        for (int minor = 1; minor <= 4; minor++) {
            for (int patch = 0; patch < 25; patch++) {
                add(Layer.OBSERVABILITY, "dcgm-exporter", "4." + minor + "." + patch,
                        List.of(req("gpu-driver", ">=" + DRIVER_BRANCHES[minor + 2]), req("gpu-operator", ">=24.6")),
                        List.of());
            }
        }
    }

    private void kubernetes() {
        for (int minor = 29; minor <= 36; minor++) {
            String containerd = minor < 32 ? ">=1.6" : minor < 35 ? ">=1.7" : ">=2.0";
            for (int patch = 0; patch < 22; patch++) {
                add(Layer.KUBERNETES, "kubernetes", "1." + minor + "." + patch, List.of(req("containerd", containerd)),
                        List.of());
            }
        }
        for (int minor = 14; minor <= 18; minor++) {
            for (int patch = 0; patch < 25; patch++) {
                add(Layer.CNI, "cilium", "1." + minor + "." + patch,
                        List.of(req("kubernetes", ">=1." + (minor + 14) + " <1." + (minor + 19))), List.of());
            }
        }
        for (int minor = 6; minor <= 11; minor++) {
            for (int patch = 0; patch < 10; patch++) {
                add(Layer.CSI, "csi-driver-nfs", "4." + minor + "." + patch,
                        List.of(req("kubernetes", ">=1." + (minor + 22))), List.of());
            }
        }
    }

    private void frameworks() {
        String[] vllmCuda = {">=12.1 <13.0", ">=12.1 <13.0", ">=12.4 <13.0", ">=12.4 <13.1", ">=12.6 <13.1",
                ">=12.8 <13.1", ">=12.8 <13.2", ">=12.9"};
        for (int minor = 4; minor <= 11; minor++) {
            for (int patch = 0; patch < 28; patch++) {
                add(Layer.SERVING, "vllm", "0." + minor + "." + patch, List.of(req("cuda", vllmCuda[minor - 4])), List.of());
            }
        }
        for (int year = 24; year <= 25; year++) {
            for (int month = 1; month <= 12; month++) {
                int cudaMinor = Math.min(9, (year - 24) * 6 + month / 2);
                for (int build = 0; build < 8; build++) {
                    add(Layer.SERVING, "triton", String.format("%d.%02d.%d", year, month, build),
                            List.of(req("cuda", "~12." + cudaMinor)), List.of());
                }
            }
        }
        for (int minor = 11; minor <= 16; minor++) {
            for (int patch = 0; patch < 15; patch++) {
                add(Layer.SERVING, "kserve", "0." + minor + "." + patch,
                        List.of(req("kubernetes", ">=1." + (minor + 17) + " <1." + (minor + 22))), List.of());
            }
        }
        for (int minor = 0; minor <= 5; minor++) {
            for (int patch = 0; patch < 25; patch++) {
                add(Layer.TRAINING, "kuberay", "1." + minor + "." + patch,
                        List.of(req("kubernetes", ">=1." + (minor + 25))), List.of());
            }
        }
        String[] trainer = {"1.7", "1.8", "1.9", "2.0", "2.1"};
        for (int t = 0; t < trainer.length; t++) {
            List<Requirement> conflicts = t < 3 ? List.of(req("kuberay", ">=1.4")) : List.of();
            for (int patch = 0; patch < 12; patch++) {
                add(Layer.TRAINING, "kubeflow-trainer", trainer[t] + "." + patch,
                        List.of(req("kubernetes", ">=1." + (28 + t) + " <1." + (33 + t))), conflicts);
            }
        }
        for (int major = 3; major <= 4; major++) {
            for (int minor = 0; minor <= 4; minor++) {
                for (int patch = 0; patch < 12; patch++) {
                    add(Layer.MLOPS, "jupyterhub", major + "." + minor + "." + patch,
                            List.of(req("kubernetes", ">=1." + (26 + major + minor))), List.of());
                }
            }
        }
    }

    private void add(Layer layer, String name, String version, List<Requirement> requires, List<Requirement> conflicts) {
        packs.add(new Pack(layer, name, Version.of(version), requires, conflicts, Set.of(), false, false, List.of(), null,
                "synthetic"));
    }

    private static Requirement req(String pack, String range) {
        return new Requirement(pack, VersionRange.of(range), "synthetic rule");
    }
}
