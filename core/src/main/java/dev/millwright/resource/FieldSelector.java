package dev.millwright.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Equality on fields of spec or status: {@code spec.site=munich,status.phase!=Failed}. Paths are dotted
 * object keys under {@code spec} or {@code status}; values are compared as text.
 */
public record FieldSelector(List<Requirement> requirements) {
    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private static final Pattern PATH = Pattern.compile("(spec|status)(\\.[A-Za-z0-9_-]+)+");

    public FieldSelector {
        requirements = List.copyOf(requirements);
    }

    /** One requirement: the field at {@code path} equals (or, negated, differs from) {@code value}. */
    public record Requirement(String root, List<String> path, String value, boolean negated) {
        public Requirement {
            Objects.requireNonNull(root, "root");
            path = List.copyOf(path);
            Objects.requireNonNull(value, "value");
        }

        boolean matches(Resource r) {
            return matchesRoot(root.equals("spec") ? r.spec() : r.status());
        }

        boolean matchesRoot(com.fasterxml.jackson.databind.JsonNode n) {
            for (String p : path) n = n.path(p);
            boolean equal = n.isValueNode() && !n.isNull() && n.asText().equals(value); // as SQL's #>> sees it
            return negated != equal;
        }
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    public boolean matches(Resource r) {
        return requirements.stream().allMatch(q -> q.matches(r));
    }

    /** Whether an object in its wire form ({@code {"spec":..., "status":...}}) matches. */
    public boolean matchesWire(com.fasterxml.jackson.databind.JsonNode object) {
        return requirements.stream().allMatch(q -> q.matchesRoot(object.path(q.root())));
    }

    /** @throws BadRequestException naming the parameter {@code fieldSelector} */
    public static FieldSelector parse(String text) {
        if (text == null || text.isBlank()) return EVERYTHING;
        List<Requirement> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            boolean negated = p.contains("!=");
            int at = negated ? p.indexOf("!=") : p.indexOf('=');
            if (at <= 0) throw bad(text, "\"" + p + "\" is not path=value or path!=value");
            String path = p.substring(0, at).trim();
            String value = p.substring(at + (negated ? 2 : p.startsWith("==", at) ? 2 : 1)).trim();
            if (!PATH.matcher(path).matches()) throw bad(text, "\"" + path + "\" is not a field of spec or status");
            String[] parts = path.split("\\.");
            out.add(new Requirement(parts[0], List.of(parts).subList(1, parts.length), value, negated));
        }
        return new FieldSelector(out);
    }

    private static BadRequestException bad(String text, String reason) {
        return new BadRequestException("fieldSelector", reason + " in \"" + text + "\"");
    }
}
