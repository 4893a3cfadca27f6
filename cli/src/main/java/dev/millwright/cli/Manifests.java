package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the objects of {@code -f}: a file of one or more YAML documents or JSON, a directory of them, or stdin. */
final class Manifests {
    /** One object read, with where it came from for messages. */
    record Doc(String source, JsonNode object) {
    }

    private Manifests() {
    }

    static List<Doc> read(String location, boolean recursive, InputStream stdin) {
        try {
            if (location.equals("-")) return parse("stdin", new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
            Path path = Path.of(location);
            if (Files.isDirectory(path)) {
                List<Doc> out = new ArrayList<>();
                try (Stream<Path> files = recursive ? Files.walk(path) : Files.list(path)) {
                    for (Path f : files.filter(Files::isRegularFile).filter(Manifests::isManifest).sorted().toList()) {
                        out.addAll(parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
                    }
                }
                return out;
            }
            if (!Files.exists(path)) throw new CliException(ExitCodes.USAGE, "error: " + location + " does not exist");
            return parse(location, Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "error: cannot read " + location + ": " + e.getMessage());
        }
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    static List<Doc> parse(String source, String text) {
        List<Doc> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Json.YAML.readerFor(JsonNode.class).readValues(text)) {
            int n = 0;
            while (it.hasNextValue()) {
                n++;
                JsonNode doc = it.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode()) continue;
                String where = source + " (document " + n + ")";
                if (!doc.isObject()) throw new CliException(ExitCodes.INVALID, "error: " + where + " is not an object");
                if (doc.path("kind").asText().endsWith("List") && doc.path("items").isArray()) {
                    for (JsonNode item : doc.get("items")) out.add(new Doc(where, item));
                } else {
                    out.add(new Doc(where, doc));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CliException c) throw c;
            throw new CliException(ExitCodes.INVALID, "error: " + source + " is not valid YAML or JSON: " + firstLine(e.getMessage()));
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
