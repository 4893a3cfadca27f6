package dev.millwright.sched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/*
 * The nodes as the scheduler sees them, and the indexes placement reads.
 *
 * Accounting: every GPU holds a number of thousandths in use (0 = fully free, 1000 = full); a failed GPU is
 * full and never changes. A node's free count is its fully free working GPUs: whole-GPU requests only use
 * those, so a GPU that hosts shares is never counted as free.
 *
 * Indexes, per pool (partition and GPU model), all kept exact on every assign and unassign:
 *  - byFree: fully free count -> nodes with that many, by name (best fit is the first entry that fits;
 *    the most free, for spreading, is the last);
 *  - shared: every partly used GPU by its room (thousandths still free), then node name and index, so that
 *    the best-fit GPU for a share is one ceiling lookup;
 *  - groups: per fabric group, a histogram of its nodes' free counts, so that a group's room for a gang is
 *    a few additions, not a walk over its nodes;
 *  - totals: fully free GPUs, room on shared GPUs, working GPUs, nodes and the largest node.
 * One assign costs O(GPUs touched x log n). Nothing here knows about queues or workloads.
 */
final class Fleet {
    /** Thousandths in one GPU: a whole GPU's share. */
    static final int WHOLE = 1000;

    /** Shared GPUs, the least room first (best fit), then by node name and index for determinism. */
    private static final Comparator<Node> BY_NAME = Comparator.comparing((Node x) -> x.name);

    private static final Comparator<Slot> BY_ROOM = Comparator.comparingInt((Slot s) -> s.room)
            .thenComparing((Slot s) -> s.nodeName).thenComparingInt(s -> s.gpu);

    static final class Node {
        final Scheduler.NodeSpec spec;
        final String name;
        final Pool pool;
        final Group group;
        /** Per GPU, the thousandths in use; failed GPUs are WHOLE. */
        final int[] milli;
        final boolean[] failed;
        final Slot[] slots;
        /** Per GPU, its NVLink domain as a number; a GPU without one is a domain of its own. */
        final int[] domain;
        final int domains;
        final boolean hasDomains;
        /** Fully free working GPUs. */
        int free;
        final int usable;
        long cpuFree;
        long memoryFree;

        Node(Scheduler.NodeSpec spec, Pool pool, Group group) {
            this.spec = spec;
            this.name = spec.name();
            this.pool = pool;
            this.group = group;
            int n = spec.gpus();
            this.milli = new int[n];
            this.failed = new boolean[n];
            this.slots = new Slot[n];
            this.domain = new int[n];
            Map<String, Integer> ids = new HashMap<>();
            int next = 0;
            boolean any = false;
            for (int g = 0; g < n; g++) {
                slots[g] = new Slot(this, spec.name(), g);
                String d = spec.nvlinkDomains().get(g);
                if (d == null) {
                    domain[g] = next++;
                } else {
                    any = true;
                    Integer id = ids.get(d);
                    if (id == null) {
                        id = next++;
                        ids.put(d, id);
                    }
                    domain[g] = id;
                }
            }
            this.domains = next;
            this.hasDomains = any;
            for (int g : spec.failed()) {
                if (g >= 0 && g < n) {
                    failed[g] = true;
                    milli[g] = WHOLE;
                }
            }
            int f = 0;
            for (int g = 0; g < n; g++) if (!failed[g]) f++;
            this.free = f;
            this.usable = f;
            this.cpuFree = spec.cpuMillis();
            this.memoryFree = spec.memoryMiB();
        }

        /** Whether one more replica's CPU and memory fit here; untracked (zero) capacity always fits. */
        boolean fits(Scheduler.Request r) {
            return (spec.cpuMillis() == 0 || cpuFree >= r.cpuMillis()) && (spec.memoryMiB() == 0 || memoryFree >= r.memoryMiB())
                    && !r.excludedNodes().contains(name);
        }

        /** The most used shared GPU here that still has {@code share} thousandths free; -1 if none. */
        int bestSharedGpu(int share) {
            int best = -1;
            for (int g = 0; g < milli.length; g++) {
                if (milli[g] == 0 || milli[g] + share > WHOLE) continue;
                if (best < 0 || milli[g] > milli[best]) best = g;
            }
            return best;
        }

