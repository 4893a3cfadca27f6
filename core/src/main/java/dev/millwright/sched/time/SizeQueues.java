package dev.millwright.sched.time;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pending jobs in arrival order, kept as one FIFO per job size. The earliest job that fits is then the
 * earliest of a handful of heads (one per size that fits), so a backfill pass costs a few checks per job
 * started, not a scan of the whole queue.
 */
final class SizeQueues {
    private final Map<Integer, ArrayDeque<ActiveJob>> bySize = new HashMap<>();
    /** The same deques, in a stable order (sizes as first seen) for iteration. */
    private final List<ArrayDeque<ActiveJob>> queues = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private int size;

    /** Appends {@code j}; jobs must arrive in {@code seq} order. */
    void add(ActiveJob j) {
        bySize.computeIfAbsent(j.gpus, g -> {
            ArrayDeque<ActiveJob> q = new ArrayDeque<>();
            queues.add(q);
            sizes.add(g);
            return q;
        }).addLast(j);
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest pending job of any size; null when empty. */
    ActiveJob oldest() {
        ActiveJob best = null;
        for (ArrayDeque<ActiveJob> q : queues) {
            ActiveJob h = q.peekFirst();
            if (h != null && (best == null || h.seq < best.seq)) best = h;
        }
        return best;
    }

    /** The earliest pending job that fits {@code cluster} now; null when none does. */
    ActiveJob oldestFitting(Cluster cluster) {
        ActiveJob best = null;
        for (int i = 0; i < queues.size(); i++) {
            ActiveJob h = queues.get(i).peekFirst();
            if (h != null && (best == null || h.seq < best.seq) && cluster.fits(sizes.get(i))) best = h;
        }
        return best;
    }

    /** Removes {@code j}, which must be the head of its size's queue. */
    void removeHead(ActiveJob j) {
        ActiveJob h = bySize.get(j.gpus).pollFirst();
        if (h != j) throw new IllegalStateException(j + " is not the head of its queue");
        size--;
    }
}
