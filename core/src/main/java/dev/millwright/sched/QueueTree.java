package dev.millwright.sched;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/*
 * Governance accounting: each queue's use per resource, its place in the queue hierarchy, and the fleet-wide
 * sums that borrowing reads.
 *
 * Units: every amount is kept in the resource's smallest unit, so shares of a GPU count exactly: a GPU model
 * in thousandths of a GPU, CPU in millicores, memory in MiB. Shares (Scheduler.Share) are written in whole
 * GPUs, millicores and MiB; unit() converts.
 *
 * Invariants, kept on every change (O(depth) per change, nothing rescans the queues):
 *  - own: what the queue's own workloads hold;
 *  - subtree: own plus every descendant's own, so a parent's limit reads one number;
 *  - per GPU model, the sums over queues of what each lends (its idle guarantee, within its lending limit),
 *    of what each borrows (its use beyond its guarantee) and of the guarantees, so that what is lendable to
 *    one queue is O(1) rather than a walk over all queues.
 * Borrowing, lending and reclaim are decided on GPUs; CPU and memory count in fairness and limits only.
 */
final class QueueTree {
    static final class Queue {
        final String name;
        Queue parent;
        double weight = 1;
        Map<String, Scheduler.Share> shares = Map.of();
        final Map<String, Account> accounts = new HashMap<>();
        int children;

        Queue(String name) {
            this.name = name;
        }

        Account account(String resource) {
            return accounts.computeIfAbsent(resource, k -> new Account());
        }
    }

    /** One queue's amounts of one resource, in its unit. */
    static final class Account {
        long own;
        long subtree;
        /** GPU models only: the part of its guarantee it does not use and lends. */
        long lend;
        /** GPU models only: its use beyond its guarantee. */
        long borrowed;
        long guaranteed;
    }

    /** Per GPU model, over all queues. */
    private static final class Totals {
        long capacity;
        long lend;
        long borrowed;
        long guaranteed;
    }

    /** A queue over one of its limits: what it and its descendants hold and its limit, in the resource's unit. */
    record Over(Queue queue, String resource, long inUse, long limit) {
    }

    private static final Scheduler.Share NONE = new Scheduler.Share(0, Integer.MAX_VALUE, 0);

    private final Map<String, Queue> queues = new HashMap<>();
    private final Map<String, Totals> totals = new HashMap<>();

    static boolean isGpu(String resource) {
        return !Scheduler.CPU.equals(resource) && !Scheduler.MEMORY.equals(resource);
    }

    /** Units of a resource in one unit of its share: a thousand thousandths in a GPU, 1 otherwise. */
    static long unit(String resource) {
        return isGpu(resource) ? Fleet.WHOLE : 1;
    }

    Queue queue(String name) {
        return queues.computeIfAbsent(name, Queue::new);
    }

    void addCapacity(String model, int gpus) {
        totals.computeIfAbsent(model, k -> new Totals()).capacity += (long) gpus * Fleet.WHOLE;
    }

    void configure(String name, String parent, Map<String, Scheduler.Share> shares, double weight) {
        Queue q = queue(name);
        Queue p = parent == null ? null : queue(parent);
        for (Queue a = p; a != null; a = a.parent) {
            if (a == q) throw new IllegalArgumentException("queue " + name + " cannot be placed under " + parent + ", which is under it");
        }
        if (p != q.parent) {
            // its subtree's use moves from the old ancestors to the new
            for (var e : q.accounts.entrySet()) {
                long sub = e.getValue().subtree;
                for (Queue a = q.parent; a != null; a = a.parent) a.account(e.getKey()).subtree -= sub;
                for (Queue a = p; a != null; a = a.parent) a.account(e.getKey()).subtree += sub;
            }
            if (q.parent != null) q.parent.children--;
            if (p != null) p.children++;
            q.parent = p;
        }
        Set<String> models = new HashSet<>(q.shares.keySet());
        models.addAll(shares.keySet());
        models.removeIf(m -> !isGpu(m));
        for (String m : models) unterm(q, m);
        q.shares = Map.copyOf(shares);
        q.weight = weight;
        for (String m : models) term(q, m);
    }

    /** {@code amount} more (or less) of {@code resource} held by {@code queue}'s own work. */
    void add(String queue, String resource, long amount) {
        if (amount == 0) return;
        Queue q = queue(queue);
        boolean gpu = isGpu(resource);
        if (gpu) unterm(q, resource);
        q.account(resource).own += amount;
        for (Queue a = q; a != null; a = a.parent) a.account(resource).subtree += amount;
        if (gpu) term(q, resource);
    }

    long own(String queue, String resource) {
        Queue q = queues.get(queue);
        if (q == null) return 0;
        Account a = q.accounts.get(resource);
        return a == null ? 0 : a.own;
    }

