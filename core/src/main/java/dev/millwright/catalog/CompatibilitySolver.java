package dev.millwright.catalog;

import dev.millwright.catalog.Pack.Requirement;
import dev.millwright.catalog.Solution.Found;
import dev.millwright.catalog.Solution.Unsolvable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;

/*
 * CompatibilitySolver: which packs can run together, and which stack to choose.
 *
 * The problem.
 *   A stack holds one version of each of n pack names. Every rule a pack carries ("requires gpu-driver >=570.26",
 *   "conflicts with cilium *") relates exactly two names, so choosing a stack is a binary constraint satisfaction
 *   problem: the names are the variables, their catalog versions the domains, the rules the constraints. Deciding
 *   whether such a problem has a solution is NP-complete in general, so any complete method is exponential in the
 *   worst case; what matters is that the catalogs we meet are far from it.
 *
 * Why exhaustive and not greedy.
 *   A greedy pick (the newest cuda, then the newest driver it allows, then the newest operator that allows that
 *   driver) commits before it has seen the rules further down. Pin kubernetes 1.31: the newest cuda needs a driver
 *   that no GPU Operator supporting 1.31 accepts, so greedy answers "no stack" while an older cuda works. Upgrade
 *   planning and CVE remediation act on "none exists", so the answer must be true: if a stack exists, the search
 *   finds it, and when it says none exists it has ruled out every combination.
 *
 * Approach.
 *   1. Compile (Problem). Each name's candidates, newest first, are its catalog versions within its pin, supporting
 *      every target GPU model, and not requiring a name outside the request. Each distinct (name, range) is matched
 *      against that name's candidates once; after that a pair of packs is one bit, both sides' rules folded in.
 *   2. Arc consistency before any choice (AC-3, Mackworth 1977): a candidate with no compatible candidate in some
 *      linked name is removed, until nothing changes. A name emptied here is ruled out by the pins and rules alone,
 *      and the dead end names the two names and an example rule: the tightest reason we report.
 *   3. Independent groups. Names that no chain of rules links are searched separately. The lexicographic order
 *      decomposes over independent groups, so the newest stack is the newest of each group; and a group without a
 *      solution cannot make the search go through every combination of an unrelated group first.
 *   4. Depth-first search maintaining arc consistency (MAC, Sabin and Freuder 1994): names in request order,
 *      candidates newest first; after each choice, propagate as in step 2, and undo a choice that empties a name.
 *      This prunes more than forward checking (which only compares future names with the chosen ones) and never less.
 *      The first complete stack is the lexicographically newest one.
 *   5. smallestChange is branch and bound over the same search. Its cost is (packs changed, summed distance in
 *      catalog positions from the current versions, then the newer stack). A branch is cut when a lower bound is
 *      worse than the best found: every remaining name whose current version propagation removed must change, and
 *      each remaining name adds at least its nearest candidate's distance.
 *
 * Invariants.
 *   - Propagation removes only candidates that cannot be in any completion of the current choices, so no solution
 *     is lost and both searches are complete.
 *   - Domains are bitsets that are never modified in place: a level of the search copies an array of references,
 *     and a choice is undone by dropping it.
 *   - A returned stack passes validate() without conflict; the solver checks this before it answers.
 *   - No hash order reaches an answer: names follow the request, candidates the catalog, arcs a FIFO queue seeded in
 *     ascending order, and reports are sorted.
 *
 * Complexity.
 *   n names, d candidates per name at most, e linked pairs of names, r distinct (name, range) pairs. Compiling costs
 *   r·d range matches plus O(e·d²) bit operations. An AC-3 pass revises an arc in O(d·d/64) word operations, and an
 *   arc is requeued at most d times: O(e·d³/64). The search visits O(d^n) nodes in the worst case. On the catalogs
 *   we model, rules are version ranges along a nearly tree-shaped graph (cuda to driver, operator to driver and
 *   kubernetes, frameworks to cuda and kubernetes), where arc consistency leaves little or no backtracking (Freuder
 *   1982, backtrack-free search on arc-consistent trees). The bench measures it: SolverBenchmark.
 *   validate() is O(s·q) for s packs carrying q rules in all.
 *
 * Not done, and why.
 *   - SAT or PubGrub-style conflict learning (libsolv, Weizenbaum 2018): they pay off for thousands of interacting
 *     names; a stack has about fifteen, and bitset propagation already answers in milliseconds.
 *   - Avoiding end-of-life versions: a pin may ask for one on purpose; the answer carries warnings instead.
 */