        boolean isFree(int g) {
            return milli[g] == 0 && !failed[g];
        }
    }

    /** A shared GPU's entry in its pool's index; {@code room} changes only while it is out of the index. */
    static final class Slot {
        final Node node;
        final String nodeName;
        final int gpu;
        int room;

        Slot(Node node, String nodeName, int gpu) {
            this.node = node;
            this.nodeName = nodeName;
            this.gpu = gpu;
        }

        /** A key that sorts before every shared GPU with at least {@code room} free. */
        static Slot probe(int room) {
            Slot s = new Slot(null, "", Integer.MIN_VALUE);
            s.room = room;
            return s;
        }
    }

    /** The nodes of one pool behind one set of InfiniBand leaf switches. */
    static final class Group {
        final String name;
        /** By name. */
        final List<Node> nodes = new ArrayList<>();
        /** Nodes by fully free count. */
        int[] hist = new int[1];

        Group(String name) {
            this.name = name;
        }

        /** How many replicas of {@code need} whole GPUs its free GPUs hold, node by node. */
        long slots(int need) {
            long s = 0;
            for (int f = need; f < hist.length; f++) s += (long) hist[f] * (f / need);
            return s;
        }
    }

    /** The nodes one request may use: one partition, one GPU model. */
    static final class Pool {
        final String key;
        final NavigableMap<Integer, TreeSet<Node>> byFree = new TreeMap<>();
        final TreeSet<Slot> shared = new TreeSet<>(BY_ROOM);
        final TreeMap<String, Group> groups = new TreeMap<>();
        /** Whether any node names a fabric group of its own (else every node is its own group, and gangs pack by best fit). */
        boolean grouped;
        int nodes;
        int freeGpus;
        int usableGpus;
        int largestNode;
        /** Thousandths free on shared GPUs. */
        long sharedRoom;

        Pool(String key) {
            this.key = key;
        }

        /** How many replicas of {@code need} whole GPUs the free GPUs hold, node by node. */
        long slots(int need) {
            long s = 0;
            for (var e : byFree.tailMap(need, true).entrySet()) s += (long) e.getValue().size() * (e.getKey() / need);
            return s;
        }

