package dev.millwright.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks the values an environment gives its template's variables: each names a declared variable and fits
 * its type and pattern, every required variable without a default has one, and an immutable variable keeps
 * the value it was first given. Sensitive values are never repeated in a message.
 */
public final class VariableCheck {
    private VariableCheck() {
    }

    /**
     * @param template the StackTemplate's spec
     * @param values the environment's {@code spec.variables}
     * @param previous the values before this update, or null for a new environment
     */
    public static Map<String, List<String>> check(JsonNode template, JsonNode values, JsonNode previous) {
        Map<String, List<String>> errors = new TreeMap<>();
        Map<String, JsonNode> declared = new TreeMap<>();
        template.path("variables").forEach(v -> declared.put(v.path("name").asText(), v));
        String name = template.path("template").asText() + "@" + template.path("version").asText();
        values.fieldNames().forEachRemaining(n -> {
            if (!declared.containsKey(n)) {
                add(errors, "spec.variables." + n, "template " + name + " declares no variable " + n
                        + (declared.isEmpty() ? "" : " (it has " + String.join(", ", declared.keySet()) + ")"));
            }
        });
        for (JsonNode v : declared.values()) {
            String n = v.path("name").asText();
            String path = "spec.variables." + n;
            JsonNode value = values.get(n);
            if (value == null || value.isNull()) {
                if (v.path("required").asBoolean(false) && !v.has("default")) add(errors, path, "is required by template " + name);
                continue;
            }
            Pattern regex = v.has("regex") ? Pattern.compile(v.get("regex").asText()) : null;
            String why = CatalogKinds.typeError(v.path("type").asText(), value, regex);
            if (why != null) {
                boolean sensitive = v.path("sensitive").asBoolean(false);
                add(errors, path, sensitive && why.startsWith("does not match") ? "does not match the variable's pattern" : why);
            }
            if (previous != null && v.path("immutable").asBoolean(false)) {
                JsonNode before = previous.get(n);
                if (before != null && !before.isNull() && !before.equals(value)) {
                    add(errors, path, "is immutable: it cannot change once set"
                            + (v.path("sensitive").asBoolean(false) ? "" : " (it is " + before + ")"));
                }
            }
        }
        return errors;
    }

    /** The names of the template's sensitive variables, whose values are never shown back. */
    public static Set<String> sensitive(JsonNode template) {
        Set<String> out = new java.util.TreeSet<>();
        template.path("variables").forEach(v -> {
            if (v.path("sensitive").asBoolean(false)) out.add(v.path("name").asText());
        });
        return out;
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