/**
 * Checks stacks against the rules of their packs and searches a catalog for compatible stacks. Pure: no I/O,
 * no threads, and the only clock is the day passed in.
 *
 * <p>Rules, as every method applies them: a pack's {@code requires} on a name is met only by a pack of that name in
 * the range (every requirement on a name applies); a requirement on a name the stack does not hold is a missing
 * dependency; a {@code conflicts} entry is broken when the stack holds a pack of that name in the range, and is
 * met when it holds none; a pack that lists GPU models must list every target model. Rules of a pack on its own
 * name are ignored.
 */
public final class CompatibilitySolver {
    /** How many days before a pack's end of life a stack starts to carry a warning about it. */
    public static final int END_OF_LIFE_NOTICE_DAYS = 90;

    private CompatibilitySolver() {
    }

    /** {@link #validate(Stack, Set, LocalDate)} for any GPU model. */
    public static StackValidation validate(Stack stack, LocalDate today) {
        return validate(stack, Set.of(), today);
    }

    /**
     * Every rule the stack breaks, one sentence each naming both packs and the rule, and a warning for each pack
     * past its end of life or within {@link #END_OF_LIFE_NOTICE_DAYS} of it. Both lists are sorted.
     *
     * @param gpuModels the GPU models the stack must run on; empty to skip that check
     */
    public static StackValidation validate(Stack stack, Set<String> gpuModels, LocalDate today) {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(gpuModels, "gpuModels");
        Objects.requireNonNull(today, "today");
        List<Conflict> conflicts = new ArrayList<>();
        List<Warning> warnings = new ArrayList<>();

        // 1. Group the packs by name; a name chosen again conflicts with its first choice.
        Map<String, List<Pack>> byName = new LinkedHashMap<>();
        for (Pack p : stack.packs()) {
            List<Pack> same = byName.computeIfAbsent(p.name(), k -> new ArrayList<>());
            if (!same.isEmpty()) conflicts.add(Rules.duplicate(same.get(0), p));
            same.add(p);
        }
        for (Pack p : stack.packs()) {
            // 2. Each requirement needs a pack of its name, in its range.
            for (Requirement r : p.requires()) {
                if (r.pack().equals(p.name())) continue;
                List<Pack> present = byName.getOrDefault(r.pack(), List.of());
                if (present.isEmpty()) conflicts.add(Rules.missing(p, r));
                for (Pack q : present) Rules.requires(p, r, q).ifPresent(conflicts::add);
            }
            // 3. Each exclusion must find nothing in its range.
            for (Requirement c : p.conflicts()) {
                if (c.pack().equals(p.name())) continue;
                for (Pack q : byName.getOrDefault(c.pack(), List.of())) Rules.conflicts(p, c, q).ifPresent(conflicts::add);
            }
            // 4. The pack runs on the target's GPU models.
            if (!gpuModels.isEmpty()) Rules.gpuModels(p, gpuModels).ifPresent(conflicts::add);
            // 5. End of life is a warning, not a conflict.
            Rules.endOfLife(p, today, END_OF_LIFE_NOTICE_DAYS).ifPresent(warnings::add);
        }
        // 6. Sorted by the record, so the report is the same on every run.
        return new StackValidation(conflicts, warnings);
    }

    /** {@link #newest(Catalog, List, Map, Set, LocalDate)} for any GPU model. */
    public static Solution newest(Catalog catalog, List<String> packNames, Map<String, VersionRange> pins,
                                  LocalDate today) {
        return newest(catalog, packNames, pins, Set.of(), today);
    }

    /**
     * The newest compatible stack holding exactly {@code packNames}, each within its pin. Newest is lexicographic
     * in the order of {@code packNames}: the first name gets its newest version that any compatible stack allows,
     * the second its newest given the first, and so on. A pack requiring a name outside {@code packNames} is not
     * a candidate; list the name to allow it. The search is exhaustive: {@link Unsolvable} means no such stack
     * exists in the catalog, and its reasons say why.
     *
     * @param packNames the stack's names, in priority order, each once
     * @param pins version ranges for some of the names
     * @param gpuModels the GPU models the stack must run on; empty for any
     * @param today for end-of-life warnings on the answer
     * @throws IllegalArgumentException when a name is repeated, blank, or a pin is on a name not requested
     */
    public static Solution newest(Catalog catalog, List<String> packNames, Map<String, VersionRange> pins,
                                  Set<String> gpuModels, LocalDate today) {
        // 1. Refuse a malformed request, naming what is wrong.
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(pins, "pins");
        Objects.requireNonNull(gpuModels, "gpuModels");
        Objects.requireNonNull(today, "today");
        List<String> names = distinctNames(packNames, "packNames");
        for (String pinned : new TreeMap<>(pins).keySet()) {
            if (!names.contains(pinned)) {
                throw new IllegalArgumentException("pins: " + pinned + " is pinned but not among packNames " + names);
            }
        }
        Map<String, String> notes = new TreeMap<>();
        pins.forEach((name, range) -> notes.put(name, "pinned to " + range));

        // 2. Each name's candidates, newest first; a name left with none ends the request with the reason.
        Set<String> requested = Set.copyOf(names);
        List<String> reasons = new ArrayList<>();
        List<List<Pack>> candidates = new ArrayList<>();
        for (String name : names) {
            candidates.add(Reasons.candidates(name, catalog.versions(name), pins.get(name), "pin", gpuModels,
                    requested, reasons));
        }
        if (!reasons.isEmpty()) return new Unsolvable(reasons);

        // 3. Compile the rules between candidates into bitsets; 4. search, newest first.
        Problem problem = Problem.compile(names, candidates);
        return solve(problem, notes, group -> Search.newest(problem, group), gpuModels, today);
    }

