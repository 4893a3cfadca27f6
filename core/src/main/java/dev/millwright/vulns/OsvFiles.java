package dev.millwright.vulns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * OSV records from files: one file, a directory (searched to any depth) or a zip of records, each file JSON or
 * YAML (.json, .yaml, .yml; other files are left alone). A file holds one record, a list of records, or an
 * object whose {@code vulns} lists them (as the OSV API answers). Every record is read whole or reported with
 * its file and field; a bad record never stops the others being read.
 */
public final class OsvFiles {
    private OsvFiles() {
    }

    /** A record that could not be read: where, and why, by field path. */
    public record Problem(String source, Map<String, List<String>> reasons) {
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(source);
            reasons.forEach((field, why) -> out.append("\n  ").append(field.isEmpty() ? "(record)" : field).append(": ").append(String.join("; ", why)));
            return out.toString();
        }
    }

    /**
     * @param records each advisory's record as written, in the same order (what an import stores)
     */
    public record Result(List<Advisory> advisories, List<JsonNode> records, List<Problem> problems) {
    }

    public static Result read(Path path) {
        List<Advisory> advisories = new ArrayList<>();
        List<JsonNode> records = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        if (isRecordFile(f.toString())) readBytes(path.relativize(f).toString(), Files.readAllBytes(f), advisories, records, problems);
                    }
                }
            } else if (!Files.isRegularFile(path)) {
                problems.add(new Problem(path.toString(), Map.of("", List.of("no such file or directory"))));
            } else if (path.toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(path))) {
                    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                        if (!e.isDirectory() && isRecordFile(e.getName())) readBytes(path.getFileName() + "!" + e.getName(), zip.readAllBytes(), advisories, records, problems);
                    }
                }
            } else {
                readBytes(path.getFileName().toString(), Files.readAllBytes(path), advisories, records, problems);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read advisories from " + path, e);
        }
        return new Result(advisories, records, problems);
    }

    /** Records from one file's bytes, named {@code source} in problems. */
    public static Result read(String source, InputStream in) throws IOException {
        List<Advisory> advisories = new ArrayList<>();
        List<JsonNode> records = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        readBytes(source, in.readAllBytes(), advisories, records, problems);
        return new Result(advisories, records, problems);
    }

    private static boolean isRecordFile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
    }

    private static void readBytes(String source, byte[] bytes, List<Advisory> advisories, List<JsonNode> read, List<Problem> problems) {
        JsonNode root;
        try {
            boolean yaml = source.toLowerCase(Locale.ROOT).matches(".*\\.ya?ml$");
            root = (yaml ? Json.YAML : Json.MAPPER).readTree(bytes);
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(source, Map.of("", List.of("not valid JSON or YAML: " + firstLine(e.getMessage())))));
            return;
        }
        List<JsonNode> records = new ArrayList<>();
        if (root == null || root.isMissingNode()) {
            problems.add(new Problem(source, Map.of("", List.of("empty file"))));
            return;
        } else if (root.isArray()) {
            root.forEach(records::add);
        } else if (root.isObject() && root.path("vulns").isArray() && !root.has("id")) {
            root.get("vulns").forEach(records::add);
        } else {
            records.add(root);
        }
        for (int i = 0; i < records.size(); i++) {
            OsvReader.Result r = OsvReader.read(records.get(i));
            if (r.ok()) {
                advisories.add(r.advisory());
                read.add(records.get(i));
            }
            else problems.add(new Problem(source + (records.size() > 1 ? "[" + i + "]" : "") + idOf(records.get(i)), r.problems()));
        }
    }

    private static String idOf(JsonNode record) {
        return record.path("id").isTextual() ? " (" + record.get("id").asText() + ")" : "";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