        int largestFree() {
            return byFree.isEmpty() ? 0 : byFree.lastKey();
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Pool> pools = new HashMap<>();

    Node node(String name) {
        return nodes.get(name);
    }

    Pool pool(String key) {
        return pools.get(key);
    }

    Node add(Scheduler.NodeSpec spec) {
        if (nodes.containsKey(spec.name())) throw new IllegalArgumentException("node " + spec.name() + " is already known");
        Pool pool = pools.computeIfAbsent(Scheduler.poolOf(spec.partition(), spec.gpuModel()), Pool::new);
        Group group = pool.groups.computeIfAbsent(spec.fabricGroup(), Group::new);
        if (!spec.fabricGroup().equals(spec.name())) pool.grouped = true;
        Node n = new Node(spec, pool, group);
        int at = -java.util.Collections.binarySearch(group.nodes, n, BY_NAME) - 1;
        group.nodes.add(at, n);
        if (group.hist.length <= spec.gpus()) group.hist = Arrays.copyOf(group.hist, spec.gpus() + 1);
        nodes.put(n.name, n);
        pool.nodes++;
        pool.freeGpus += n.free;
        pool.usableGpus += n.usable;
        pool.largestNode = Math.max(pool.largestNode, n.usable);
        index(n);
        return n;
    }

    /**
     * Those of {@code gpus} on which {@code share} thousandths can be taken: indexes that exist, have not
     * failed and have room, each once. Restored work keeps only these, so that a GPU that failed under it, or
     * that stale status books twice, is not counted twice.
     */
    static List<Integer> takeable(Node n, List<Integer> gpus, int share) {
        List<Integer> out = new ArrayList<>(gpus.size());
        for (int g : gpus) {
            if (g >= 0 && g < n.milli.length && n.milli[g] + share <= WHOLE && !out.contains(g)) out.add(g);
        }
        return out;
    }

    /** Takes {@code share} thousandths of each GPU, and one replica's CPU and memory. The caller has checked that they fit. */
    void assign(Node n, List<Integer> gpus, int share, long cpu, long memory) {
        unindex(n);
        for (int g : gpus) change(n, g, share);
        index(n);
        n.cpuFree -= cpu;
        n.memoryFree -= memory;
    }

    /** Gives back what {@link #assign} took. */
    void unassign(Node n, List<Integer> gpus, int share, long cpu, long memory) {
        unindex(n);
        for (int g : gpus) change(n, g, -share);
        index(n);
        n.cpuFree += cpu;
        n.memoryFree += memory;
    }

    private static void change(Node n, int g, int delta) {
        Pool p = n.pool;
        int before = n.milli[g];
        int after = before + delta;
        if (after < 0 || after > WHOLE) throw new IllegalStateException("GPU " + g + " of node " + n.name + " would hold " + after + " thousandths");
        Slot slot = n.slots[g];
        if (before > 0 && before < WHOLE) {
            p.shared.remove(slot);
            p.sharedRoom -= WHOLE - before;
        }
        if (after > 0 && after < WHOLE) {
            slot.room = WHOLE - after;
            p.shared.add(slot);
            p.sharedRoom += slot.room;
        }
        if (before == 0) {
            n.free--;
            p.freeGpus--;
        }
        if (after == 0) {
            n.free++;
            p.freeGpus++;
        }
        n.milli[g] = after;
    }

    private static void index(Node n) {
        n.pool.byFree.computeIfAbsent(n.free, k -> new TreeSet<>(BY_NAME)).add(n);
        n.group.hist[n.free]++;
    }

    private static void unindex(Node n) {
        TreeSet<Node> set = n.pool.byFree.get(n.free);
        set.remove(n);
        if (set.isEmpty()) n.pool.byFree.remove(n.free);
        n.group.hist[n.free]--;
    }

    /** Recounts every index from the nodes themselves; throws on the first difference (for tests). */
    void verify() {
        Map<String, Pool> recount = new HashMap<>();
        for (Node n : nodes.values()) {
            int free = 0;
            for (int g = 0; g < n.milli.length; g++) {
                if (n.milli[g] < 0 || n.milli[g] > WHOLE) throw new IllegalStateException(n.name + " GPU " + g + " holds " + n.milli[g]);
                if (!n.failed[g] && n.milli[g] == 0) free++;
                boolean partial = n.milli[g] > 0 && n.milli[g] < WHOLE;
                if (partial != n.pool.shared.contains(n.slots[g]) || partial && n.slots[g].room != WHOLE - n.milli[g]) {
                    throw new IllegalStateException(n.name + " GPU " + g + " is wrongly in the shared index");
                }
            }
            if (free != n.free) throw new IllegalStateException(n.name + " counts " + n.free + " free, has " + free);
            if (!n.pool.byFree.getOrDefault(n.free, new TreeSet<>(BY_NAME)).contains(n)) {
                throw new IllegalStateException(n.name + " is not indexed under " + n.free + " free");
            }
            Pool p = recount.computeIfAbsent(n.pool.key, Pool::new);
            p.freeGpus += free;
            p.nodes++;
            for (int g = 0; g < n.milli.length; g++) if (n.milli[g] > 0 && n.milli[g] < WHOLE) p.sharedRoom += WHOLE - n.milli[g];
            Group group = p.groups.computeIfAbsent(n.group.name, Group::new);
            if (group.hist.length < n.group.hist.length) group.hist = new int[n.group.hist.length];
            group.hist[free]++;
        }
        for (Pool p : pools.values()) {
            Pool r = recount.getOrDefault(p.key, new Pool(p.key));
            int indexed = p.byFree.values().stream().mapToInt(TreeSet::size).sum();
            if (r.freeGpus != p.freeGpus || r.nodes != indexed || r.sharedRoom != p.sharedRoom) {
                throw new IllegalStateException("pool totals drifted: " + p.freeGpus + " free, " + p.sharedRoom + " shared room; recounted "
                        + r.freeGpus + ", " + r.sharedRoom);
            }
            for (Group g : p.groups.values()) {
                int[] want = r.groups.containsKey(g.name) ? r.groups.get(g.name).hist : new int[g.hist.length];
                if (!Arrays.equals(Arrays.copyOf(want, g.hist.length), g.hist)) throw new IllegalStateException("group " + g.name + " histogram drifted");
            }
        }
    }
}
