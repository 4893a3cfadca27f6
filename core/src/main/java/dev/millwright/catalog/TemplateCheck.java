package dev.millwright.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a StackTemplate's layers against a catalog: every layer names a pack version the catalog has, and
 * the packs together satisfy each other's rules. Pure: the catalog and the day come in, errors keyed by field
 * path and end-of-life warnings come out.
 */
public final class TemplateCheck {
    private TemplateCheck() {
    }

    /** What the check found: errors (the template is refused) keyed by field path, and warnings. */
    public record Result(Map<String, List<String>> errors, List<Warning> warnings) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** The built-in catalog with the platform team's own packs; theirs win where name and version are equal. */
    public static Catalog merged(Catalog builtIn, Collection<Pack> own) {
        record Id(String name, Version version) {
        }
        Map<Id, Pack> byId = new java.util.LinkedHashMap<>();
        for (String name : builtIn.names()) for (Pack p : builtIn.versions(name)) byId.put(new Id(p.name(), p.version()), p);
        for (Pack p : own) byId.put(new Id(p.name(), p.version()), p);
        return Catalog.of(byId.values());
    }

    public static Result check(Catalog catalog, JsonNode templateSpec, LocalDate today) {
        Map<String, List<String>> errors = new TreeMap<>();
        List<Pack> chosen = new ArrayList<>();
        Map<String, Integer> layerOf = new HashMap<>();
        java.util.Set<String> unresolved = new java.util.HashSet<>();
        JsonNode layers = templateSpec.path("layers");
        for (int i = 0; i < layers.size(); i++) {
            String name = layers.get(i).path("pack").asText();
            String version = layers.get(i).path("version").asText();
            String path = "spec.layers[" + i + "]";
            try {
                var pack = find(catalog, name, version);
                if (pack.isEmpty()) {
                    unresolved.add(name);
                    String known = catalog.versions(name).stream().limit(5).map(p -> p.version().toString())
                            .reduce((a, b) -> a + ", " + b).orElse("");
                    add(errors, path + ".version", catalog.versions(name).isEmpty()
                            ? "the catalog has no pack " + name
                            : "the catalog has no " + name + " " + version + " (newest: " + known + ")");
                } else {
                    chosen.add(pack.get());
                    layerOf.putIfAbsent(name, i);
                }
            } catch (IllegalArgumentException e) {
                add(errors, path + ".version", e.getMessage());
            }
        }
        StackValidation v = CompatibilitySolver.validate(new Stack(chosen), today);
        for (Conflict c : v.conflicts()) {
            // a layer the catalog lacks is reported once, not again as "missing" by the packs that need it
            if (c.rule() == Conflict.Rule.MISSING && unresolved.contains(c.other())) continue;
            Integer i = layerOf.get(c.pack().split(" ", 2)[0]); // "cuda 12.8" names the layer of cuda
            add(errors, i == null ? "spec.layers" : "spec.layers[" + i + "]", c.message());
        }
        return new Result(errors, v.warnings());
    }

    /**
     * The exact packs a valid template's layers name, in layer order; empty when a layer names a pack the
     * catalog does not have (any more).
     */
    public static java.util.Optional<List<Pack>> packs(Catalog catalog, JsonNode templateSpec) {
        List<Pack> out = new ArrayList<>();
        for (JsonNode layer : templateSpec.path("layers")) {
            var pack = find(catalog, layer.path("pack").asText(), layer.path("version").asText());
            if (pack.isEmpty()) return java.util.Optional.empty();
            out.add(pack.get());
        }
        return java.util.Optional.of(out);
    }

    /**
     * The pack a layer names: that exact version, or for a release line written with fewer numbers
     * ("kubernetes 1.33", "ubuntu 24.04") the newest patch of that line the catalog has.
     */
    static java.util.Optional<Pack> find(Catalog catalog, String name, String version) {
        var exact = catalog.find(name, version);
        if (exact.isPresent()) return exact;
        String[] parts = version.replaceFirst("^[vV]", "").split("[-+~]", 2)[0].split("\\.");
        if (parts.length > 2) return exact;
        Version line = Version.of(version);
        return catalog.versions(name).stream()
                .filter(p -> p.version().major() == line.major() && (parts.length < 2 || p.version().minor() == line.minor()))
                .findFirst();
    }

    /** The packs that Pack objects of the store describe (their specs). */
    public static Pack fromSpec(JsonNode spec) {
        Layer layer = Layer.fromWire(spec.path("layer").asText())
                .orElseThrow(() -> new IllegalArgumentException("unknown layer " + spec.path("layer").asText()));
        List<Pack.Requirement> requires = rules(spec.path("requires"));
        List<Pack.Requirement> conflicts = rules(spec.path("conflicts"));
        List<String> gpus = new ArrayList<>();
        spec.path("gpuModels").forEach(g -> gpus.add(g.asText()));
        List<Pack.SoftwarePackage> packages = new ArrayList<>();
        spec.path("packages").forEach(p -> packages.add(new Pack.SoftwarePackage(p.path("ecosystem").asText(),
                p.path("name").asText(), p.path("version").asText())));
        LocalDate eol = spec.hasNonNull("endOfLife") ? LocalDate.parse(spec.get("endOfLife").asText()) : null;
        return new Pack(layer, spec.path("name").asText(), Version.of(spec.path("version").asText()), requires, conflicts,
                java.util.Set.copyOf(gpus), spec.path("fips").asBoolean(false), spec.path("confidentialComputing").asBoolean(false),
                packages, eol, spec.path("source").asText("Pack object"));
    }

    private static List<Pack.Requirement> rules(JsonNode list) {
        List<Pack.Requirement> out = new ArrayList<>();
        list.forEach(r -> out.add(new Pack.Requirement(r.path("pack").asText(), VersionRange.of(r.path("range").asText()),
                r.path("reason").asText(""))));
        return out;
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
