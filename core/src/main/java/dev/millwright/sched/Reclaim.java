package dev.millwright.sched;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/*
 * Reclaim on paper: which borrowers to preempt so that a gang within its guarantee fits, found without
 * touching the indexes, so that nobody is preempted for a gang that still would not fit.
 *
 * Room is counted in replica slots: a node with f fully free GPUs holds f / need replicas of need GPUs; a GPU
 * with r thousandths free holds r / share replicas of a share. Each candidate victim's GPUs are added back,
 * GPU by GPU (a GPU whose shares are not all freed stays shared), until the slots cover the gang. Candidates
 * are borrowed, preemptible work of other queues in the same partition, in reclaim order, up to twice what
 * the request still lacks: past that, fragmentation rather than capacity keeps it out, and preempting more
 * would not help. CPU and memory are not counted: when GPU room is already there, nothing is preempted. A
 * request kept off some nodes by policy preempts nobody: the slots counted here include those nodes.
 */
final class Reclaim {
    private Reclaim() {
    }

    static List<Scheduler.Running> victims(Scheduler.Request r, Fleet.Pool pool, Fleet fleet, TreeSet<Scheduler.Running> borrowed) {
        // the room preemption frees may be on nodes the request may not use: it waits for room it can use instead
        if (pool == null || borrowed == null || borrowed.isEmpty() || !r.excludedNodes().isEmpty()) return List.of();
        int share = r.gpuShare();
        boolean shared = share < Fleet.WHOLE;
        int need = r.gpusPerReplica();
        long slots = shared ? shareSlots(pool, share, r.replicas()) : pool.slots(need);
        if (slots >= r.replicas()) return List.of();
        Map<Fleet.Slot, Integer> freed = new HashMap<>();
        Map<Fleet.Node, Integer> wholeFreed = new HashMap<>();
        List<Scheduler.Running> chosen = new ArrayList<>();
        for (Scheduler.Running v : candidates(r, pool, borrowed)) {
            chosen.add(v);
            int vShare = v.request.gpuShare();
            for (Placement pl : v.placements) {
                Fleet.Node n = fleet.node(pl.machine());
                for (int g : pl.gpus()) {
                    int before = freed.getOrDefault(n.slots[g], 0);
                    freed.put(n.slots[g], before + vShare);
                    int roomBefore = Fleet.WHOLE - n.milli[g] + before;
                    int roomAfter = roomBefore + vShare;
                    if (shared) {
                        slots += roomAfter / share - roomBefore / share;
                    } else if (roomAfter == Fleet.WHOLE) {
                        int whole = wholeFreed.getOrDefault(n, 0);
                        wholeFreed.put(n, whole + 1);
                        slots += (n.free + whole + 1) / need - (n.free + whole) / need;
                    }
                }
            }
            if (slots >= r.replicas()) return chosen;
        }
        return List.of();
    }

    /** Replicas of {@code share} the free and shared GPUs hold, counted up to {@code enough}. */
    private static long shareSlots(Fleet.Pool pool, int share, int enough) {
        long slots = (long) pool.freeGpus * (Fleet.WHOLE / share);
        for (Fleet.Slot s : pool.shared.tailSet(Fleet.Slot.probe(share), true)) {
            if (slots >= enough) break;
            slots += s.room / share;
        }
        return slots;
    }

    private static List<Scheduler.Running> candidates(Scheduler.Request r, Fleet.Pool pool, TreeSet<Scheduler.Running> borrowed) {
        List<Scheduler.Running> out = new ArrayList<>();
        long lacking = r.gpuMilli() - ((long) pool.freeGpus * Fleet.WHOLE + pool.sharedRoom);
        long gathered = 0;
        for (Scheduler.Running run : borrowed) {
            Scheduler.Request v = run.request;
            if (v.queue().equals(r.queue()) || !v.partition().equals(r.partition())) continue;
            if (!v.priority().preemptible() && v.priority().value() >= r.priority().value()) continue;
            out.add(run);
            gathered += v.gpuMilli();
            if (gathered >= 2 * Math.max(lacking, r.gpuMilli())) break;
        }
        return gathered >= lacking ? out : List.of();
    }
}
