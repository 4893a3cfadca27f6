package dev.millwright.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A kind's spec schema (JSON Schema 2020-12), loaded once from the classpath, and the field-path errors it
 * finds. The same document is published in {@code /api/v1/openapi.json}.
 */
public final class SpecSchema {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

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

    /** Turns the validator's instance location ($.members[0].role) into a field path (.members[0].role). */
    private static String pathOf(Error e) {
        String location = String.valueOf(e.getInstanceLocation());
        String path = location.startsWith("$") ? location.substring(1) : location;
        // a missing or unknown property is reported on its parent; name the property itself
        if (("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword()))
                && e.getProperty() != null) {
            path = path + "." + e.getProperty();
        }
        return path;
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