    /** {@link #smallestChange(Catalog, Stack, String, VersionRange, Set, LocalDate)} for any GPU model. */
    public static Solution smallestChange(Catalog catalog, Stack current, String packName, VersionRange target,
                                          LocalDate today) {
        return smallestChange(catalog, current, packName, target, Set.of(), today);
    }

    /**
     * The compatible stack with {@code packName} in {@code target} that changes the fewest packs of {@code current};
     * among those, the one whose versions are closest to the current ones (counted in catalog positions), then the
     * newest in stack order. Every pack of {@code current} stays in the stack (a pack outside the catalog can stay
     * as it is, but not move); when {@code current} lacks {@code packName}, it is added at the end and picked newest
     * first. Exhaustive, like {@link #newest}.
     *
     * @throws IllegalArgumentException when {@code current} holds a name twice (validate it first)
     */
    public static Solution smallestChange(Catalog catalog, Stack current, String packName, VersionRange target,
                                          Set<String> gpuModels, LocalDate today) {
        if (packName == null || packName.isBlank()) throw new IllegalArgumentException("packName: must not be blank");
        Objects.requireNonNull(target, "target");
        return smallestChange(catalog, current, Map.of(packName, target), gpuModels, today);
    }

    /**
     * {@link #smallestChange(Catalog, Stack, String, VersionRange, Set, LocalDate)} with several packs each held
     * to its own target (every pack a vulnerability's fix must move, say); names {@code current} lacks are added
     * at the end in the order of {@code targets}.
     */
    public static Solution smallestChange(Catalog catalog, Stack current, Map<String, VersionRange> targets,
                                          Set<String> gpuModels, LocalDate today) {
        // 1. Refuse a malformed request, naming what is wrong.
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(gpuModels, "gpuModels");
        Objects.requireNonNull(today, "today");
        if (targets.isEmpty()) throw new IllegalArgumentException("targets: must name at least one pack");
        for (Map.Entry<String, VersionRange> t : targets.entrySet()) {
            if (t.getKey() == null || t.getKey().isBlank()) throw new IllegalArgumentException("targets: a pack name is blank");
            Objects.requireNonNull(t.getValue(), "targets." + t.getKey());
        }
        if (current.names().size() != current.packs().size()) {
            throw new IllegalArgumentException("current: the stack holds a pack name twice (" + current + ")");
        }
        List<String> names = new ArrayList<>(current.names());
        Map<String, String> notes = new LinkedHashMap<>();
        for (Map.Entry<String, VersionRange> t : targets.entrySet()) {
            if (!names.contains(t.getKey())) names.add(t.getKey());
            notes.put(t.getKey(), "target " + t.getValue());
        }

        // 2. Each name's candidates: its catalog versions, plus the current one where the catalog lacks it.
        Set<String> requested = Set.copyOf(names);
        List<String> reasons = new ArrayList<>();
        List<List<Pack>> candidates = new ArrayList<>();
        List<List<Pack>> everyVersion = new ArrayList<>();
        for (String name : names) {
            List<Pack> versions = withCurrent(catalog.versions(name), current.get(name).orElse(null));
            everyVersion.add(versions);
            candidates.add(Reasons.candidates(name, versions, targets.get(name), "target",
                    gpuModels, requested, reasons));
        }
        if (!reasons.isEmpty()) return new Unsolvable(reasons);

        // 3. Compile the rules; price each candidate by its distance from the current version.
        Problem problem = Problem.compile(names, candidates);
        Search.Cost cost = cost(names, candidates, everyVersion, current);
        int[][] order = cheapestFirst(cost);

        // 4. Branch and bound, cheapest candidates first.
        return solve(problem, notes, group -> Search.cheapest(problem, group, cost, order), gpuModels, today);
    }

