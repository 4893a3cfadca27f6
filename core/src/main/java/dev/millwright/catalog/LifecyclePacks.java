package dev.millwright.catalog;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Packs whose facts are a release line's latest patch and end of life, from endoflife.date
 * ({@code eol_dates_endoflife_date.csv}): Kubernetes from 1.29, containerd, Cilium, Calico, and the OS images
 * the GPU Operator supports (Ubuntu 22.04 / 24.04 / 26.04 LTS, RHEL 8 / 9 / 10). The pack version is the
 * latest patch ("1.33.13", "24.04.4", "9.8"); its packages are the names vulnerability feeds use for it
 * (the Kubernetes CVE feed's components, Go modules for containerd and Cilium). An {@code eol} of "False" means no end of life is announced yet
 * and gives no date; anything else that is no date is told to the skip log and the pack keeps no date.
 */
final class LifecyclePacks {
    /** The oldest Kubernetes minor in the catalog. */
    static final int OLDEST_KUBERNETES_MINOR = 29;

    /** One product line: which rows of the product it takes, and the packages a release of it contains. */
    private record Line(String product, Layer layer, String name, Predicate<String> cycles,
                        Function<String, List<Pack.SoftwarePackage>> packages) {
    }

    /** Components the official Kubernetes CVE feed (OSV ecosystem "kubernetes") names, all released together. */
    private static final List<String> KUBERNETES_COMPONENTS = List.of("k8s.io/kubernetes", "k8s.io/apiserver",
            "k8s.io/kubelet", "k8s.io/kubectl", "k8s.io/controller-manager", "k8s.io/kube-proxy");

    private static final List<Line> LINES = List.of(
            new Line("kubernetes", Layer.KUBERNETES, "kubernetes", LifecyclePacks::kubernetesCycle, LifecyclePacks::kubernetesPackages),
            new Line("containerd", Layer.CONTAINER_RUNTIME, "containerd", c -> true,
                    v -> List.of(go(v.startsWith("1.") ? "github.com/containerd/containerd" : "github.com/containerd/containerd/v2", v))),
            new Line("cilium", Layer.CNI, "cilium", c -> true, v -> List.of(go("github.com/cilium/cilium", v))),
            // No Go package for Calico: the Go vulnerability database names its module by pseudo-versions, not 3.x releases.
            new Line("calico", Layer.CNI, "calico", c -> true, v -> List.of()),
            new Line("ubuntu", Layer.OS, "ubuntu", Set.of("22.04", "24.04", "26.04")::contains, v -> List.of()),
            new Line("rhel", Layer.OS, "rhel", Set.of("8", "9", "10")::contains, v -> List.of()));

    private LifecyclePacks() {
    }

    static List<Pack> build(CsvRows endOfLifeDate, SkipLog skips) {
        List<Pack> packs = new ArrayList<>();
        for (Line line : LINES) {
            for (CsvRows.Row row : endOfLifeDate.rows()) {
                if (!row.get("product").equals(line.product()) || !line.cycles().test(row.get("releaseCycle"))) continue;
                Version version;
                try {
                    version = Version.of(row.get("latest"));
                } catch (IllegalArgumentException e) {
                    skips.skip(row, line.product() + " " + row.get("releaseCycle") + " has no latest version (\"" + row.get("latest") + "\")");
                    continue;
                }
                String eol = row.get("eol");
                LocalDate endOfLife = null;
                if (!eol.equalsIgnoreCase("false")) {
                    try {
                        endOfLife = LocalDate.parse(eol);
                    } catch (DateTimeParseException e) {
                        skips.skip(row, "end of life \"" + eol + "\" of " + line.product() + " " + row.get("releaseCycle") + " is no date; the pack has none");
                    }
                }
                String source = line.name() + " " + version + " from " + row.where() + " (latest release of the "
                        + row.get("releaseCycle") + " line, end of life " + (eol.equalsIgnoreCase("false") ? "not announced" : eol)
                        + "; " + row.get("source") + ")";
                packs.add(new Pack(line.layer(), line.name(), version, List.of(), List.of(), Set.of(), false, false,
                        line.packages().apply(version.toString()), endOfLife, source));
            }
        }
        return packs;
    }

    private static List<Pack.SoftwarePackage> kubernetesPackages(String version) {
        List<Pack.SoftwarePackage> packages = new ArrayList<>();
        for (String c : KUBERNETES_COMPONENTS) packages.add(new Pack.SoftwarePackage("kubernetes", c, version));
        packages.add(go("k8s.io/kubernetes", version));
        return packages;
    }

    /** A Go module in the Go vulnerability database's form: the version without "v". */
    private static Pack.SoftwarePackage go(String module, String version) {
        return new Pack.SoftwarePackage(GpuOperatorImages.GO, module, version);
    }

    private static boolean kubernetesCycle(String cycle) {
        try {
            Version v = Version.of(cycle);
            return v.major() == 1 && v.minor() >= OLDEST_KUBERNETES_MINOR;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
