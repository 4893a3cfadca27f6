package dev.millwright.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Judges one object by every policy of its subject. Pure. */
public final class PolicyEngine {
    private PolicyEngine() {
    }

    /** One policy's objection, by name. */
    public record Verdict(String policy, Policy.Enforcement enforcement, String message) {
        /** "fips-builds: environment prod is marked FIPS, but …". */
        @Override
        public String toString() {
            return policy + ": " + message;
        }
    }

    /**
     * What the policies say about an object.
     *
     * @param denials objections of Deny policies: the object is refused
     * @param warnings objections of Warn policies: the object passes, and is told
     */
    public record Decision(List<Verdict> denials, List<Verdict> warnings) {
        public Decision {
            denials = List.copyOf(denials);
            warnings = List.copyOf(warnings);
        }

        public boolean allowed() {
            return denials.isEmpty();
        }
    }

    /** Every policy that applies to an object of {@code subject} in {@code tenant}, by name. */
    public static Decision judge(Collection<Policy> policies, Subject subject, String tenant, Map<String, Object> input) {
        List<Verdict> denials = new ArrayList<>();
        List<Verdict> warnings = new ArrayList<>();
        List<Policy> sorted = new ArrayList<>(policies);
        sorted.sort(Comparator.comparing(Policy::name));
        for (Policy p : sorted) {
            if (!p.appliesTo(subject, tenant)) continue;
            p.judge(input).ifPresent(message -> (p.enforcement() == Policy.Enforcement.DENY ? denials : warnings)
                    .add(new Verdict(p.name(), p.enforcement(), message)));
        }
        return new Decision(denials, warnings);
    }
}
