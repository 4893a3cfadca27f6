package dev.millwright.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The framework packs (vLLM, Triton Inference Server, KServe, KubeRay, Kubeflow Trainer, JupyterHub), from the
 * hand-maintained {@code catalog/frameworks.yaml}. Every version and every requirement there must carry a
 * source; a version entry with a fact that lacks one, or with anything unparsable, is left out whole and told
 * to the skip log, so a half-sourced pack never reaches the catalog.
 */
final class FrameworkPacks {
    static final String FILE = "frameworks.yaml";

    private FrameworkPacks() {
    }

    /** A version entry that cannot become a pack, and why. */
    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static List<Pack> build(SkipLog skips) {
        JsonNode root;
        try {
            root = read();
        } catch (UncheckedIOException e) {
            skips.skip(FILE, "1", "not readable as YAML, so no framework packs: " + e.getCause().getMessage());
            return List.of();
        }
        List<Pack> packs = new ArrayList<>();
        JsonNode frameworks = root.path("frameworks");
        for (int i = 0; i < frameworks.size(); i++) {
            JsonNode f = frameworks.get(i);
            String name = f.path("name").asText("");
            Optional<Layer> layer = Layer.fromWire(f.path("layer").asText(""));
            if (name.isEmpty() || layer.isEmpty()) {
                skips.skip(FILE, "frameworks[" + i + "]", "a framework needs a name and a known layer (name \"" + name
                        + "\", layer \"" + f.path("layer").asText("") + "\")");
                continue;
            }
            JsonNode versions = f.path("versions");
            for (int j = 0; j < versions.size(); j++) {
                JsonNode v = versions.get(j);
                try {
                    packs.add(pack(name, layer.get(), v));
                } catch (Invalid | IllegalArgumentException e) {
                    skips.skip(FILE, name + " " + v.path("version").asText("versions[" + j + "]"), e.getMessage());
                }
            }
        }
        return packs;
    }

    private static Pack pack(String name, Layer layer, JsonNode v) {
        Version version = Version.of(required(v, "version"));
        String source = required(v, "source");
        List<Pack.SoftwarePackage> packages = new ArrayList<>();
        for (JsonNode p : v.path("packages")) {
            packages.add(new Pack.SoftwarePackage(required(p, "ecosystem"), required(p, "name"), required(p, "version")));
        }
        List<Pack.Requirement> requires = new ArrayList<>();
        for (JsonNode r : v.path("requires")) {
            String fact = required(r, "fact");
            String factSource = required(r, "source");
            requires.add(new Pack.Requirement(required(r, "pack"), VersionRange.of(required(r, "range")), fact + " (" + factSource + ")."));
        }
        LocalDate endOfLife = null;
        if (v.hasNonNull("endOfLife")) {
            try {
                endOfLife = LocalDate.parse(v.get("endOfLife").asText());
            } catch (DateTimeParseException e) {
                throw new Invalid("endOfLife \"" + v.get("endOfLife").asText() + "\" is no date");
            }
        }
        return new Pack(layer, name, version, requires, List.of(), Set.of(), false, false, packages, endOfLife,
                name + " " + version + " from " + FILE + " (" + source + ")");
    }

    private static String required(JsonNode node, String field) {
        String s = node.path(field).asText("").trim();
        if (s.isEmpty()) throw new Invalid("\"" + field + "\" is missing or empty");
        return s;
    }

    private static JsonNode read() {
        try (InputStream in = FrameworkPacks.class.getResourceAsStream(CsvRows.FOLDER + FILE)) {
            if (in == null) throw new IllegalStateException("catalog data file " + CsvRows.FOLDER + FILE + " is missing from the classpath");
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog data file " + FILE, e);
        }
    }
}
