package dev.millwright.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.resolver.Resolver;

/** The shared JSON and YAML mappers, and the canonical form that digests are taken of. */
public final class Json {
    /** Deepest nesting a request body may have; deeper input is refused before it can exhaust the stack. */
    public static final int MAX_NESTING_DEPTH = 64;

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    public static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .stringQuotingChecker(new QuoteNumberLikeStrings())
                    .build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    static {
        StreamReadConstraints limits = StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build();
        MAPPER.getFactory().setStreamReadConstraints(limits);
        YAML.getFactory().setStreamReadConstraints(limits);
    }

    private Json() {
    }

    /**
     * Minimal quoting, except that a string YAML would read back as a number ("123", "0x1F", "1e3",
     * "190:20:30.15") is quoted: written YAML must parse back to the same tree. Jackson's own check skips
     * hexadecimal and sexagesimal forms.
     */
    private static final class QuoteNumberLikeStrings extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value)
                    || Resolver.INT.matcher(value).matches() || Resolver.FLOAT.matcher(value).matches();
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON this process wrote itself (store rows, feed entries); input from users goes through ResourceCodec. */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node with object keys sorted at every level: equal content gives equal bytes, whatever the field order. */
    public static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = MAPPER.createObjectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            for (String name : names) sorted.set(name, canonical(node.get(name)));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) copy.add(canonical(it.next()));
            return copy;
        }
        return node;
    }

    /**
     * Whether two trees hold the same content. Unlike {@code equals}, numbers compare by value: the same
     * document read by the JSON and the YAML parser, or written as a long and read back as an int, is equal.
     */
    public static boolean equivalent(JsonNode a, JsonNode b) {
        return a.equals(NUMERIC_VALUE, b);
    }

    private static final java.util.Comparator<JsonNode> NUMERIC_VALUE = (x, y) -> {
        if (x.isNumber() && y.isNumber()) return x.decimalValue().compareTo(y.decimalValue()) == 0 ? 0 : 1;
        return x.equals(y) ? 0 : 1;
    };

    /** Hex SHA-256 of the canonical JSON of {@code node}. */
    public static String digest(JsonNode node) {
        return sha256Hex(bytes(canonical(node)));
    }

    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Object> asMap(ObjectNode node) {
        return MAPPER.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<>() { });
    }
}
