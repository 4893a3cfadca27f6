package dev.millwright.catalog;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Depth-first search over one group of linked names, maintaining arc consistency: after each choice, every
 * candidate of every other name that no longer has a compatible candidate in some linked name is removed, until
 * nothing changes. A choice that empties a name is undone at once. Removal is the only thing propagation does,
 * and it removes only candidates that cannot be part of any completion of the current choices, so the search
 * stays exhaustive: it skips no stack that could be a solution.
 *
 * <p>Domains are bitsets that are never changed in place; a narrowed domain is a new bitset, so a level of the
 * search copies only the array of references and undoing a choice is dropping that array.
 *
 * <p>Without a {@link Cost} the first solution is the answer: candidates are tried newest first, name by name
 * in request order, so the first solution is the lexicographically newest. With a cost the search is branch
 * and bound: it visits every branch whose lower bound can still beat or tie the best stack found.
 */
final class Search {
    /**
     * A name left without candidates, and the name whose remaining candidates did it. The deepest dead end
     * of a failed search is its explanation.
     *
     * @param depth how many names were chosen when it happened; 0 before any choice
     * @param chosen per name, the chosen candidate or -1
     * @param before the emptied name's candidates just before it was emptied
     * @param againstDomain the other name's candidates at that moment
     */
    record DeadEnd(int depth, int[] chosen, int emptied, BitSet before, int against, BitSet againstDomain) {
    }

    /**
     * What smallestChange minimises: first the names whose candidate differs from the current one, then the sum of
     * distances from the current version, then, at a tie, the newer stack in request order.
     *
     * @param current per name, the current pack's candidate index, or -1 when it has none (a name being added, or a
     *                current version outside the target)
     * @param distance per name and candidate, how many catalog versions lie between it and the current one
     */
    record Cost(int[] current, int[][] distance) {
        boolean changed(int v, int x) {
            return current[v] != x;
        }
    }

    private final Problem problem;
    private final int[] vars;
    private final Cost cost;
    /** Per name, candidate indices in the order to try them; null: newest first. */
    private final int[][] order;
    private final int[] chosen;
    private int[] best;
    private int bestChanges;
    private long bestDistance;
    private DeadEnd deepest;

    private Search(Problem problem, int[] vars, Cost cost, int[][] order) {
        this.problem = problem;
        this.vars = vars;
        this.cost = cost;
        this.order = order;
        this.chosen = new int[problem.size()];
        Arrays.fill(chosen, -1);
    }

    /** The lexicographically newest solution over {@code vars}, in their order. */
    static Search newest(Problem problem, int[] vars) {
        return new Search(problem, vars, null, null);
    }

    /** The solution over {@code vars} of least cost; {@code order} is the order to try candidates, cheapest first. */
    static Search cheapest(Problem problem, int[] vars, Cost cost, int[][] order) {
        return new Search(problem, vars, cost, order);
    }

    /**
     * Searches from arc-consistent domains (see {@link #propagate}); returns, per name, the chosen candidate
     * (-1 outside this group), or null when no solution exists, and then {@link #deepest()} says where it ended.
     */
    int[] solve(BitSet[] domains) {
        dive(0, domains, 0, 0);
        return best;
    }

    DeadEnd deepest() {
        return deepest;
    }

    /** Returns true to stop the search: the first solution of a search without cost. */
    private boolean dive(int depth, BitSet[] dom, int changes, long distance) {
        if (depth == vars.length) {
            offer(changes, distance);
            return cost == null;
        }
        if (cost != null && !promising(depth, dom, changes, distance)) return false;
        int v = vars[depth];
        int[] tries = order == null ? dom[v].stream().toArray() : order[v];
        for (int x : tries) {
            if (!dom[v].get(x)) continue;
            BitSet[] next = dom.clone();
            BitSet one = new BitSet();
            one.set(x);
            next[v] = one;
            chosen[v] = x;
            DeadEnd end = propagate(problem, next, new int[] {v}, depth + 1, chosen);
            if (end != null) {
                if (deepest == null || end.depth() > deepest.depth()) deepest = end;
            } else if (cost == null) {
                if (dive(depth + 1, next, 0, 0)) return true;
            } else {
                if (dive(depth + 1, next, changes + (cost.changed(v, x) ? 1 : 0), distance + cost.distance()[v][x])) {
                    return true;
                }
            }
            chosen[v] = -1;
        }
        return false;
    }