    /**
     * The search both questions share: arc consistency before any choice, then each independent group of names
     * on its own, then the stack in request order, checked and with its warnings.
     */
    private static Solution solve(Problem problem, Map<String, String> notes,
                                  Function<int[], Search> searchOf, Set<String> gpuModels,
                                  LocalDate today) {
        int n = problem.size();
        int[] none = new int[n];
        Arrays.fill(none, -1);

        // a. Arc consistency before any choice: a name emptied here is excluded by the pins and rules alone.
        BitSet[] domains = new BitSet[n];
        for (int v = 0; v < n; v++) domains[v] = Problem.full(problem.candidates.get(v).size());
        Search.DeadEnd root = Search.propagate(problem, domains, IntStream.range(0, n).toArray(), 0, none);
        if (root != null) return new Unsolvable(List.of(Reasons.noSolution(problem, new int[0], root, notes)));

        // b. Each independent group on its own; every group without a solution gives its reason.
        int[] chosen = none.clone();
        List<String> reasons = new ArrayList<>();
        for (int[] group : problem.components()) {
            Search search = searchOf.apply(group);
            int[] found = search.solve(domains);
            if (found == null) {
                reasons.add(Reasons.noSolution(problem, group, search.deepest(), notes));
                continue;
            }
            for (int v : group) chosen[v] = found[v];
        }
        if (!reasons.isEmpty()) return new Unsolvable(reasons);

        // c. The stack in request order; it must pass validation, or the solver has a bug.
        List<Pack> packs = new ArrayList<>();
        for (int v = 0; v < n; v++) packs.add(problem.pack(v, chosen[v]));
        Stack stack = new Stack(packs);
        StackValidation check = validate(stack, gpuModels, today);
        if (!check.compatible()) {
            throw new IllegalStateException("the solver chose an incompatible stack " + stack + ": " + check.conflicts());
        }
        return new Found(stack, check.warnings());
    }

    private static List<String> distinctNames(List<String> packNames, String field) {
        Objects.requireNonNull(packNames, field);
        if (packNames.isEmpty()) throw new IllegalArgumentException(field + ": must name at least one pack");
        Set<String> seen = new HashSet<>();
        for (String name : packNames) {
            if (name == null || name.isBlank()) throw new IllegalArgumentException(field + ": a name is blank");
            if (!seen.add(name)) throw new IllegalArgumentException(field + ": " + name + " is named twice");
        }
        return List.copyOf(packNames);
    }

    /** The catalog's versions with the current pack in its place, newest first; the catalog's pack wins a tie. */
    private static List<Pack> withCurrent(List<Pack> versions, Pack current) {
        if (current == null || versions.stream().anyMatch(p -> p.version().compareTo(current.version()) == 0)) {
            return versions;
        }
        List<Pack> all = new ArrayList<>(versions);
        all.add(current);
        all.sort(Comparator.comparing(Pack::version).reversed());
        return List.copyOf(all);
    }

    /**
     * Distance is counted in positions among every version of a name (catalog and current), so moving from
     * 550.54.15 to the next patch costs 1 however the numbers read. A name being added costs nothing to place.
     * Candidates are the very objects of {@code everyVersion}, filtered, so positions are found by identity.
     */
    private static Search.Cost cost(List<String> names, List<List<Pack>> candidates, List<List<Pack>> everyVersion,
                                    Stack current) {
        int n = names.size();
        int[] currentIndex = new int[n];
        int[][] distance = new int[n][];
        for (int v = 0; v < n; v++) {
            Pack now = current.get(names.get(v)).orElse(null);
            List<Pack> all = everyVersion.get(v);
            List<Pack> cv = candidates.get(v);
            Map<Pack, Integer> place = new IdentityHashMap<>();
            for (int i = 0; i < all.size(); i++) place.put(all.get(i), i);
            int here = now == null ? -1 : position(all, now.version());
            currentIndex[v] = now == null ? -1 : position(cv, now.version());
            distance[v] = new int[cv.size()];
            for (int x = 0; x < cv.size(); x++) {
                distance[v][x] = here < 0 ? 0 : Math.abs(place.get(cv.get(x)) - here);
            }
        }
        return new Search.Cost(currentIndex, distance);
    }

    private static int position(List<Pack> packs, Version version) {
        for (int i = 0; i < packs.size(); i++) {
            if (packs.get(i).version().compareTo(version) == 0) return i;
        }
        return -1;
    }

    /** Per name: the current version first, then by distance, then newest first. */
    private static int[][] cheapestFirst(Search.Cost cost) {
        int[][] order = new int[cost.distance().length][];
        for (int v = 0; v < order.length; v++) {
            int name = v;
            order[v] = IntStream.range(0, cost.distance()[v].length).boxed()
                    .sorted(Comparator.<Integer>comparingInt(x -> cost.changed(name, x) ? 1 : 0)
                            .thenComparingInt(x -> cost.distance()[name][x])
                            .thenComparingInt(x -> x))
                    .mapToInt(Integer::intValue).toArray();
        }
        return order;
    }
}
