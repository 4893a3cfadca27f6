package dev.millwright.sched.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The active jobs of a priority policy, pending and running apart, each set sorted by the policy's order; the
 * pending ones also per job size, so that a backfill pass finds the best job that fits among a few heads.
 *
 * <p>The sort keys of a job must not change while it is in a set: callers remove it, change it, add it back.
 */
final class JobSets {
    final TreeSet<ActiveJob> pending;
    final TreeSet<ActiveJob> running;
    private final Comparator<ActiveJob> pendingOrder;
    private final Map<Integer, TreeSet<ActiveJob>> pendingBySize;
    private final List<Integer> sizes = new ArrayList<>();
    private final List<TreeSet<ActiveJob>> sizeSets = new ArrayList<>();

    JobSets(Comparator<ActiveJob> pendingOrder, Comparator<ActiveJob> runningOrder, boolean bySize) {
        this.pendingOrder = pendingOrder;
        this.pending = new TreeSet<>(pendingOrder);
        this.running = new TreeSet<>(runningOrder);
        this.pendingBySize = bySize ? new HashMap<>() : null;
    }

    void addPending(ActiveJob j) {
        check(pending.add(j), j, "added twice to pending");
        if (pendingBySize != null) {
            pendingBySize.computeIfAbsent(j.gpus, g -> {
                TreeSet<ActiveJob> s = new TreeSet<>(pendingOrder);
                sizes.add(g);
                sizeSets.add(s);
                return s;
            }).add(j);
        }
    }

    void removePending(ActiveJob j) {
        check(pending.remove(j), j, "not pending");
        if (pendingBySize != null) pendingBySize.get(j.gpus).remove(j);
    }

    void addRunning(ActiveJob j) {
        check(running.add(j), j, "added twice to running");
    }

    void removeRunning(ActiveJob j) {
        check(running.remove(j), j, "not running");
    }

    /** The first pending job, in pending order, whose size fits {@code cluster} now; null if none. */
    ActiveJob bestFittingPending(Cluster cluster) {
        ActiveJob best = null;
        for (int i = 0; i < sizeSets.size(); i++) {
            TreeSet<ActiveJob> s = sizeSets.get(i);
            if (s.isEmpty()) continue;
            ActiveJob h = s.first();
            if ((best == null || pendingOrder.compare(h, best) < 0) && cluster.fits(sizes.get(i))) best = h;
        }
        return best;
    }

    /** Running and pending jobs together in {@code mixed} order, which both sets' orders must agree with. */
    Iterable<ActiveJob> merged(Comparator<ActiveJob> mixed) {
        return () -> new Iterator<>() {
            private final Iterator<ActiveJob> r = running.iterator();
            private final Iterator<ActiveJob> p = pending.iterator();
            private ActiveJob nr = r.hasNext() ? r.next() : null;
            private ActiveJob np = p.hasNext() ? p.next() : null;

            @Override
            public boolean hasNext() {
                return nr != null || np != null;
            }

            @Override
            public ActiveJob next() {
                if (nr == null && np == null) throw new NoSuchElementException();
                ActiveJob out;
                if (np == null || (nr != null && mixed.compare(nr, np) <= 0)) {
                    out = nr;
                    nr = r.hasNext() ? r.next() : null;
                } else {
                    out = np;
                    np = p.hasNext() ? p.next() : null;
                }
                return out;
            }
        };
    }

    private static void check(boolean ok, ActiveJob j, String what) {
        if (!ok) throw new IllegalStateException(j + ": " + what);
    }
}
