package dev.millwright.catalog;

import dev.millwright.catalog.Conflict.Rule;
import dev.millwright.catalog.Pack.Requirement;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules between packs, each checked one at a time and worded as one sentence that names both sides, the
 * rule and its reason. The validator and the solver's explanations share these words, so a stack the solver
 * rejects is rejected in the sentence the validator would print for it.
 */
final class Rules {
    private Rules() {
    }

    /** The broken rule when {@code a} requires {@code r} and the stack holds {@code b} of that name. */
    static Optional<Conflict> requires(Pack a, Requirement r, Pack b) {
        if (r.range().contains(b.version())) return Optional.empty();
        return Optional.of(new Conflict(Rule.REQUIRES, a.id(), b.id(),
                a.id() + " requires " + r.pack() + " " + r.range() + ", but the stack has " + b.id() + because(r)));
    }

    /** {@code a} requires {@code r}, and the stack holds no pack of that name. */
    static Conflict missing(Pack a, Requirement r) {
        return new Conflict(Rule.MISSING, a.id(), r.pack(),
                a.id() + " requires " + r.pack() + " " + r.range() + ", but the stack has no " + r.pack() + because(r));
    }

    /** The broken rule when {@code a} rules out {@code c} and the stack holds {@code b} of that name. */
    static Optional<Conflict> conflicts(Pack a, Requirement c, Pack b) {
        if (!c.range().contains(b.version())) return Optional.empty();
        return Optional.of(new Conflict(Rule.CONFLICTS, a.id(), b.id(),
                a.id() + " conflicts with " + b.id() + ", which is in its excluded range " + c.pack() + " " + c.range()
                        + because(c)));
    }

    static Conflict duplicate(Pack first, Pack again) {
        return new Conflict(Rule.DUPLICATE, first.id(), again.id(),
                first.id() + " and " + again.id() + " are both in the stack, but a stack holds one version of each pack");
    }

    /** True when the pack runs on every model; a pack that lists no models runs on any. */
    static boolean supports(Pack p, Set<String> gpuModels) {
        return p.gpuModels().isEmpty() || p.gpuModels().containsAll(gpuModels);
    }

    static Optional<Conflict> gpuModels(Pack p, Set<String> gpuModels) {
        if (supports(p, gpuModels)) return Optional.empty();
        TreeSet<String> unsupported = new TreeSet<>(gpuModels);
        unsupported.removeAll(p.gpuModels());
        String models = String.join(", ", unsupported);
        return Optional.of(new Conflict(Rule.GPU_MODEL, p.id(), models,
                p.id() + " does not support the target's GPU model" + (unsupported.size() > 1 ? "s " : " ") + models
                        + "; it supports " + String.join(", ", new TreeSet<>(p.gpuModels()))));
    }

    /** A warning when the pack's end of life is before {@code today} or within {@code noticeDays} of it. */
    static Optional<Warning> endOfLife(Pack p, LocalDate today, int noticeDays) {
        LocalDate eol = p.endOfLife();
        if (eol == null) return Optional.empty();
        if (eol.isBefore(today)) {
            return Optional.of(new Warning(Warning.Kind.END_OF_LIFE, p.id(), eol,
                    p.id() + " reached end of life on " + eol + ", so its vendor no longer fixes it"));
        }
        long days = ChronoUnit.DAYS.between(today, eol);
        if (days > noticeDays) return Optional.empty();
        String when = days == 0 ? "today" : days == 1 ? "tomorrow" : "in " + days + " days";
        return Optional.of(new Warning(Warning.Kind.NEAR_END_OF_LIFE, p.id(), eol,
                p.id() + " reaches end of life on " + eol + ", " + when));
    }

    /** Every rule either pack breaks against the other, {@code a}'s first; empty when they can run together. */
    static List<Conflict> between(Pack a, Pack b) {
        List<Conflict> out = new ArrayList<>();
        oneWay(a, b, out);
        oneWay(b, a, out);
        return out;
    }

    private static void oneWay(Pack a, Pack b, List<Conflict> out) {
        if (a.name().equals(b.name())) return;
        for (Requirement r : a.requires()) {
            if (r.pack().equals(b.name())) requires(a, r, b).ifPresent(out::add);
        }
        for (Requirement c : a.conflicts()) {
            if (c.pack().equals(b.name())) conflicts(a, c, b).ifPresent(out::add);
        }
    }

    private static String because(Requirement r) {
        return r.reason().isEmpty() ? "" : " (" + r.reason() + ")";
    }
}
