package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A rack manifest read into DockBatch rows. CSV with a header naming the columns {@code name, bmc, credentials,
 * rack, position[, bmcNetwork]} (any order; {@code credentialsRef} is accepted for {@code credentials}), or YAML: a
 * list of rows, or an object with {@code machines}. A bare BMC address becomes {@code https://ADDRESS}.
 */
final class DockManifest {
    private DockManifest() {
    }

    static ArrayNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "error: cannot read " + file + ": " + e.getMessage());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ArrayNode rows = name.endsWith(".csv") ? csv(text, file) : yaml(text, file);
        for (JsonNode r : rows) {
            ObjectNode row = (ObjectNode) r;
            String bmc = row.path("bmc").asText("");
            if (!bmc.isEmpty() && !bmc.contains("://")) row.put("bmc", "https://" + bmc);
        }
        return rows;
    }

    private static ArrayNode csv(String text, Path file) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (lines.isEmpty()) throw new CliException(ExitCodes.INVALID, "error: " + file + " has no header and no rows");
        List<String> header = Arrays.stream(lines.get(0).split(",")).map(String::strip).toList();
        if (!header.contains("name") || !header.contains("bmc")) {
            throw new CliException(ExitCodes.INVALID, "error: " + file + " line 1: the header must name the columns name and bmc (and may name "
                    + "credentials, rack, position, bmcNetwork); got " + header);
        }
        ArrayNode rows = Json.array();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.size()) {
                throw new CliException(ExitCodes.INVALID, "error: " + file + " line " + (i + 1) + ": " + cells.length + " cells, the header has " + header.size());
            }
            ObjectNode row = rows.addObject();
            for (int c = 0; c < cells.length; c++) {
                String value = cells[c].strip();
                if (value.isEmpty()) continue;
                switch (header.get(c)) {
                    case "credentials", "credentialsRef" -> row.put("credentialsRef", value);
                    case "position" -> {
                        try {
                            row.put("position", Integer.parseInt(value));
                        } catch (NumberFormatException e) {
                            throw new CliException(ExitCodes.INVALID, "error: " + file + " line " + (i + 1) + ": position \"" + value + "\" is not a number");
                        }
                    }
                    default -> row.put(header.get(c), value);
                }
            }
        }
        return rows;
    }

    private static ArrayNode yaml(String text, Path file) {
        JsonNode doc;
        try {
            doc = Json.YAML.readTree(text);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INVALID, "error: " + file + " is neither CSV nor YAML: " + e.getMessage());
        }
        JsonNode rows = doc != null && doc.isObject() ? doc.path("machines") : doc;
        if (rows == null || !rows.isArray()) throw new CliException(ExitCodes.INVALID, "error: " + file + ": expected a list of machines");
        return (ArrayNode) rows.deepCopy();
    }
}
