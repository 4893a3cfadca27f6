package dev.millwright.sched;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/*
 * The scheduler's incremental state recounted from scratch, for tests: the pool indexes and totals against
 * the nodes, the queue sums against the queues, and the nodes' and queues' use against the running work.
 * Throws IllegalStateException naming the first difference. O(everything); never on a hot path.
 */
final class Recount {
    private Recount() {
    }

    static void verify(Fleet fleet, QueueTree queues, Collection<Scheduler.Running> running) {
        fleet.verify();
        queues.verify();
        Map<String, Map<String, Long>> own = new HashMap<>();
        Map<String, long[]> onNodes = new HashMap<>();
        for (Scheduler.Running run : running) {
            Scheduler.Request r = run.request;
            for (Placement pl : run.placements) {
                Fleet.Node n = fleet.node(pl.machine());
                long[] held = onNodes.computeIfAbsent(n.name, k -> new long[n.milli.length + 2]);
                for (int g : pl.gpus()) held[g] += r.gpuShare();
                held[n.milli.length] += r.cpuMillis();
                held[n.milli.length + 1] += r.memoryMiB();
            }
            Map<String, Long> m = own.computeIfAbsent(r.queue(), k -> new HashMap<>());
            m.merge(r.gpuModel(), r.gpuMilli(), Long::sum);
            m.merge(Scheduler.CPU, (long) r.replicas() * r.cpuMillis(), Long::sum);
            m.merge(Scheduler.MEMORY, (long) r.replicas() * r.memoryMiB(), Long::sum);
        }
        for (var e : onNodes.entrySet()) {
            Fleet.Node n = fleet.node(e.getKey());
            long[] held = e.getValue();
            for (int g = 0; g < n.milli.length; g++) {
                if (n.milli[g] != (n.failed[g] ? Fleet.WHOLE : held[g])) throw new IllegalStateException(n.name + " GPU " + g + " holds " + n.milli[g] + ", its work " + held[g]);
            }
            if (n.cpuFree != n.spec.cpuMillis() - held[n.milli.length] || n.memoryFree != n.spec.memoryMiB() - held[n.milli.length + 1]) {
                throw new IllegalStateException(n.name + " Scheduler.CPU or memory drifted from its work");
            }
        }
        for (var q : own.entrySet()) {
            for (var e : q.getValue().entrySet()) {
                if (queues.own(q.getKey(), e.getKey()) != e.getValue()) {
                    throw new IllegalStateException("queue " + q.getKey() + " counts " + queues.own(q.getKey(), e.getKey()) + " of " + e.getKey()
                            + ", runs " + e.getValue());
                }
            }
        }
    }
}
