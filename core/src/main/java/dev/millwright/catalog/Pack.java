package dev.millwright.catalog;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One versioned component of a stack, with what it needs and what it cannot run with.
 *
 * @param name the component ("gpu-driver", "cuda", "kubernetes", "vllm"); one layer may hold several names
 * @param requires other packs that must be in the stack, in a version range
 * @param conflicts versions of other packs that must not be in the stack
 * @param gpuModels the GPU models it supports; empty for any
 * @param packages the software it contains, for vulnerability matching
 * @param endOfLife when its vendor stops fixing it; null when unknown or not announced
 * @param source where each fact comes from
 */
public record Pack(Layer layer, String name, Version version, List<Requirement> requires, List<Requirement> conflicts,
                   Set<String> gpuModels, boolean fips, boolean confidentialComputing, List<SoftwarePackage> packages,
                   LocalDate endOfLife, String source) {
    public Pack {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        requires = List.copyOf(requires);
        conflicts = List.copyOf(conflicts);
        gpuModels = Set.copyOf(gpuModels);
        packages = List.copyOf(packages);
        source = source == null ? "" : source;
    }

    /** "cuda 12.8": how messages name a pack. */
    public String id() {
        return name + " " + version;
    }

    /**
     * A rule on another pack.
     *
     * @param reason the fact behind it, for explanations ("CUDA 12.8 needs driver >= 570.26 (NVIDIA CUDA release notes)")
     */
    public record Requirement(String pack, VersionRange range, String reason) {
        public Requirement {
            Objects.requireNonNull(pack, "pack");
            Objects.requireNonNull(range, "range");
            reason = reason == null ? "" : reason;
        }
    }

    /** One piece of software inside a pack, in OSV terms. */
    public record SoftwarePackage(String ecosystem, String name, String version) {
    }
}