    private void offer(int changes, long distance) {
        boolean better = best == null || changes < bestChanges
                || (changes == bestChanges && (distance < bestDistance
                || (distance == bestDistance && newerThanBest(vars.length))));
        if (!better) return;
        best = chosen.clone();
        bestChanges = changes;
        bestDistance = distance;
    }

    /**
     * False when no completion of the current choices can beat or tie the best solution: each name still to
     * choose whose current version is gone adds a change, and each adds at least its nearest candidate's distance.
     */
    private boolean promising(int depth, BitSet[] dom, int changes, long distance) {
        if (best == null) return true;
        int atLeastChanges = changes;
        long atLeastDistance = distance;
        for (int d = depth; d < vars.length; d++) {
            int u = vars[d];
            int current = cost.current()[u];
            if (current < 0 || !dom[u].get(current)) atLeastChanges++;
            long nearest = Long.MAX_VALUE;
            for (int x = dom[u].nextSetBit(0); x >= 0; x = dom[u].nextSetBit(x + 1)) {
                nearest = Math.min(nearest, cost.distance()[u][x]);
            }
            atLeastDistance += nearest;
        }
        if (atLeastChanges != bestChanges) return atLeastChanges < bestChanges;
        if (atLeastDistance != bestDistance) return atLeastDistance < bestDistance;
        return !olderThanBest(depth);
    }

    private boolean newerThanBest(int depth) {
        for (int d = 0; d < depth; d++) {
            int u = vars[d];
            if (chosen[u] != best[u]) return chosen[u] < best[u];
        }
        return false;
    }

    private boolean olderThanBest(int depth) {
        for (int d = 0; d < depth; d++) {
            int u = vars[d];
            if (chosen[u] != best[u]) return chosen[u] > best[u];
        }
        return false;
    }

    /**
     * Makes the domains arc-consistent (AC-3), starting from the arcs into the names in {@code changed}, and
     * replacing narrowed domains in {@code dom}. Returns null, or the dead end when a name is left with nothing.
     * Arcs are processed first in, first out from a queue seeded in ascending order, so the result, and the dead end
     * reported, are the same on every run.
     */
    static DeadEnd propagate(Problem problem, BitSet[] dom, int[] changed, int depth, int[] chosen) {
        int n = problem.size();
        ArrayDeque<Integer> arcs = new ArrayDeque<>();
        boolean[] queued = new boolean[n * n];
        for (int v : changed) {
            for (int j : problem.neighbours(v)) enqueue(arcs, queued, n, j, v);
        }
        while (!arcs.isEmpty()) {
            int arc = arcs.poll();
            queued[arc] = false;
            int j = arc / n;
            int k = arc % n;
            BitSet dj = dom[j];
            BitSet dk = dom[k];
            BitSet kept = null;
            for (int b = dj.nextSetBit(0); b >= 0; b = dj.nextSetBit(b + 1)) {
                if (problem.compatible(j, b, k).intersects(dk)) continue;
                if (kept == null) kept = (BitSet) dj.clone();
                kept.clear(b);
            }
            if (kept == null) continue;
            if (kept.isEmpty()) return new DeadEnd(depth, chosen.clone(), j, dj, k, dk);
            dom[j] = kept;
            for (int m : problem.neighbours(j)) {
                if (m != k) enqueue(arcs, queued, n, m, j);
            }
        }
        return null;
    }

    private static void enqueue(ArrayDeque<Integer> arcs, boolean[] queued, int n, int j, int k) {
        int arc = j * n + k;
        if (queued[arc]) return;
        queued[arc] = true;
        arcs.add(arc);
    }
}
