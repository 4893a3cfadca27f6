package dev.millwright.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One compiled policy. {@link #judge} answers whether an object passes: it does when the policy does not apply
 * (another subject, another tenant, {@code match} false) or {@code rule} holds. An expression that fails while
 * evaluating (a division by zero, an index out of range) fails closed: the object does not pass, and the message
 * says the policy could not be evaluated.
 */
public final class Policy {
    /** What a failing object gets. */
    public enum Enforcement { DENY, WARN }

    private final String name;
    private final Subject subject;
    private final CelRuntime.Program match;
    private final CelRuntime.Program rule;
    private final String message;
    private final CelRuntime.Program messageExpression;
    private final Enforcement enforcement;
    private final Set<String> tenants;

    private Policy(String name, Subject subject, CelRuntime.Program match, CelRuntime.Program rule, String message,
                   CelRuntime.Program messageExpression, Enforcement enforcement, Set<String> tenants) {
        this.name = name;
        this.subject = subject;
        this.match = match;
        this.rule = rule;
        this.message = message;
        this.messageExpression = messageExpression;
        this.enforcement = enforcement;
        this.tenants = tenants;
    }

    /** Either the compiled policy or its problems, keyed by field path ({@code spec.rule}). */
    public record Compiled(Policy policy, Map<String, List<String>> problems) {
        public boolean ok() {
            return policy != null;
        }
    }

    /** Compiles a Policy object's spec; every expression that does not compile is reported with its position. */
    public static Compiled compile(String name, JsonNode spec) {
        Map<String, List<String>> problems = new TreeMap<>();
        Subject subject = Subject.fromWire(spec.path("subject").asText()).orElse(null);
        if (subject == null) {
            problems.put("spec.subject", List.of("must be one of StackTemplate, Environment, Workload, Placement"));
            return new Compiled(null, problems);
        }
        CelRuntime.Program match = expression(subject, PolicyLanguage.Result.BOOL, spec, "match", problems);
        CelRuntime.Program rule = expression(subject, PolicyLanguage.Result.BOOL, spec, "rule", problems);
        CelRuntime.Program messageExpression = expression(subject, PolicyLanguage.Result.STRING, spec, "messageExpression", problems);
        if (!spec.path("rule").isTextual()) problems.computeIfAbsent("spec.rule", k -> new ArrayList<>()).add("is required");
        if (!problems.isEmpty()) return new Compiled(null, problems);
        Enforcement enforcement = spec.path("enforcement").asText("Deny").equals("Warn") ? Enforcement.WARN : Enforcement.DENY;
        Set<String> tenants = new java.util.TreeSet<>();
        spec.path("tenants").forEach(t -> tenants.add(t.asText()));
        return new Compiled(new Policy(name, subject, match, rule, spec.path("message").asText(name + " denies it"), messageExpression,
                enforcement, Set.copyOf(tenants)), Map.of());
    }

    private static CelRuntime.Program expression(Subject subject, PolicyLanguage.Result result, JsonNode spec, String field,
                                                 Map<String, List<String>> problems) {
        JsonNode text = spec.path(field);
        if (!text.isTextual()) return null;
        try {
            return PolicyLanguage.compile(subject, result, "spec." + field, text.asText());
        } catch (PolicyLanguage.InvalidExpressionException e) {
            problems.computeIfAbsent("spec." + field, k -> new ArrayList<>()).add("is not a valid CEL expression: " + e.getMessage());
            return null;
        }
    }

    public String name() {
        return name;
    }

    public Subject subject() {
        return subject;
    }

    public Enforcement enforcement() {
        return enforcement;
    }

    /** Whether it judges objects of this subject in this tenant ("" for a StackTemplate). */
    public boolean appliesTo(Subject s, String tenant) {
        return s == subject && (tenants.isEmpty() || tenants.contains(tenant));
    }

    /**
     * The verdict on one object: empty when it passes, else why not.
     *
     * @param input the subject's variables, as {@link PolicyInput} builds them
     */
    public java.util.Optional<String> judge(Map<String, Object> input) {
        try {
            if (match != null && !bool(match, "match", input)) return java.util.Optional.empty();
            if (bool(rule, "rule", input)) return java.util.Optional.empty();
        } catch (CelEvaluationException | RuntimeException e) {
            return java.util.Optional.of("policy " + name + " could not be evaluated, so it denies: " + e.getMessage());
        }
        if (messageExpression == null) return java.util.Optional.of(message);
        try {
            Object text = PolicyLanguage.eval(messageExpression, input);
            return java.util.Optional.of(text instanceof String s && !s.isBlank() ? s : message);
        } catch (CelEvaluationException | RuntimeException e) {
            return java.util.Optional.of(message); // the rule's verdict stands; only its wording failed
        }
    }

    /** A field typed dyn ({@code stack.name}) passes the type check as a bool; what it holds is checked here. */
    private static boolean bool(CelRuntime.Program program, String field, Map<String, Object> input) throws CelEvaluationException {
        Object value = PolicyLanguage.eval(program, input);
        if (value instanceof Boolean b) return b;
        throw new IllegalStateException(field + " gave " + value + ", not true or false");
    }
}
