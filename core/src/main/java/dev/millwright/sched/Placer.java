package dev.millwright.sched;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;

/*
 * Where a gang goes: every replica or none. Replicas are taken one by one on the live indexes, so each sees
 * what the ones before it took; when one does not fit, everything taken is given back (an explicit undo
 * rather than a tentative copy, so the indexes stay the only truth and a failed try costs what it took).
 *
 * Which path:
 *  - a share of a GPU: the shared GPU with the least room that still fits it (one ceiling lookup), else a
 *    fully free GPU on the fullest node that has one; whole GPUs stay whole and shares gather on the nodes
 *    that already host shares. Spread shares first try a node the gang is not on yet, least loaded first.
 *  - spread (services): each replica on the node with the most free GPUs that fits and that the gang is
 *    not on yet; when the distinct nodes run out, nodes are reused, still most free first.
 *  - a gang of several replicas in a pool with fabric groups: the fewest groups. If one group holds the
 *    whole gang, the one with the least room that still holds it (best fit); otherwise groups with the most
 *    room first. Inside a group, best fit per replica. The pool's room is checked first (a few additions),
 *    so a gang that cannot fit costs no walk over the groups.
 *  - everything else, and every one-replica request: best fit, the node with the fewest free GPUs that still
 *    fits, the first entry of the free-count index (no group is looked at).
 * On a node, a replica's GPUs come from one NVLink domain when one has room (the one with the least room
 * that fits), else from the fewest domains; nodes without domain information take the lowest indexes.
 */
final class Placer {
    private final Fleet fleet;

    Placer(Fleet fleet) {
        this.fleet = fleet;
    }

    /** One replica's GPUs on one node, as taken. */
    private record Taken(int replica, Fleet.Node node, List<Integer> gpus) {
    }

    /** Places every replica of {@code r} or none; when it returns placements, their GPUs, CPU and memory are taken. */
    List<Placement> place(Scheduler.Request r) {
        Fleet.Pool pool = fleet.pool(Scheduler.poolOf(r.partition(), r.gpuModel()));
        if (pool == null) return null;
        List<Taken> taken = new ArrayList<>(r.replicas());
        boolean placed;
        if (r.gpuShare() < Fleet.WHOLE) placed = shares(pool, r, taken);
        else if (r.spread() && r.replicas() > 1) placed = spread(pool, r, taken);
        else if (r.replicas() > 1 && pool.grouped) placed = byFabric(pool, r, taken);
        else placed = bestFit(pool, r, taken);
        if (!placed) {
            for (int i = taken.size() - 1; i >= 0; i--) {
                Taken t = taken.get(i);
                fleet.unassign(t.node, t.gpus, r.gpuShare(), r.cpuMillis(), r.memoryMiB());
            }
            return null;
        }
        List<Placement> out = new ArrayList<>(taken.size());
        for (Taken t : taken) out.add(new Placement(t.replica, t.node.name, t.gpus));
        return out;
    }

    private void take(Scheduler.Request r, Fleet.Node n, List<Integer> gpus, List<Taken> taken) {
        fleet.assign(n, gpus, r.gpuShare(), r.cpuMillis(), r.memoryMiB());
        taken.add(new Taken(taken.size(), n, gpus));
    }

    private boolean bestFit(Fleet.Pool pool, Scheduler.Request r, List<Taken> taken) {
        int need = r.gpusPerReplica();
        for (int i = 0; i < r.replicas(); i++) {
            Fleet.Node n = first(pool.byFree.tailMap(need, true), r, null);
            if (n == null) return false;
            take(r, n, gpus(n, need), taken);
        }
        return true;
    }

    private boolean spread(Fleet.Pool pool, Scheduler.Request r, List<Taken> taken) {
        int need = r.gpusPerReplica();
        Set<Fleet.Node> on = new HashSet<>();
        for (int i = 0; i < r.replicas(); i++) {
            NavigableMap<Integer, TreeSet<Fleet.Node>> mostFree = pool.byFree.tailMap(need, true).descendingMap();
            Fleet.Node n = first(mostFree, r, on);
            if (n == null) n = first(mostFree, r, null);
            if (n == null) return false;
            take(r, n, gpus(n, need), taken);
            on.add(n);
        }
        return true;
    }

