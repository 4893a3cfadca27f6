package dev.millwright.catalog;

import dev.millwright.catalog.Pack.Requirement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Small synthetic packs for solver tests: {@code pack("cuda", "12.8").requires("gpu-driver", ">=570.26").build()}. */
final class PackBuilder {
    private final String name;
    private final String version;
    private Layer layer;
    private final List<Requirement> requires = new ArrayList<>();
    private final List<Requirement> conflicts = new ArrayList<>();
    private Set<String> gpuModels = Set.of();
    private LocalDate endOfLife;

    private PackBuilder(String name, String version) {
        this.name = name;
        this.version = version;
        this.layer = Layer.fromWire(name).orElse(Layer.SERVING);
    }

    /** A pack in the layer of the same wire name ("cuda", "gpu-driver"), else the serving layer. */
    static PackBuilder pack(String name, String version) {
        return new PackBuilder(name, version);
    }

    static Catalog catalog(PackBuilder... packs) {
        return Catalog.of(Arrays.stream(packs).map(PackBuilder::build).toList());
    }

    static Stack stack(PackBuilder... packs) {
        return new Stack(Arrays.stream(packs).map(PackBuilder::build).toList());
    }

    PackBuilder layer(Layer l) {
        this.layer = l;
        return this;
    }

    PackBuilder requires(String pack, String range) {
        return requires(pack, range, "");
    }

    PackBuilder requires(String pack, String range, String reason) {
        requires.add(new Requirement(pack, VersionRange.of(range), reason));
        return this;
    }

    PackBuilder conflicts(String pack, String range) {
        return conflicts(pack, range, "");
    }

    PackBuilder conflicts(String pack, String range, String reason) {
        conflicts.add(new Requirement(pack, VersionRange.of(range), reason));
        return this;
    }

    PackBuilder gpus(String... models) {
        this.gpuModels = Set.of(models);
        return this;
    }

    PackBuilder endOfLife(String day) {
        this.endOfLife = LocalDate.parse(day);
        return this;
    }

    Pack build() {
        return new Pack(layer, name, Version.of(version), requires, conflicts, gpuModels, false, false, List.of(),
                endOfLife, "test fixture");
    }
}
