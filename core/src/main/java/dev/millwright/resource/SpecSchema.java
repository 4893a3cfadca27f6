package dev.millwright.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A kind's spec schema (JSON Schema 2020-12), loaded once from the classpath, and the field-path errors it
 * finds. The same document is published in {@code /api/v1/openapi.json}.
 */
public final class SpecSchema {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /** Property names written after a dot in field paths; anything else is quoted in brackets. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    private final JsonNode json;
    private final Schema schema;

    private SpecSchema(JsonNode json) {
        this.json = json;
        this.schema = REGISTRY.getSchema(json);
    }

    /** Loads {@code /schemas/<name>} from the classpath of {@code owner}; a missing schema is a build error. */
    public static SpecSchema classpath(Class<?> owner, String name) {
        String path = "/schemas/" + name;
        try (InputStream in = owner.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("schema " + path + " is missing from the classpath");
            return new SpecSchema(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("schema " + path + " is not valid JSON", e);
        }
    }

    public static SpecSchema of(JsonNode json) {
        return new SpecSchema(json);
    }

    public JsonNode json() {
        return json;
    }

    /** Errors of {@code spec}, keyed by paths that start with {@code prefix} ("spec"), in a stable order. */
    public Map<String, List<String>> validate(JsonNode spec, String prefix) {
        Map<String, List<String>> errors = new TreeMap<>();
        for (Error e : schema.validate(spec)) {
            String path = prefix + pathOf(e);
            errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason(e));
        }
        errors.replaceAll((k, v) -> v.stream().sorted().distinct().toList());
        return errors;
    }

    /**
     * Turns the validator's instance location into a field path (.members[0].role). The location is read
     * element by element: its string form is a JSON Pointer (/members/0/role) in this library version.
     */
    private static String pathOf(Error e) {
        StringBuilder path = new StringBuilder();
        NodePath location = e.getInstanceLocation();
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            appendSegment(path, location.getElement(i));
        }
        // a missing or unknown property is reported on its parent; name the property itself
        if (("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword()))
                && e.getProperty() != null) {
            appendSegment(path, e.getProperty());
        }
        return path.toString();
    }

    /** ".name" for plain names, "[3]" for array indexes, and ["a.b"] for names a dot would make ambiguous. */
    private static void appendSegment(StringBuilder path, Object element) {
        if (element instanceof Integer index) {
            path.append('[').append(index).append(']');
        } else {
            String name = String.valueOf(element);
            if (PLAIN_NAME.matcher(name).matches()) path.append('.').append(name);
            else path.append('[').append(Json.string(name)).append(']');
        }
    }

    private static String reason(Error e) {
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        return switch (keyword) {
            case "required" -> "required field is missing";
            case "additionalProperties" -> "unknown field";
            default -> stripLocation(e.getMessage());
        };
    }

    // The library prefixes messages with the instance location, which the key already carries.
    private static String stripLocation(String message) {
        int colon = message.indexOf(": ");
        return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
    }
}
