package dev.millwright.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Kubernetes-style label selector: comma-separated requirements, all of which must hold.
 * {@code env=prod}, {@code env==prod}, {@code tier!=web}, {@code app in (a,b)}, {@code app notin (c)},
 * {@code gpu} (key exists), {@code !legacy} (key absent).
 */
public record LabelSelector(List<Requirement> requirements) {
    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    /** One requirement on one label key; {@code values} is empty for EXISTS and DOES_NOT_EXIST. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = Set.copyOf(new TreeSet<>(values));
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) return false;
        }
        return true;
    }

    /**
     * Parses the selector syntax; a null or blank text selects everything.
     *
     * @throws BadRequestException naming the parameter and what is wrong
     */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) return EVERYTHING;
        List<Requirement> out = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            out.add(parseRequirement(part.trim(), text));
        }
        return new LabelSelector(out);
    }

    private static Requirement parseRequirement(String part, String whole) {
        if (part.isEmpty()) throw invalid(whole, "empty requirement");
        if (part.startsWith("!")) {
            return new Requirement(key(part.substring(1).trim(), whole), Operator.DOES_NOT_EXIST, Set.of());
        }
        int neq = part.indexOf("!=");
        if (neq > 0) return single(part, neq, 2, Operator.NOT_EQUALS, whole);
        int eqeq = part.indexOf("==");
        if (eqeq > 0) return single(part, eqeq, 2, Operator.EQUALS, whole);
        int eq = part.indexOf('=');
        if (eq > 0) return single(part, eq, 1, Operator.EQUALS, whole);
        String[] words = part.split("\\s+", 2);
        if (words.length == 2) {
            String rest = words[1].trim();
            Operator op;
            if (rest.startsWith("notin")) {
                op = Operator.NOT_IN;
                rest = rest.substring(5).trim();
            } else if (rest.startsWith("in")) {
                op = Operator.IN;
                rest = rest.substring(2).trim();
            } else {
                throw invalid(whole, "expected 'in' or 'notin' after '" + words[0] + "'");
            }
            if (!rest.startsWith("(") || !rest.endsWith(")")) {
                throw invalid(whole, "values of '" + words[0] + "' must be in parentheses");
            }
            Set<String> values = new TreeSet<>();
            for (String v : rest.substring(1, rest.length() - 1).split(",")) {
                values.add(value(v.trim(), whole));
            }
            return new Requirement(key(words[0], whole), op, values);
        }
        return new Requirement(key(part, whole), Operator.EXISTS, Set.of());
    }

    private static Requirement single(String part, int at, int width, Operator op, String whole) {
        String k = key(part.substring(0, at).trim(), whole);
        String v = value(part.substring(at + width).trim(), whole);
        return new Requirement(k, op, Set.of(v));
    }

    private static String key(String key, String whole) {
        if (!Names.isLabelKey(key)) throw invalid(whole, "'" + key + "' is not a valid label key");
        return key;
    }

    private static String value(String value, String whole) {
        if (!Names.isLabelValue(value)) throw invalid(whole, "'" + value + "' is not a valid label value");
        return value;
    }

    /** Splits on commas that are not inside parentheses. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static BadRequestException invalid(String whole, String reason) {
        return new BadRequestException("labelSelector", reason + " in \"" + whole + "\"");
    }
}
