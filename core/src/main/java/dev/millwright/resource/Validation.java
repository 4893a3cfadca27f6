package dev.millwright.resource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks an object against its kind: names, scope, labels, annotations, the spec schema and the kind's rules. */
public final class Validation {
    /** Most bytes all annotations of one object may hold together, as in Kubernetes. */
    public static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;

    private Validation() {
    }

    /**
     * @throws InvalidResourceException with every problem found, keyed by field path
     */
    public static void validate(KindDefinition kind, Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        ObjectMeta m = r.metadata();
        String nameError = Names.dns1123LabelError(m.name());
        if (nameError != null) add(errors, "metadata.name", nameError);
        if (kind.tenantScoped()) {
            String tenantError = Names.dns1123LabelError(m.tenant());
            if (tenantError != null) add(errors, "metadata.tenant", tenantError);
        } else if (!m.tenant().isEmpty()) {
            add(errors, "metadata.tenant", kind.kind() + " is platform-scoped and belongs to no tenant");
        }
        m.labels().forEach((k, v) -> {
            if (!Names.isLabelKey(k)) add(errors, "metadata.labels." + k, "key must be a qualified name ([prefix/]name, at most 63 characters)");
            if (!Names.isLabelValue(v)) add(errors, "metadata.labels." + k, "value must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
        });
        int annotationBytes = m.annotations().entrySet().stream()
                .mapToInt(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        if (annotationBytes > MAX_ANNOTATIONS_BYTES) {
            add(errors, "metadata.annotations", "must hold at most " + MAX_ANNOTATIONS_BYTES + " bytes (holds " + annotationBytes + ")");
        }
        m.annotations().keySet().forEach(k -> {
            if (!Names.isLabelKey(k)) add(errors, "metadata.annotations." + k, "key must be a qualified name ([prefix/]name)");
        });
        kind.spec().validate(r.spec(), "spec").forEach((k, v) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        if (errors.isEmpty()) {
            kind.rules().apply(r).forEach((k, v) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        if (!errors.isEmpty()) throw new InvalidResourceException(r.key().describe(), errors);
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
