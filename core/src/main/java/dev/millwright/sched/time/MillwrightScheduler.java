package dev.millwright.sched.time;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Millwright's production policy, as replayed on traces.
 *
 * <h2>Guarantees are places, not just numbers</h2>
 * Each tenant's guaranteed quota is laid out on the fleet once, as a strict partition would be: {@code quota /
 * gpusPerNode} whole nodes plus the remainder on one shared node (see {@link #layout}). That allotment is the
 * tenant's <em>home</em>. A job that runs inside its tenant's allotment is a home job; any other running job is
 * a <em>guest</em> on GPUs it borrowed. Without the layout a guarantee is only a GPU count, and a gang of 16 GPUs
 * can find every node holding a few GPUs of other tenants' guaranteed work: the count is there, the two free
 * nodes are not.
 *
 * <h2>Entitled work first</h2>
 * In each pass, each tenant's active jobs (running and pending) are walked in the tenant's own priority order;
 * the first ones whose GPUs add up to at most its quota are <em>entitled</em>. An entitled job that is not
 * running starts at home if its allotment has room, else as a guest on idle GPUs anywhere, else by
 * <em>reclaim</em>: on the home node(s) where the fewest GPUs must be taken back, guests are preempted, and so is
 * the tenant's own work of lower priority (work that is not entitled first, then the lowest priority and the
 * least progress lost).
 * Home work of other tenants is never touched, so another tenant never preempts a tenant's entitled work at its
 * home; an entitled job running as a guest may be moved out by the host and restarts at its own home at the same
 * instant (its queueing delay is unchanged, it pays the restart penalty). A tenant's job therefore starts no
 * later than it would alone on its partition, usually much earlier since it can also borrow.
 *
 * <h2>Lending what is idle</h2>
 * The GPUs not held by entitled jobs are lent: the remaining jobs of all tenants are walked in one priority order
 * and the first ones that add up to what is left are chosen; a chosen job that finds no room may preempt running
 * work that was not chosen (it has a lower priority). Whatever is still idle is then backfilled with the best
 * pending jobs that fit, so GPUs do not idle behind a large job that cannot be placed.
 *
 * <h2>Priority without an oracle</h2>
 * Durations are unknown. The order is least attained service first, in GPU-seconds (2D-LAS, after Tiresias,
 * Gu et al. NSDI'19), with many levels instead of two: level {@code i} holds jobs that attained less than
 * {@code FIRST_LEVEL x LEVEL_FACTOR^i} GPU-seconds. Short and small jobs, which dominate real traces, finish in
 * the top levels while long ones sink; within a level running jobs stay ahead of pending ones (no churn among
 * equals), then the oldest goes first. A timer demotes a running job when it crosses its level's limit, so
 * nothing is rescanned to find out.
 *
 * <h2>Placement</h2>
 * Best fit: at home, the node whose allotment has the fewest GPUs left that still hold the job; as a guest, the
 * node with the fewest free GPUs that hold it. Whole nodes stay free for gangs, which take whole idle nodes.
 *
 * <h2>Left out, on purpose</h2>
 * No starvation promotion: promoting a job that waited more than k times its attained service (Tiresias'
 * PROMOTEKNOB) raised the average JCT on the ITP replay for every k tried (1 to 8) and barely shortened the
 * tail. The price is that the longest, widest jobs finish last: the makespan of a finite trace grows, and with it
 * the utilization figure (GPU-seconds / (GPUs x makespan)) drops, though the work done is the same.
 *
 * <h2>Cost per pass</h2>
 * No pass when nothing waits. The walks stop once the quota (or the fleet) is filled, so a pass touches about
 * as many jobs as fit on the fleet, never the whole backlog; reclaim looks only at the tenant's home nodes; an
 * eviction that failed for a size is not retried for larger jobs in the same pass; backfill looks at one head
 * per job size.
 */
final class MillwrightScheduler implements Scheduler {
    /** Upper bound of the first priority level, GPU-seconds: ten GPU-minutes. */
    static final double FIRST_LEVEL = 600;
    /** Each level holds this many times more attained service than the one above it. */
    static final double LEVEL_FACTOR = 4;
    /** Number of levels; the last one has no upper bound (from about 1.6 x 10^8 GPU-seconds on). */
    static final int LEVELS = 10;

    /** Level, then arrival: the order within the pending set and within the running set. */
    static final Comparator<ActiveJob> BY_LEVEL = (a, b) -> a.level != b.level ? Integer.compare(a.level, b.level)
            : Integer.compare(a.seq, b.seq);
    /** Level, then running before pending, then arrival: the priority order across both sets. */
    static final Comparator<ActiveJob> BY_LEVEL_RUNNING_FIRST = (a, b) -> {
        if (a.level != b.level) return Integer.compare(a.level, b.level);
        if (a.running != b.running) return a.running ? -1 : 1;
        return Integer.compare(a.seq, b.seq);
    };

    private final Simulation sim;
    private final Cluster cluster;
    private final int[] quota;
    /** GPUs of node {@code n} allotted to tenant {@code t}: {@code allot[t][n]}. */
    private final int[][] allot;
    /** GPUs of tenant {@code t}'s allotment on node {@code n} held by its home jobs. */
    private final int[][] homeUsed;
    /** The nodes where each tenant has an allotment, lowest index first. */
    private final int[][] homeNodes;
    private final JobSets all;
    private final JobSets[] byTenant;
    private final Comparator<ActiveJob> victimOrder;
    private double now;
    private int pass;
    /** GPUs held by running jobs the lending phase may evict; -1 until first needed. */
    private int evictable;
    /** The smallest job the current phase failed to make room for: larger ones would fail too. */
    private int smallestFailure;

    MillwrightScheduler(Simulation sim, int[] quota) {
        this.sim = sim;
        this.cluster = sim.cluster;
        this.quota = quota.clone();
        this.allot = layout(cluster, this.quota);
        this.homeUsed = new int[quota.length][cluster.nodes()];
        this.homeNodes = new int[quota.length][];
        for (int t = 0; t < quota.length; t++) {
            int[] a = allot[t];
            homeNodes[t] = IntStream.range(0, a.length).filter(n -> a[n] > 0).toArray();
        }
        all = new JobSets(BY_LEVEL, BY_LEVEL, true);
        byTenant = new JobSets[quota.length];
        for (int t = 0; t < quota.length; t++) byTenant[t] = new JobSets(BY_LEVEL, BY_LEVEL, false);
        // borrowed work before entitled work, then lowest priority, then the least work done since it last
        // started (the least progress lost), then the newest
        victimOrder = Comparator.<ActiveJob>comparingInt(j -> j.entitledPass == pass ? 1 : 0)
                .thenComparingInt(j -> -j.level).thenComparingDouble(j -> (now - j.runStart) * j.gpus)
                .thenComparingInt(j -> -j.seq);
    }

    /**
     * Lays the quotas out on the fleet as strict partitions would be: first each tenant's whole nodes ({@code
     * quota / gpusPerNode}, in tenant order), then the remainders, largest first, each on the node with the
     * least room that still holds it whole; a remainder that fits no node whole is split over the roomiest ones.
     */
    static int[][] layout(Cluster c, int[] quota) {
        int gpn = c.gpusPerNode;
        int[][] allot = new int[quota.length][c.nodes()];
        int[] left = c.capacity.clone();
        int[] rest = new int[quota.length];
        int next = 0;
        for (int t = 0; t < quota.length; t++) {
            rest[t] = quota[t] % gpn;
            for (int i = 0; i < quota[t] / gpn; i++) {
                while (next < left.length && (c.capacity[next] != gpn || left[next] != gpn)) next++;
                if (next == left.length) {
                    rest[t] += gpn;
                    continue;
                }
                allot[t][next] = gpn;
                left[next] = 0;
            }
        }
        Integer[] order = new Integer[quota.length];
        for (int t = 0; t < order.length; t++) order[t] = t;
        Arrays.sort(order, (a, b) -> rest[a] != rest[b] ? Integer.compare(rest[b], rest[a]) : Integer.compare(a, b));
        for (int t : order) {
            int r = rest[t];
            while (r > 0) {
                int best = -1;
                for (int n = 0; n < left.length; n++) {
                    if (left[n] >= Math.min(r, gpn) && (best < 0 || left[n] < left[best])) best = n;
                }
                if (best < 0) {
                    for (int n = 0; n < left.length; n++) if (left[n] > 0 && (best < 0 || left[n] > left[best])) best = n;
                }
                if (best < 0) throw new IllegalStateException("quotas exceed the fleet");
                int take = Math.min(r, left[best]);
                allot[t][best] += take;
                left[best] -= take;
                r -= take;
            }
        }
        return allot;
    }

    /** Upper bound of level {@code level}, GPU-seconds; infinite for the last. */
    static double levelLimit(int level) {
        return level >= LEVELS - 1 ? Double.POSITIVE_INFINITY : FIRST_LEVEL * Math.pow(LEVEL_FACTOR, level);
    }

    @Override
    public void arrived(ActiveJob j, double now) {
        j.level = 0;
        all.addPending(j);
        byTenant[j.tenant].addPending(j);
    }

    @Override
    public void finished(ActiveJob j, double now) {
        all.removeRunning(j);
        byTenant[j.tenant].removeRunning(j);
        leaveHome(j);
    }

    @Override
    public void preempted(ActiveJob j, double now) {
        leaveHome(j);
    }

    @Override
    public void started(ActiveJob j, double now) {
        armDemotion(j);
    }

    @Override
    public void timer(ActiveJob j, double now) {
        all.removeRunning(j);
        byTenant[j.tenant].removeRunning(j);
        j.level++;
        all.addRunning(j);
        byTenant[j.tenant].addRunning(j);
        armDemotion(j);
    }

    private void armDemotion(ActiveJob j) {
        double limit = levelLimit(j.level);
        if (Double.isFinite(limit)) sim.wakeAt(j, j.timeToReachGpuSeconds(limit));
    }

    @Override
    public void schedule(double now) {
        this.now = now;
        // nothing waits: nothing to start, and nothing to preempt for
        if (all.pending.isEmpty()) return;
        int p = ++pass;
        // 1. entitle: each tenant's top jobs, in its own order, up to its guaranteed quota
        int entitledGpus = 0;
        Deque<ActiveJob> entitledPending = new ArrayDeque<>();
        for (int t = 0; t < quota.length; t++) {
            int room = quota[t];
            if (room == 0) continue;
            for (ActiveJob j : byTenant[t].merged(BY_LEVEL_RUNNING_FIRST)) {
                if (room == 0) break;
                if (j.gpus > room) continue;
                room -= j.gpus;
                entitledGpus += j.gpus;
                j.entitledPass = p;
                j.selectedPass = p;
                if (!j.running) entitledPending.add(j);
            }
        }
        // 2. lend: the rest of the fleet to the remaining jobs of all tenants, in one priority order
        int room = cluster.totalGpus - entitledGpus;
        List<ActiveJob> lentPending = new ArrayList<>();
        for (ActiveJob j : all.merged(BY_LEVEL_RUNNING_FIRST)) {
            if (room == 0) break;
            if (j.entitledPass == p || j.gpus > room) continue;
            room -= j.gpus;
            j.selectedPass = p;
            if (!j.running) lentPending.add(j);
        }
        // 3. entitled jobs: at home, else as guests on idle GPUs, else by reclaiming their home; entitled guests
        //    moved out by a reclaim go home in the same pass
        while (!entitledPending.isEmpty()) {
            ActiveJob j = entitledPending.poll();
            if (j.running || startHome(j) || startGuest(j)) continue;
            reclaimHome(j, entitledPending);
        }
        // 4. lent jobs: at home or on idle GPUs, else in place of running work that was not chosen
        evictable = -1;
        smallestFailure = Integer.MAX_VALUE;
        for (ActiveJob j : lentPending) {
            if (j.running || startHome(j) || startGuest(j)) continue;
            evictForLent(j, r -> r.selectedPass != p);
        }
        // 5. backfill: what is still idle goes to the best pending jobs that fit
        for (ActiveJob j = all.bestFittingPending(cluster); j != null; j = all.bestFittingPending(cluster)) {
            if (!startHome(j) && !startGuest(j)) throw new IllegalStateException(j + " fit but was not placed");
        }
    }

    private int allotLeft(int t, int n) {
        return allot[t][n] - homeUsed[t][n];
    }

    /** Starts {@code j} inside its tenant's allotment, best fit; false if the allotment has no free room for it. */
    private boolean startHome(ActiveJob j) {
        int t = j.tenant;
        int gpn = cluster.gpusPerNode;
        if (j.gpus <= gpn) {
            int best = -1;
            for (int n : homeNodes[t]) {
                int left = Math.min(allotLeft(t, n), cluster.free[n]);
                if (left >= j.gpus && (best < 0 || left < Math.min(allotLeft(t, best), cluster.free[best]))) best = n;
            }
            if (best < 0) return false;
            launch(j, new int[] {best}, new int[] {j.gpus});
            return true;
        }
        int whole = j.gpus / gpn;
        int rest = j.gpus % gpn;
        int[] nodes = new int[whole + (rest > 0 ? 1 : 0)];
        int[] counts = new int[nodes.length];
        int i = 0;
        for (int n : homeNodes[t]) {
            if (i == whole) break;
            if (allot[t][n] == gpn && homeUsed[t][n] == 0 && cluster.free[n] == gpn) {
                nodes[i] = n;
                counts[i++] = gpn;
            }
        }
        if (i < whole) return false;
        if (rest > 0) {
            int best = -1;
            for (int n : homeNodes[t]) {
                if (contains(nodes, whole, n)) continue;
                int left = Math.min(allotLeft(t, n), cluster.free[n]);
                if (left >= rest && (best < 0 || left < Math.min(allotLeft(t, best), cluster.free[best]))) best = n;
            }
            if (best < 0) return false;
            nodes[whole] = best;
            counts[whole] = rest;
        }
        launch(j, nodes, counts);
        return true;
    }

    /** Starts {@code j} on idle GPUs anywhere, best fit; false if it does not fit. */
    private boolean startGuest(ActiveJob j) {
        if (!cluster.fits(j.gpus)) return false;
        unlistPending(j);
        if (!sim.tryStart(j, NodeChoice.BEST_FIT, now)) throw new IllegalStateException(j + " fit but was not placed");
        listRunning(j);
        return true;
    }

    private void launch(ActiveJob j, int[] nodes, int[] counts) {
        unlistPending(j);
        sim.startOn(j, nodes, counts, now);
        listRunning(j);
    }

    private void listRunning(ActiveJob j) {
        all.addRunning(j);
        byTenant[j.tenant].addRunning(j);
        // a job is home when every part of it lies inside its tenant's allotment
        int t = j.tenant;
        for (int i = 0; i < j.nodes.length; i++) if (allotLeft(t, j.nodes[i]) < j.perNode[i]) return;
        j.home = true;
        j.homeNodes = j.nodes.clone();
        j.homeCounts = j.perNode.clone();
        for (int i = 0; i < j.nodes.length; i++) homeUsed[t][j.nodes[i]] += j.perNode[i];
    }

    private void leaveHome(ActiveJob j) {
        if (!j.home) return;
        for (int i = 0; i < j.homeNodes.length; i++) homeUsed[j.tenant][j.homeNodes[i]] -= j.homeCounts[i];
        j.home = false;
        j.homeNodes = null;
        j.homeCounts = null;
    }

    private void unlistPending(ActiveJob j) {
        all.removePending(j);
        byTenant[j.tenant].removePending(j);
    }

    private void stop(ActiveJob r) {
        all.removeRunning(r);
        byTenant[r.tenant].removeRunning(r);
        sim.preempt(r, now);
        all.addPending(r);
        byTenant[r.tenant].addPending(r);
    }

    /**
     * Whether running job {@code r} may be preempted to give entitled job {@code j} room at its home: a guest
     * (on borrowed GPUs), or work of {@code j}'s own tenant that comes after {@code j} in the tenant's own
     * priority order (entitled or not: a tenant reorders its own work freely). Home work of other tenants is
     * never touched, and jobs started in this very pass stay.
     */
    private boolean reclaimable(ActiveJob r, ActiveJob j) {
        if (r.runStart == now) return false;
        return !r.home || (r.tenant == j.tenant && BY_LEVEL_RUNNING_FIRST.compare(j, r) < 0);
    }

    /**
     * Makes room for entitled job {@code j} inside its tenant's allotment by preempting what {@link #reclaimable}
     * allows, on the nodes where that takes back the fewest GPUs, and starts it there. Entitled guests it moves
     * out are queued on {@code again} to go home in the same pass. False, with nothing changed, if no set of
     * victims makes room (the job then waits, as it would on its own partition).
     */
    private boolean reclaimHome(ActiveJob j, Deque<ActiveJob> again) {
        int t = j.tenant;
        int gpn = cluster.gpusPerNode;
        int whole = j.gpus > gpn ? j.gpus / gpn : 0;
        int rest = j.gpus > gpn ? j.gpus % gpn : j.gpus;
        int[] nodes = new int[whole + (rest > 0 ? 1 : 0)];
        int[] counts = new int[nodes.length];
        List<ActiveJob> victims = new ArrayList<>();
        if (whole > 0) {
            // whole allotted nodes whose every resident may go, cheapest first
            List<long[]> clearable = new ArrayList<>();
            for (int n : homeNodes[t]) {
                if (allot[t][n] != gpn) continue;
                long cost = 0;
                boolean ok = true;
                for (ActiveJob r : cluster.residents.get(n)) {
                    if (!reclaimable(r, j)) {
                        ok = false;
                        break;
                    }
                    cost += r.gpus * (r.entitledPass == pass ? 1000L : 1L);
                }
                if (ok) clearable.add(new long[] {cost, n});
            }
            if (clearable.size() < whole) return false;
            clearable.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
            for (int i = 0; i < whole; i++) {
                nodes[i] = (int) clearable.get(i)[1];
                counts[i] = gpn;
                for (ActiveJob r : cluster.residents.get(nodes[i])) if (!victims.contains(r)) victims.add(r);
            }
        }
        if (rest > 0) {
            int bestNode = -1;
            List<ActiveJob> bestVictims = null;
            long bestCost = Long.MAX_VALUE;
            for (int n : homeNodes[t]) {
                if (contains(nodes, whole, n)) continue;
                List<ActiveJob> chosen = roomOnHomeNode(j, n, rest, victims);
                if (chosen == null) continue;
                long cost = 0;
                for (ActiveJob r : chosen) cost += r.gpus * (r.entitledPass == pass ? 1000L : 1L);
                if (cost < bestCost) {
                    bestCost = cost;
                    bestNode = n;
                    bestVictims = chosen;
                }
            }
            if (bestNode < 0) return false;
            nodes[whole] = bestNode;
            counts[whole] = rest;
            victims.addAll(bestVictims);
        }
        for (ActiveJob r : victims) {
            stop(r);
            if (r.entitledPass == pass) again.add(r);
        }
        launch(j, nodes, counts);
        if (!j.home) throw new IllegalStateException(j + " reclaimed its home but is not home");
        return true;
    }

    /**
     * The victims to preempt on home node {@code n} so that {@code g} GPUs of {@code j}'s tenant's allotment there
     * are free, beyond those already chosen; null if it cannot be done.
     */
    private List<ActiveJob> roomOnHomeNode(ActiveJob j, int n, int g, List<ActiveJob> already) {
        int t = j.tenant;
        int allotFree = allotLeft(t, n);
        int free = cluster.free[n];
        for (ActiveJob r : already) {
            int share = shareOn(r, n);
            free += share;
            if (r.home && r.tenant == t) allotFree += share;
        }
        if (allot[t][n] < g) return null;
        List<ActiveJob> own = new ArrayList<>();
        List<ActiveJob> guests = new ArrayList<>();
        for (ActiveJob r : cluster.residents.get(n)) {
            if (already.contains(r) || !reclaimable(r, j)) continue;
            if (r.home) own.add(r);
            else guests.add(r);
        }
        List<ActiveJob> chosen = new ArrayList<>();
        if (allotFree < g) {
            own.sort(victimOrder);
            for (ActiveJob r : own) {
                if (allotFree >= g) break;
                chosen.add(r);
                int share = shareOn(r, n);
                allotFree += share;
                free += share;
            }
            if (allotFree < g) return null;
        }
        if (free < g) {
            // guests first, then any of the tenant's own non-entitled home work not taken yet
            guests.sort(victimOrder);
            own.removeAll(chosen);
            own.sort(victimOrder);
            guests.addAll(own);
            for (ActiveJob r : guests) {
                if (free >= g) break;
                chosen.add(r);
                free += shareOn(r, n);
            }
            if (free < g) return null;
        }
        return chosen;
    }

    /**
     * Starts lent job {@code j} after preempting running work that {@code victim} allows (work that was not
     * chosen in this pass), on the node(s) where that takes back the fewest GPUs.
     */
    private void evictForLent(ActiveJob j, Predicate<ActiveJob> victim) {
        if (j.gpus >= smallestFailure) return;
        if (evictable < 0) {
            evictable = 0;
            for (ActiveJob r : all.running) if (victim.test(r)) evictable += r.gpus;
        }
        if (j.gpus > cluster.freeGpus + evictable || !evictAnywhere(j, victim)) smallestFailure = j.gpus;
    }

    private boolean evictAnywhere(ActiveJob j, Predicate<ActiveJob> victim) {
        Eviction.Plan plan = Eviction.plan(cluster, j.gpus, victim, victimOrder);
        if (plan == null) return false;
        for (ActiveJob r : plan.victims()) {
            evictable -= r.gpus;
            stop(r);
        }
        launch(j, plan.nodes(), plan.counts());
        return true;
    }

    private static int shareOn(ActiveJob r, int node) {
        return Eviction.shareOn(r, node);
    }

    private static boolean contains(int[] a, int upTo, int v) {
        return Eviction.contains(a, upTo, v);
    }
}
