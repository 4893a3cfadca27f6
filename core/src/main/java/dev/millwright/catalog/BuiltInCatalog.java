package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalog Millwright ships: real packs built from copies of public compatibility and lifecycle data in
 * {@code catalog/} on the classpath (see the README there for each file's origin), and a hand-maintained
 * {@code catalog/frameworks.yaml}. Every pack's {@link Pack#source()} names the file and line each of its
 * facts comes from, and every requirement's reason cites the document behind it.
 *
 * <p>It holds: gpu-driver (every NVIDIA Linux driver release the data names, end of life from its branch),
 * cuda (11.8 on, each needing its minimum driver), gpu-operator (every release from v1.9.0, with its images
 * and its Kubernetes range where the platform-support page has one), kubernetes (1.29 to the newest), containerd,
 * cilium, calico, ubuntu and rhel, and the frameworks vllm, triton-inference-server, kserve, kuberay,
 * kubeflow-trainer and jupyterhub. How each is derived, and the choices made about the data, are written on
 * the package-private builder of each.
 *
 * <p>Bad data never throws: a row or cell that cannot be used is left out and listed in {@link #skipped()}.
 */
public final class BuiltInCatalog {
    private BuiltInCatalog() {
    }

    /** What one load produced. */
    record Loaded(Catalog catalog, List<String> skipped) {
        Loaded {
            skipped = List.copyOf(skipped);
        }
    }

    /** Loads once, on first use, in the class-initialisation lock: the holder idiom. */
    private static final class Holder {
        static final Loaded LOADED = build();
    }

    /**
     * The built-in catalog. The first call reads the data (tens of milliseconds); later calls return the same
     * immutable instance.
     *
     * @throws IllegalStateException when a data file is missing from the classpath (a packaging error)
     */
    public static Catalog load() {
        return Holder.LOADED.catalog();
    }

    /**
     * What loading left out of the data, one "file:line: why" per entry (for frameworks.yaml, "file:name
     * version: why"), in the order the loader met them. Loads the catalog if it is not loaded yet.
     */
    public static List<String> skipped() {
        return Holder.LOADED.skipped();
    }

    /** Builds a fresh catalog from the data, uncached; {@link #load()} is the cached form. */
    static Loaded build() {
        SkipLog skips = new SkipLog();
        // 1. Read the data copies.
        CsvRows endOfLifeDate = CsvRows.read("eol_dates_endoflife_date.csv");
        CsvRows nvidiaBranches = CsvRows.read("nvidia_driver_branches_nvidia_docs.csv");
        CsvRows operatorComponents = CsvRows.read("gpu_operator_component_versions.csv");
        CsvRows operatorDrivers = CsvRows.read("gpu_operator_supported_drivers.csv");
        CsvRows operatorPlatforms = CsvRows.read("gpu_operator_platform_support.csv");
        CsvRows cudaMinimums = CsvRows.read("cuda_toolkit_min_driver.csv");
        CsvRows cudaMinorCompat = CsvRows.read("cuda_minor_version_compat.csv");
        // 2. Date the driver branches, which the driver packs need.
        DriverBranches branches = DriverBranches.read(endOfLifeDate, nvidiaBranches, skips);
        // 3. Build each kind of pack.
        List<Pack> packs = new ArrayList<>();
        packs.addAll(DriverPacks.build(endOfLifeDate, operatorComponents, operatorDrivers, branches, skips));
        packs.addAll(CudaPacks.build(cudaMinimums, cudaMinorCompat, skips));
        packs.addAll(GpuOperatorPacks.build(operatorComponents, operatorPlatforms, operatorDrivers, skips));
        packs.addAll(LifecyclePacks.build(endOfLifeDate, skips));
        packs.addAll(FrameworkPacks.build(skips));
        // 4. Index them; a pack built twice is a loader bug, and Catalog.of refuses it.
        return new Loaded(Catalog.of(packs), skips.entries());
    }
}
