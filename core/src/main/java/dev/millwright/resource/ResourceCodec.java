package dev.millwright.resource;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads resources that users send (JSON or YAML) and writes resources as JSON. Every problem in the input
 * becomes an error naming the field path; nothing here throws anything else on bad input.
 */
public final class ResourceCodec {
    private static final Set<String> TOP_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> META_FIELDS = Set.of("name", "tenant", "labels", "annotations", "uid",
            "resourceVersion", "generation", "creationTimestamp");

    /**
     * Largest power of ten a number in a body may carry, either way. Decimals are kept exact (BigDecimal), and
     * {@code 1e999999999}, 11 bytes of JSON, is a billion characters once a library writes it out in plain digits
     * (the schema validator's enum check does); doubles end near 1e308 anyway.
     */
    static final int MAX_NUMBER_EXPONENT = 1000;

    /** The formats a body may be written in. */
    public enum Format { JSON, YAML }

    private ResourceCodec() {
    }

    /** Parses a body into a tree, turning syntax errors into a 400 that says where. */
    public static JsonNode parseTree(byte[] body, Format format) {
        ObjectMapper mapper = format == Format.YAML ? Json.YAML : Json.MAPPER;
        JsonNode node = read(mapper, body, format);
        if (node == null || node.isMissingNode()) throw new BadRequestException("body", "is empty");
        String hugeNumber = hugeNumberPath(node);
        if (hugeNumber != null) {
            String field = hugeNumber.startsWith(".") ? hugeNumber.substring(1) : "body" + hugeNumber;
            throw new BadRequestException(field, "number has an exponent beyond " + MAX_NUMBER_EXPONENT + " either way");
        }
        String nul = nulPath(node);
        if (nul != null) {
            String field = nul.startsWith(".") ? nul.substring(1) : "body" + nul;
            throw new BadRequestException(field, "contains the NUL character (\\u0000), which cannot be stored");
        }
        return node;
    }