    Scheduler.Share share(String queue, String resource) {
        Queue q = queues.get(queue);
        return q == null ? NONE : q.shares.getOrDefault(resource, NONE);
    }

    long guaranteed(String queue, String resource) {
        return share(queue, resource).guaranteed() * unit(resource);
    }

    /** The nearest of {@code queue} and its ancestors whose limit {@code ask} more would pass; null when none. */
    Over overLimit(String queue, String resource, long ask) {
        if (ask == 0) return null;
        for (Queue q = queue(queue); q != null; q = q.parent) {
            Scheduler.Share s = q.shares.get(resource);
            if (s == null || s.limit() == Integer.MAX_VALUE) continue;
            long limit = s.limit() * unit(resource);
            Account a = q.accounts.get(resource);
            long inUse = a == null ? 0 : a.subtree;
            if (inUse + ask > limit) return new Over(q, resource, inUse, limit);
        }
        return null;
    }

    /** Idle guarantees other queues lend, plus capacity nobody is guaranteed, minus what is already borrowed. */
    long lendable(String queue, String model) {
        Totals t = totals.get(model);
        if (t == null) return 0;
        Queue q = queues.get(queue);
        Account a = q == null ? null : q.accounts.get(model);
        long own = a == null ? 0 : a.lend;
        return Math.max(0, t.lend - own + Math.max(0, t.capacity - t.guaranteed) - t.borrowed);
    }

    /**
     * Dominant resource fairness: the largest of its use of {@code model}, CPU and memory, each against its
     * guarantee (at least one unit of the share) and its weight.
     */
    double dominantShare(String queue, String model) {
        Queue q = queues.get(queue);
        if (q == null) return 0;
        double gpu = served(q, model);
        double cpu = served(q, Scheduler.CPU);
        double memory = served(q, Scheduler.MEMORY);
        return Math.max(gpu, Math.max(cpu, memory));
    }

    private static double served(Queue q, String resource) {
        Account a = q.accounts.get(resource);
        if (a == null || a.own == 0) return 0;
        Scheduler.Share s = q.shares.getOrDefault(resource, NONE);
        return (double) a.own / unit(resource) / (Math.max(1, s.guaranteed()) * q.weight);
    }

    private void unterm(Queue q, String model) {
        Totals t = totals.computeIfAbsent(model, k -> new Totals());
        Account a = q.account(model);
        t.lend -= a.lend;
        t.borrowed -= a.borrowed;
        t.guaranteed -= a.guaranteed;
    }

    private void term(Queue q, String model) {
        Totals t = totals.computeIfAbsent(model, k -> new Totals());
        Account a = q.account(model);
        Scheduler.Share s = q.shares.getOrDefault(model, NONE);
        a.guaranteed = s.guaranteed() * (long) Fleet.WHOLE;
        a.lend = Math.max(0, Math.min(s.lendingLimit() * (long) Fleet.WHOLE, a.guaranteed - a.own));
        a.borrowed = Math.max(0, a.own - a.guaranteed);
        t.lend += a.lend;
        t.borrowed += a.borrowed;
        t.guaranteed += a.guaranteed;
    }

    /** Recounts subtrees and sums from the queues' own use; throws on the first difference (for tests). */
    void verify() {
        Map<String, Map<String, Long>> subtree = new HashMap<>();
        Map<String, long[]> sums = new HashMap<>();
        for (Queue q : queues.values()) {
            for (var e : q.accounts.entrySet()) {
                for (Queue a = q; a != null; a = a.parent) subtree.computeIfAbsent(a.name, k -> new HashMap<>()).merge(e.getKey(), e.getValue().own, Long::sum);
                if (isGpu(e.getKey())) {
                    long[] s = sums.computeIfAbsent(e.getKey(), k -> new long[3]);
                    s[0] += e.getValue().lend;
                    s[1] += e.getValue().borrowed;
                    s[2] += e.getValue().guaranteed;
                }
            }
        }
        for (Queue q : queues.values()) {
            for (var e : q.accounts.entrySet()) {
                long want = subtree.getOrDefault(q.name, Map.of()).getOrDefault(e.getKey(), 0L);
                if (want != e.getValue().subtree) throw new IllegalStateException("queue " + q.name + " " + e.getKey() + " subtree " + e.getValue().subtree + ", recounted " + want);
            }
        }
        for (var e : totals.entrySet()) {
            long[] s = sums.getOrDefault(e.getKey(), new long[3]);
            Totals t = e.getValue();
            if (s[0] != t.lend || s[1] != t.borrowed || s[2] != t.guaranteed) throw new IllegalStateException(e.getKey() + " lending sums drifted");
        }
    }
}
