package dev.millwright.policy;

import java.util.List;
import java.util.Optional;

/**
 * What a policy judges, and the variables its expressions see. Each variable is a map (or, for findings, a list
 * of maps) built by {@link PolicyInput} with every documented field present, so an expression never trips on
 * a missing key; {@code object} is the raw object as written.
 */
public enum Subject {
    STACK_TEMPLATE("StackTemplate", List.of("object", "stack", "findings")),
    ENVIRONMENT("Environment", List.of("object", "tenant", "environment", "stack", "findings")),
    WORKLOAD("Workload", List.of("object", "tenant", "environment", "stack", "workload", "caller", "usage")),
    PLACEMENT("Placement", List.of("object", "tenant", "environment", "workload", "node"));

    private final String wire;
    private final List<String> variables;

    Subject(String wire, List<String> variables) {
        this.wire = wire;
        this.variables = variables;
    }

    /** "StackTemplate", as specs write it. */
    public String wireName() {
        return wire;
    }

    public List<String> variables() {
        return variables;
    }

    public static Optional<Subject> fromWire(String name) {
        for (Subject s : values()) if (s.wire.equals(name)) return Optional.of(s);
        return Optional.empty();
    }
}
