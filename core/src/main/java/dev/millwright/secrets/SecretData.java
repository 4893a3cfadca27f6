package dev.millwright.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the values a client sends in {@code spec.data} and says what the write does to the stored ones. Every
 * problem is reported under a field path ({@code spec.data.token}) with a reason that never repeats a value; a
 * key name that is not valid is not repeated either, in case a value was pasted where a key belongs.
 */
public final class SecretData {
    /** Longest value, in UTF-8 bytes: room for a registry's dockerconfigjson or a PEM chain. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    /** Most keys in one object. */
    public static final int MAX_KEYS = 64;
    /** Longest key name, as in Kubernetes. */
    public static final int MAX_KEY_LENGTH = 253;
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    /** Key names written after a dot in field paths; others in brackets ("spec.data[\"tls.crt\"]"). */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

    private SecretData() {
    }

    /**
     * What a write does to an object's values: sets {@code set}, removes {@code remove}, and with
     * {@code replaceAll} drops every key it does not set. Its string form names keys only.
     */
    public record Change(Map<String, String> set, Set<String> remove, boolean replaceAll) {
        /** Leaves the values as they are. */
        public static final Change KEEP = new Change(Map.of(), Set.of(), false);

        public Change {
            set = java.util.Collections.unmodifiableMap(new TreeMap<>(set));
            remove = java.util.Collections.unmodifiableSet(new TreeSet<>(remove));
        }

        /** Exactly these values, and no others. */
        public static Change exactly(Map<String, String> values) {
            return new Change(values, Set.of(), true);
        }

        @Override
        public String toString() {
            return "Change[set=" + set.keySet() + ", remove=" + remove + ", replaceAll=" + replaceAll + "]";
        }
    }

    /**
     * The values of a create or a replace: {@code spec.data} is the complete set. Without it, a create has no
     * values and a replace keeps them (so that a read-modify-write of labels, which never sees the values, keeps them).
     */
    public static Change ofObject(JsonNode spec, boolean create, Map<String, List<String>> errors) {
        JsonNode data = spec.get("data");
        if (data == null) return create ? Change.exactly(Map.of()) : Change.KEEP;
        if (data.isNull()) return Change.exactly(Map.of());
        Map<String, String> set = new TreeMap<>();
        read(data, false, set, new TreeSet<>(), errors);
        return Change.exactly(set);
    }

    /**
     * The values of a JSON merge patch (RFC 7386) whose spec is {@code patchSpec}: a string sets a key, null
     * removes it, keys not named stay; {@code data: null} (or {@code spec: null}) removes every value.
     */
    public static Change ofPatch(JsonNode patchSpec, Map<String, List<String>> errors) {
        if (patchSpec == null || patchSpec.isMissingNode()) return Change.KEEP;
        if (patchSpec.isNull()) return Change.exactly(Map.of());
        JsonNode data = patchSpec.get("data");
        if (data == null) return Change.KEEP;
        if (data.isNull()) return Change.exactly(Map.of());
        Map<String, String> set = new TreeMap<>();
        Set<String> remove = new TreeSet<>();
        read(data, true, set, remove, errors);
        return new Change(set, remove, false);
    }

    private static void read(JsonNode data, boolean patch, Map<String, String> set, Set<String> remove, Map<String, List<String>> errors) {
        if (!data.isObject()) {
            add(errors, "spec.data", "must be a map of key names to string values");
            return;
        }
        if (data.size() > MAX_KEYS) add(errors, "spec.data", "holds " + data.size() + " keys; at most " + MAX_KEYS);
        int position = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            position++;
            String key = e.getKey();
            if (key.isEmpty()) {
                add(errors, "spec.data[\"\"]", "a key name cannot be empty");
                continue;
            }
            if (key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
                add(errors, "spec.data", "key " + position + " is not a valid key name (1 to " + MAX_KEY_LENGTH
                        + " letters, digits, '-', '_' or '.'); it is not repeated here in case it is a value");
                continue;
            }
            String field = field(key);
            JsonNode value = e.getValue();
            if (value.isNull() && patch) {
                remove.add(key);
            } else if (!value.isTextual()) {
                add(errors, field, "must be a string" + (value.isNull() ? "; leave the key out to have no value" : ", not " + kindOf(value)));
            } else if (!isWellFormed(value.textValue())) {
                add(errors, field, "is not valid Unicode text (it holds an unpaired surrogate)");
            } else {
                int bytes = value.textValue().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > MAX_VALUE_BYTES) add(errors, field, "is " + bytes + " bytes; a value is at most " + MAX_VALUE_BYTES + " bytes");
                else set.put(key, value.textValue());
            }
        }
    }

    /** The field path of a key: "spec.data.token", or "spec.data[\"tls.crt\"]" when a dot would be ambiguous. */
    public static String field(String key) {
        return PLAIN.matcher(key).matches() ? "spec.data." + key : "spec.data[" + Json.string(key) + "]";
    }

    private static String kindOf(JsonNode value) {
        if (value.isNumber()) return "a number (quote it)";
        if (value.isBoolean()) return "a boolean (quote it)";
        if (value.isObject()) return "an object";
        if (value.isArray()) return "an array";
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** UTF-8 cannot carry a lone surrogate; sealing it would silently store something else. */
    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