    private boolean shares(Fleet.Pool pool, Scheduler.Request r, List<Taken> taken) {
        int share = r.gpuShare();
        Set<Fleet.Node> on = new HashSet<>();
        boolean spread = r.spread() && r.replicas() > 1;
        for (int i = 0; i < r.replicas(); i++) {
            Fleet.Node n = null;
            int gpu = -1;
            if (spread) {
                // the least loaded node the gang is not on yet, on it the fullest GPU that fits; else the
                // best-fit shared GPU on such a node
                n = first(pool.byFree.tailMap(1, true).descendingMap(), r, on);
                if (n != null) {
                    gpu = n.bestSharedGpu(share);
                    if (gpu < 0) gpu = gpus(n, 1).get(0);
                } else {
                    for (Fleet.Slot s : pool.shared.tailSet(Fleet.Slot.probe(share), true)) {
                        if (!on.contains(s.node) && s.node.fits(r)) {
                            n = s.node;
                            gpu = s.gpu;
                            break;
                        }
                    }
                }
            }
            if (n == null) {
                for (Fleet.Slot s : pool.shared.tailSet(Fleet.Slot.probe(share), true)) {
                    if (s.node.fits(r)) {
                        n = s.node;
                        gpu = s.gpu;
                        break;
                    }
                }
            }
            if (n == null) {
                n = first(pool.byFree.tailMap(1, true), r, null);
                if (n == null) return false;
                gpu = gpus(n, 1).get(0);
            }
            take(r, n, List.of(gpu), taken);
            on.add(n);
        }
        return true;
    }

    private boolean byFabric(Fleet.Pool pool, Scheduler.Request r, List<Taken> taken) {
        int need = r.gpusPerReplica();
        if (pool.slots(need) < r.replicas()) return false;
        Fleet.Group best = null;
        long bestSlots = Long.MAX_VALUE;
        for (Fleet.Group g : pool.groups.values()) {
            long s = g.slots(need);
            if (s >= r.replicas() && s < bestSlots) {
                best = g;
                bestSlots = s;
            }
        }
        if (best != null && fill(best, r, taken)) return true;
        // no group holds it (or CPU or memory ran short there): the groups with the most room first
        List<Fleet.Group> rest = new ArrayList<>();
        for (Fleet.Group g : pool.groups.values()) if (g != best && g.slots(need) > 0) rest.add(g);
        Map<Fleet.Group, Long> room = new java.util.HashMap<>();
        for (Fleet.Group g : rest) room.put(g, g.slots(need));
        rest.sort(Comparator.comparingLong((Fleet.Group g) -> -room.get(g)).thenComparing(g -> g.name));
        for (Fleet.Group g : rest) if (fill(g, r, taken)) return true;
        return false;
    }

    /** Best fit per replica inside one group until the gang is complete (true) or the group is full for it. */
    private boolean fill(Fleet.Group group, Scheduler.Request r, List<Taken> taken) {
        int need = r.gpusPerReplica();
        while (taken.size() < r.replicas()) {
            Fleet.Node best = null;
            for (Fleet.Node n : group.nodes) {
                if (n.free >= need && (best == null || n.free < best.free) && n.fits(r)) best = n;
            }
            if (best == null) return false;
            take(r, best, gpus(best, need), taken);
        }
        return true;
    }

    /** The first node in index order with {@code need} GPUs (the index is cut to that) whose CPU and memory fit, not in {@code skip}. */
    private static Fleet.Node first(NavigableMap<Integer, TreeSet<Fleet.Node>> index, Scheduler.Request r, Set<Fleet.Node> skip) {
        for (TreeSet<Fleet.Node> nodes : index.values()) {
            for (Fleet.Node n : nodes) {
                if ((skip == null || !skip.contains(n)) && n.fits(r)) return n;
            }
        }
        return null;
    }

    /**
     * {@code need} fully free GPUs of {@code n}, ascending: all from the NVLink domain with the fewest free GPUs
     * that still holds them, else from the fewest domains (the fullest first); the lowest indexes without domains.
     */
    static List<Integer> gpus(Fleet.Node n, int need) {
        List<Integer> out = new ArrayList<>(need);
        int size = n.milli.length;
        if (!n.hasDomains) {
            for (int g = 0; g < size && out.size() < need; g++) if (n.isFree(g)) out.add(g);
            return out;
        }
        int[] count = new int[n.domains];
        int[] first = new int[n.domains];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        for (int g = 0; g < size; g++) {
            if (!n.isFree(g)) continue;
            count[n.domain[g]]++;
            first[n.domain[g]] = Math.min(first[n.domain[g]], g);
        }
        int best = -1;
        for (int d = 0; d < n.domains; d++) {
            if (count[d] >= need && (best < 0 || count[d] < count[best] || count[d] == count[best] && first[d] < first[best])) best = d;
        }
        if (best >= 0) {
            for (int g = 0; g < size && out.size() < need; g++) if (n.isFree(g) && n.domain[g] == best) out.add(g);
            return out;
        }
        List<Integer> order = new ArrayList<>();
        for (int d = 0; d < n.domains; d++) if (count[d] > 0) order.add(d);
        order.sort(Comparator.comparingInt((Integer d) -> -count[d]).thenComparingInt(d -> first[d]));
        for (int d : order) {
            for (int g = 0; g < size && out.size() < need; g++) if (n.isFree(g) && n.domain[g] == d) out.add(g);
            if (out.size() == need) break;
        }
        Collections.sort(out);
        return out;
    }
}