    /** Where a NUL character sits in a string or field name, or null: PostgreSQL cannot store it. */
    private static String nulPath(JsonNode node) {
        if (node.isTextual()) return node.textValue().indexOf('\0') >= 0 ? "" : null;
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().indexOf('\0') >= 0) return "." + e.getKey().replace('\0', '?');
                String below = nulPath(e.getValue());
                if (below != null) return "." + e.getKey() + below;
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String below = nulPath(node.get(i));
                if (below != null) return "[" + i + "]" + below;
            }
        }
        return null;
    }

    private static JsonNode read(ObjectMapper mapper, byte[] body, Format format) {
        try {
            return mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            // one exception type reports every limit (nesting, number length, name length): say which one broke
            String limit = e.getOriginalMessage().startsWith("Document nesting depth")
                    ? "nests deeper than " + Json.MAX_NESTING_DEPTH + " levels"
                    : "exceeds a parser limit" + where(e.getLocation()) + ": " + e.getOriginalMessage();
            throw new BadRequestException("body", limit);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("body", "malformed " + format + where(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            // YAML's parser reports some malformed input as unchecked exceptions of its own
            throw new BadRequestException("body", "malformed " + format + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * The path (".spec.x[2]") of the first number that is too large or too small, or null when there is none.
     * The body nests at most {@link Json#MAX_NESTING_DEPTH} levels, so recursion is bounded.
     */
    private static String hugeNumberPath(JsonNode node) {
        if (node.isBigDecimal()) {
            int scale = node.decimalValue().scale();
            return scale > MAX_NUMBER_EXPONENT || scale < -MAX_NUMBER_EXPONENT ? "" : null;
        }
        if (node.isDouble() || node.isFloat()) return Double.isFinite(node.doubleValue()) ? null : "";
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String below = hugeNumberPath(e.getValue());
                if (below != null) return "." + e.getKey() + below;
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String below = hugeNumberPath(node.get(i));
                if (below != null) return "[" + i + "]" + below;
            }
        }
        return null;
    }

    /** Parses one resource; unknown top-level or metadata fields and wrong types are reported together. */
    public static Resource parse(byte[] body, Format format) {
        return fromTree(parseTree(body, format));
    }

    public static Resource fromTree(JsonNode node) {
        if (!node.isObject()) throw new BadRequestException("body", "must be an object, not " + node.getNodeType().name().toLowerCase());
        Map<String, List<String>> errors = new TreeMap<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_FIELDS.contains(f)) add(errors, f, "unknown field");
        }
        JsonNode apiVersion = node.get("apiVersion");
        if (apiVersion != null && !Resource.API_VERSION.equals(apiVersion.asText(null))) {
            add(errors, "apiVersion", "must be " + Resource.API_VERSION);
        }
        String kind = text(node, "kind", "kind", errors, true);
        ObjectMeta meta = metadata(node.get("metadata"), errors);
        ObjectNode spec = object(node, "spec", errors);
        ObjectNode status = object(node, "status", errors);
        String subject = (kind == null ? "object" : kind) + (meta == null ? "" : " \"" + meta.name() + "\"");
        if (!errors.isEmpty()) throw new InvalidResourceException(subject, errors);
        return new Resource(kind, meta, spec, status);
    }

    private static ObjectMeta metadata(JsonNode m, Map<String, List<String>> errors) {
        if (m == null || m.isNull()) {
            add(errors, "metadata.name", "required field is missing");
            return null;
        }
        if (!m.isObject()) {
            add(errors, "metadata", "must be an object");
            return null;
        }
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!META_FIELDS.contains(f)) add(errors, "metadata." + f, "unknown field");
        }
        String name = text(m, "name", "metadata.name", errors, true);
        String tenant = text(m, "tenant", "metadata.tenant", errors, false);
        Map<String, String> labels = stringMap(m.get("labels"), "metadata.labels", errors);
        Map<String, String> annotations = stringMap(m.get("annotations"), "metadata.annotations", errors);
        long rv = 0;
        JsonNode rvNode = m.get("resourceVersion");
        if (rvNode != null && !rvNode.isNull() && !(rvNode.isTextual() && rvNode.asText().isEmpty())) {
            try {
                rv = Long.parseLong(rvNode.asText());
                if (rv < 0 || !(rvNode.isTextual() || rvNode.isIntegralNumber())) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                add(errors, "metadata.resourceVersion", "must be a resourceVersion returned by the server");
            }
        }
        if (name == null) return null;
        return new ObjectMeta(name, tenant == null ? "" : tenant, labels, annotations, null, rv, 0, null);
    }

    private static Map<String, String> stringMap(JsonNode node, String path, Map<String, List<String>> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isObject()) {
            add(errors, path, "must be a map of strings");
            return out;
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) add(errors, path + "." + e.getKey(), "must be a string");
            else out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    private static String text(JsonNode node, String field, String path, Map<String, List<String>> errors, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) add(errors, path, "required field is missing");
            return null;
        }
        if (!v.isTextual()) {
            add(errors, path, "must be a string");
            return null;
        }
        return v.asText();
    }

    private static ObjectNode object(JsonNode node, String field, Map<String, List<String>> errors) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return Json.object();
        if (!v.isObject()) {
            add(errors, field, "must be an object");
            return null;
        }
        return (ObjectNode) v;
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) return "";
        return " at line " + location.getLineNr() + " column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable input";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The wire form of a resource: apiVersion, kind, metadata, spec, status. */
    public static ObjectNode toJson(Resource r) {
        ObjectNode out = Json.object();
        out.put("apiVersion", Resource.API_VERSION);
        out.put("kind", r.kind());
        ObjectNode meta = out.putObject("metadata");
        ObjectMeta m = r.metadata();
        meta.put("name", m.name());
        if (!m.tenant().isEmpty()) meta.put("tenant", m.tenant());
        if (!m.labels().isEmpty()) meta.set("labels", Json.MAPPER.valueToTree(m.labels()));
        if (!m.annotations().isEmpty()) meta.set("annotations", Json.MAPPER.valueToTree(m.annotations()));
        if (m.uid() != null) meta.put("uid", m.uid());
        if (m.resourceVersion() > 0) meta.put("resourceVersion", Long.toString(m.resourceVersion()));
        if (m.generation() > 0) meta.put("generation", m.generation());
        Instant created = m.creationTimestamp();
        if (created != null) meta.put("creationTimestamp", created.toString());
        out.set("spec", r.spec());
        out.set("status", r.status());
        return out;
    }
}
