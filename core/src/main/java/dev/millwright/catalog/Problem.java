package dev.millwright.catalog;

import dev.millwright.catalog.Pack.Requirement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A request compiled for the search: one variable per pack name, its candidate packs newest first (candidate
 * {@code x} of variable {@code v} is index {@code x}, so a lower index is a newer version), and, for every pair of
 * names that some rule links, which candidates of one can run with which of the other, as bitsets.
 *
 * <p>Compiling first means the search never evaluates a version range: a rule's range is matched against the
 * other name's candidates once per distinct (name, range) pair, and a pair of packs is then one bit. Both sides'
 * rules are folded into the same bit, so {@code compatible(i, a, j)} is exactly the set of candidates of
 * {@code j} that {@code Rules.between} would find nothing wrong with. Instances are immutable; bitsets handed out
 * must not be modified.
 */
final class Problem {
    final List<String> names;
    final List<List<Pack>> candidates;
    /** compat[i][j][a]: the candidates of j that candidate a of i runs with; null when no rule links i and j. */
    private final BitSet[][][] compat;
    private final int[][] neighbours;

    private Problem(List<String> names, List<List<Pack>> candidates, BitSet[][][] compat, int[][] neighbours) {
        this.names = names;
        this.candidates = candidates;
        this.compat = compat;
        this.neighbours = neighbours;
    }

    /**
     * Rules on names outside {@code names}, and on a pack's own name, are ignored here: the caller has already
     * removed candidates that require an absent name, and a rule against an absent name cannot be broken.
     */
    static Problem compile(List<String> names, List<List<Pack>> candidates) {
        int n = names.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) index.put(names.get(i), i);
        Map<MaskKey, BitSet> masks = new HashMap<>();
        BitSet[][][] oneWay = new BitSet[n][n][];
        for (int i = 0; i < n; i++) {
            List<Pack> ci = candidates.get(i);
            for (int a = 0; a < ci.size(); a++) {
                Pack pack = ci.get(a);
                for (Requirement r : pack.requires()) restrict(oneWay, candidates, masks, index, i, a, r, false);
                for (Requirement c : pack.conflicts()) restrict(oneWay, candidates, masks, index, i, a, c, true);
            }
        }
        BitSet[][][] compat = new BitSet[n][n][];
        int[][] neighbours = new int[n][];
        for (int i = 0; i < n; i++) {
            List<Integer> linked = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (i == j || (oneWay[i][j] == null && oneWay[j][i] == null)) continue;
                compat[i][j] = bothWays(oneWay, i, j, candidates.get(i).size(), candidates.get(j).size());
                linked.add(j);
            }
            neighbours[i] = linked.stream().mapToInt(Integer::intValue).toArray();
        }
        return new Problem(List.copyOf(names), List.copyOf(candidates), compat, neighbours);
    }

    /** Narrows what candidate a of i allows of the rule's name by the rule's range. */
    private static void restrict(BitSet[][][] oneWay, List<List<Pack>> candidates, Map<MaskKey, BitSet> masks,
                                 Map<String, Integer> index, int i, int a, Requirement rule, boolean excludes) {
        Integer j = index.get(rule.pack());
        if (j == null || j == i) return;
        List<Pack> cj = candidates.get(j);
        if (oneWay[i][j] == null) oneWay[i][j] = new BitSet[candidates.get(i).size()];
        BitSet allowed = oneWay[i][j][a];
        if (allowed == null) {
            allowed = full(cj.size());
            oneWay[i][j][a] = allowed;
        }
        BitSet inRange = masks.computeIfAbsent(new MaskKey(j, rule.range()), k -> {
            BitSet m = new BitSet(cj.size());
            for (int b = 0; b < cj.size(); b++) {
                if (rule.range().contains(cj.get(b).version())) m.set(b);
            }
            return m;
        });
        if (excludes) allowed.andNot(inRange);
        else allowed.and(inRange);
    }

    /** i's own rules on j, with every candidate of j whose rules reject candidate a of i taken out of row a. */
    private static BitSet[] bothWays(BitSet[][][] oneWay, int i, int j, int sizeI, int sizeJ) {
        BitSet[] rows = new BitSet[sizeI];
        for (int a = 0; a < sizeI; a++) {
            BitSet own = oneWay[i][j] == null ? null : oneWay[i][j][a];
            rows[a] = own == null ? full(sizeJ) : (BitSet) own.clone();
        }
        if (oneWay[j][i] != null) {
            for (int b = 0; b < sizeJ; b++) {
                BitSet theirs = oneWay[j][i][b];
                if (theirs == null) continue;
                for (int a = theirs.nextClearBit(0); a < sizeI; a = theirs.nextClearBit(a + 1)) rows[a].clear(b);
            }
        }
        return rows;
    }

    static BitSet full(int size) {
        BitSet all = new BitSet(size);
        all.set(0, size);
        return all;
    }

    int size() {
        return names.size();
    }

    Pack pack(int v, int x) {
        return candidates.get(v).get(x);
    }

    /** The names some rule links to v, ascending. */
    int[] neighbours(int v) {
        return neighbours[v];
    }

    /** The candidates of j that candidate a of i runs with; only for linked i and j. Do not modify. */
    BitSet compatible(int i, int a, int j) {
        return compat[i][j][a];
    }

    /**
     * The groups of names that no rule links to each other, each ascending, ordered by their first name.
     * Groups are independent: a choice in one never narrows another, so each is searched on its own.
     */
    List<int[]> components() {
        int n = size();
        int[] root = new int[n];
        for (int i = 0; i < n; i++) root[i] = i;
        for (int i = 0; i < n; i++) {
            for (int j : neighbours[i]) {
                int ri = find(root, i);
                int rj = find(root, j);
                if (ri != rj) root[Math.max(ri, rj)] = Math.min(ri, rj);
            }
        }
        List<int[]> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (find(root, i) != i) continue;
            int r = i;
            groups.add(IntStream.range(0, n).filter(v -> find(root, v) == r).toArray());
        }
        return groups;
    }

    private static int find(int[] root, int v) {
        while (root[v] != v) v = root[v];
        return v;
    }

    private record MaskKey(int name, VersionRange range) {
    }
}
