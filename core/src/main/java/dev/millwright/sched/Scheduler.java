package dev.millwright.sched;

import dev.millwright.fleet.GpuModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The GPU scheduler's engine: nodes, queues and workloads in, decisions out (bind, preempt, or why a
 * workload waits). Pure and single-threaded; it keeps incremental state (free GPUs per node indexed by pool
 * and free count, shared GPUs by their room, each queue's use and its subtree's) so that one arrival or
 * completion does not rescan the world.
 *
 * <p>Governance, per GPU model: a queue always gets its {@code guaranteed} GPUs; beyond that it may borrow
 * idle capacity up to its {@code limit}, where other queues lend what they do not use (within their lending
 * limits). A queue's limit also bounds everything below it in the queue hierarchy, so a tenant's limit caps
 * its projects together. Work inside its queue's guarantee that does not fit reclaims lent capacity by
 * preempting borrowed work: lowest priority first, then least progress. Work inside its guarantee is never
 * preempted by another queue, and production inference never by a lower class. Use is counted in
 * thousandths of a GPU, so a half-GPU workload uses half a GPU of quota, not a whole one.
 *
 * <p>Order: pending work is considered by priority, then by its queue's dominant share (the largest of its
 * GPU, {@link #CPU} and {@link #MEMORY} use, each against its guarantee and weight: the least served first, so
 * a queue that hogs CPU cannot hide behind a small GPU count), then in arrival order. A workload that does not
 * fit does not block smaller ones behind it (backfill), except that work waiting longer than the starvation
 * threshold reserves its pool in a timed {@link #cycle(long)}: later work of the same or lower priority is held
 * back there until it starts, so that a large gang is not starved by a stream of small ones.
 *
 * <p>Placement is a gang: all replicas or none. Jobs pack (best fit keeps whole nodes free for large jobs),
 * multi-node gangs stay on the fewest InfiniBand fabric groups, services spread over distinct nodes for
 * availability, a replica's GPUs stay in one NVLink domain where they can, and shares of a GPU gather on the
 * GPUs that already host shares so that whole GPUs stay whole. See {@code Placer} for the rules.
 */
public final class Scheduler {
    /** The name of CPU in a queue's shares: guaranteed and limit in millicores. */
    public static final String CPU = "cpu";
    /** The name of memory in a queue's shares: guaranteed and limit in MiB. */
    public static final String MEMORY = "memory";
    /** How long pending work may wait before it reserves its pool, unless the constructor says otherwise. */
    public static final Duration DEFAULT_STARVATION_AFTER = Duration.ofMinutes(10);

    /**
     * A queue's share of one GPU model (in GPUs), of {@link #CPU} (millicores) or of {@link #MEMORY} (MiB).
     * {@code limit} and {@code lendingLimit} are absent as {@link Integer#MAX_VALUE}.
     */
    public record Share(int guaranteed, int limit, int lendingLimit) {
        public static Share of(int guaranteed) {
            return new Share(guaranteed, Integer.MAX_VALUE, guaranteed);
        }
    }

    /**
     * A workload to place.
     *
     * @param sequence its arrival: the submission time in epoch milliseconds (starvation protection compares it
     *                 with the {@code now} of a cycle), or any increasing number where time does not matter
     * @param partition the nodes it may use: only nodes added with the same partition (an environment's pools)
     * @param gpuShare each replica's share of one GPU in thousandths; below 1000 only with one GPU per replica
     * @param spread whether its replicas go on different nodes where they can (services, for availability)
     *               rather than packed together (jobs)
     * @param cpuMillis each replica's CPU in millicores; 0 when it does not say
     * @param memoryMiB each replica's memory in MiB; 0 when it does not say
     * @param excludedNodes nodes of its partition it may not use (those its placement policies refuse); a
     *                      request with any is never given room by preemption, since the room freed may be on them
     */
    public record Request(String id, String queue, PriorityClass priority, int replicas, int gpusPerReplica, String gpuModel,
                          long sequence, String partition, int gpuShare, boolean spread, int cpuMillis, int memoryMiB,
                          Set<String> excludedNodes) {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(gpuModel, "gpuModel");
            Objects.requireNonNull(partition, "partition");
            if (replicas < 1 || gpusPerReplica < 1) throw new IllegalArgumentException(id + ": replicas and GPUs per replica must be at least 1");
            if (gpuShare < 1 || gpuShare > 1000) throw new IllegalArgumentException(id + ": gpuShare must be 1..1000 thousandths of a GPU");
            if (gpuShare < 1000 && gpusPerReplica != 1) throw new IllegalArgumentException(id + ": a share of a GPU is for one GPU per replica");
            if (cpuMillis < 0 || memoryMiB < 0) throw new IllegalArgumentException(id + ": cpuMillis and memoryMiB must not be negative");
            excludedNodes = Set.copyOf(excludedNodes);
        }

        public Request(String id, String queue, PriorityClass priority, int replicas, int gpusPerReplica, String gpuModel,
                       long sequence, String partition, int gpuShare, boolean spread, int cpuMillis, int memoryMiB) {
            this(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, gpuShare, spread, cpuMillis, memoryMiB, Set.of());
        }

        public Request(String id, String queue, PriorityClass priority, int replicas, int gpusPerReplica, String gpuModel,
                       long sequence, String partition, int gpuShare, boolean spread) {
            this(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, gpuShare, spread, 0, 0);
        }

        public Request(String id, String queue, PriorityClass priority, int replicas, int gpusPerReplica, String gpuModel, long sequence) {
            this(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, "", 1000, false);
        }

        public Request inPartition(String p) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, p, gpuShare, spread, cpuMillis, memoryMiB, excludedNodes);
        }

        public Request withGpuShare(int milli) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, milli, spread, cpuMillis, memoryMiB, excludedNodes);
        }

        public Request withSpread(boolean s) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, gpuShare, s, cpuMillis, memoryMiB, excludedNodes);
        }

        /** Each replica's CPU in millicores. */
        public Request withCpuMillis(int millis) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, gpuShare, spread, millis, memoryMiB, excludedNodes);
        }

        /** Nodes of its partition it may not use. */
        public Request excluding(Set<String> nodes) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, gpuShare, spread, cpuMillis, memoryMiB, nodes);
        }

        /** Each replica's memory in MiB. */
        public Request withMemoryMiB(int mib) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, gpuShare, spread, cpuMillis, mib, excludedNodes);
        }

        /** All its replicas' GPUs in thousandths. */
        long gpuMilli() {
            return (long) replicas * gpusPerReplica * gpuShare;
        }
    }

    /**
     * A node as the scheduler sees it.
     *
     * @param partition which requests may use it (see {@link Request#partition()})
     * @param fabricGroup the InfiniBand leaf switches it hangs off, as one name: nodes of one group talk through
     *                    one leaf hop; a multi-node gang goes on the fewest groups. Null (its own name) for none
     * @param nvlinkDomains per GPU index, its NVLink domain (null for none); one replica's GPUs go in one domain when they fit
     * @param failed GPU indexes that are unusable
     * @param cpuMillis its allocatable CPU in millicores; 0 when not tracked (no CPU limit on placement)
     * @param memoryMiB its allocatable memory in MiB; 0 when not tracked
     */
    public record NodeSpec(String name, String gpuModel, int gpus, String partition, String fabricGroup, List<String> nvlinkDomains,
                           java.util.Set<Integer> failed, int cpuMillis, int memoryMiB) {
        public NodeSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(gpuModel, "gpuModel");
            Objects.requireNonNull(partition, "partition");
            if (gpus < 0) throw new IllegalArgumentException(name + ": gpus must not be negative");
            if (cpuMillis < 0 || memoryMiB < 0) throw new IllegalArgumentException(name + ": cpuMillis and memoryMiB must not be negative");
            fabricGroup = fabricGroup == null ? name : fabricGroup;
            nvlinkDomains = nvlinkDomains == null ? java.util.Collections.nCopies(gpus, null) : java.util.Collections.unmodifiableList(new ArrayList<>(nvlinkDomains));
            failed = failed == null ? java.util.Set.of() : java.util.Set.copyOf(failed);
            if (nvlinkDomains.size() != gpus) throw new IllegalArgumentException(name + ": " + gpus + " GPUs but " + nvlinkDomains.size() + " NVLink domains");
        }

        public NodeSpec(String name, String gpuModel, int gpus, String partition, String fabricGroup, List<String> nvlinkDomains,
                        java.util.Set<Integer> failed) {
            this(name, gpuModel, gpus, partition, fabricGroup, nvlinkDomains, failed, 0, 0);
        }

        public static NodeSpec of(String name, String gpuModel, int gpus) {
            return new NodeSpec(name, gpuModel, gpus, "", name, null, null);
        }

        /** The same node with its allocatable CPU (millicores) and memory (MiB); 0 leaves one untracked. */
        public NodeSpec withResources(int cpu, int memory) {
            return new NodeSpec(name, gpuModel, gpus, partition, fabricGroup, nvlinkDomains, failed, cpu, memory);
        }
    }

    /** What a cycle decided for one workload. */
    public sealed interface Decision permits Bind, Preempt, Wait {
        String id();
    }

    /** {@code id} runs on {@code placements}: per replica, the node and its GPU indexes (a share's GPU holds the request's share). */
    public record Bind(String id, List<Placement> placements) implements Decision {
    }

    /** Stop {@code id} (it goes back to pending) so that {@code forId} can run. */
    public record Preempt(String id, String forId, String reason) implements Decision {
    }

    public record Wait(String id, String reason) implements Decision {
    }

    /** The index key of nodes a request may use. */
    static String poolOf(String partition, String model) {
        return partition + "\u0000" + model;
    }

    /** A bound workload and where it runs: for restored work, the GPUs it could take (see {@link #restore}). */
    static final class Running {
        final Request request;
        final List<Placement> placements;
        boolean borrowed;
        double progress;

        Running(Request request, List<Placement> placements) {
            this.request = request;
            this.placements = List.copyOf(placements);
        }
    }

    /** How a decision ended, for starvation protection: only work that waits for room reserves it. */
    private enum Outcome { BOUND, REFUSED, HELD, NO_ROOM }

    /** Work that has starved and holds its pool: {@code waited} milliseconds at the cycle that reserved it. */
    private record Reservation(Request request, long waited) {
    }

    private static final Comparator<Running> COVERED_FIRST = Comparator.comparingInt((Running run) -> -run.request.priority().value())
            .thenComparingLong(run -> run.request.sequence()).thenComparing(run -> run.request.id());
    private static final Comparator<Running> RECLAIMED_FIRST = Comparator.comparingInt((Running run) -> run.request.priority().value())
            .thenComparingDouble(run -> run.progress).thenComparing(run -> run.request.id());

    private final long starvationAfter;
    private final Fleet fleet = new Fleet();
    private final Placer placer = new Placer(fleet);
    private final QueueTree queues = new QueueTree();
    private final Map<String, Running> running = new HashMap<>();
    /** Each queue's running work per model, in the order its guarantee covers it: highest priority, then oldest. */
    private final Map<String, Map<String, TreeSet<Running>>> byQueue = new HashMap<>();
    /** Per model, the running work on borrowed capacity, in the order it is reclaimed: lowest priority, least progress. */
    private final Map<String, TreeSet<Running>> borrowedByModel = new HashMap<>();
    private final TreeSet<Request> pending = new TreeSet<>(Comparator.comparingInt((Request r) -> -r.priority().value())
            .thenComparingLong(Request::sequence).thenComparing(Request::id));
    private final Map<String, Request> pendingById = new HashMap<>();
    /** Per pool, the starved work the last timed cycle reserved it for; read again by {@link #decide(String)}. */
    private final Map<String, List<Reservation>> reservations = new HashMap<>();

    /** A scheduler whose pending work reserves its pool after {@link #DEFAULT_STARVATION_AFTER}. */
    public Scheduler() {
        this(DEFAULT_STARVATION_AFTER);
    }

    /** A scheduler whose pending work reserves its pool once it has waited longer than {@code starvationAfter}. */
    public Scheduler(Duration starvationAfter) {
        Objects.requireNonNull(starvationAfter, "starvationAfter");
        if (starvationAfter.isNegative()) throw new IllegalArgumentException("starvationAfter must not be negative: " + starvationAfter);
        this.starvationAfter = starvationAfter.toMillis();
    }

    // ---- the world, told incrementally

    public void addNode(String name, String gpuModel, int gpus) {
        addNode(NodeSpec.of(name, gpuModel, gpus));
    }

    public void addNode(NodeSpec spec) {
        Fleet.Node n = fleet.add(spec);
        queues.addCapacity(spec.gpuModel(), n.usable);
    }

    public void setQueue(String queue, Map<String, Share> perModel, double weight) {
        setQueue(queue, null, perModel, weight);
    }

    /**
     * A queue; {@code parent} (or null) is the queue whose limit also bounds this one's use, with all its other
     * descendants'. Keys of {@code perModel} are GPU models, {@link #CPU} and {@link #MEMORY}. Setting it again
     * replaces its shares, weight and parent; its running work stays and is counted under the new parent.
     */
    public void setQueue(String queue, String parent, Map<String, Share> perModel, double weight) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(perModel, "perModel");
        if (!(weight > 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("queue " + queue + ": weight must be positive, was " + weight);
        queues.configure(queue, parent, perModel, weight);
        for (String model : byQueue.getOrDefault(queue, Map.of()).keySet()) reclassify(queue, model);
    }

    public void submit(Request r) {
        if (running.containsKey(r.id()) || pendingById.containsKey(r.id())) throw new IllegalArgumentException(r.id() + " is already known");
        pending.add(r);
        pendingById.put(r.id(), r);
    }

    /**
     * A workload already running (found on start-up, or bound by an earlier cycle and confirmed): it takes its
     * GPUs (its share of each, for a share), CPU and memory again, and its queue counts all it asked for.
     * Observed state wins over consistency checks: a placement on an unknown node, and a GPU that has failed
     * or has no room left (stale status), are not taken, so nothing is counted twice; {@link #release} gives
     * back exactly what was taken.
     */
    public void restore(Request r, List<Placement> placements) {
        if (running.containsKey(r.id())) throw new IllegalArgumentException(r.id() + " is already running");
        List<Placement> held = new ArrayList<>(placements.size());
        for (Placement pl : placements) {
            Fleet.Node n = fleet.node(pl.machine());
            if (n == null) continue;
            List<Integer> gpus = Fleet.takeable(n, pl.gpus(), r.gpuShare());
            fleet.assign(n, gpus, r.gpuShare(), r.cpuMillis(), r.memoryMiB());
            held.add(gpus.equals(pl.gpus()) ? pl : new Placement(pl.replica(), pl.machine(), gpus));
        }
        Request p = pendingById.remove(r.id());
        if (p != null) pending.remove(p);
        register(new Running(r, held));
    }

    /** A workload ended (finished, failed, or deleted): its GPUs, CPU and memory are free again. */
    public void release(String id) {
        Request p = pendingById.remove(id);
        if (p != null) pending.remove(p);
        Running run = running.remove(id);
        if (run == null) return;
        Request r = run.request;
        byQueue.get(r.queue()).get(r.gpuModel()).remove(run);
        if (run.borrowed) borrowedByModel.get(r.gpuModel()).remove(run);
        run.borrowed = false;
        for (Placement pl : run.placements) {
            fleet.unassign(fleet.node(pl.machine()), pl.gpus(), r.gpuShare(), r.cpuMillis(), r.memoryMiB());
        }
        account(r, -1);
        reclassify(r.queue(), r.gpuModel());
    }

    public void progress(String id, double progress) {
        Running run = running.get(id);
        if (run == null) return;
        TreeSet<Running> borrowed = borrowedByModel.get(run.request.gpuModel());
        boolean was = borrowed != null && borrowed.remove(run);
        run.progress = progress;
        if (was) borrowed.add(run);
    }

    public int pendingCount() {
        return pending.size();
    }

    public int runningCount() {
        return running.size();
    }

    /**
     * GPUs of {@code model} that {@code queue}'s own work holds, rounded up to whole GPUs (two half-GPU workloads
     * are 1, one is 1 too; see {@link #usedMilli}). For {@link #CPU} and {@link #MEMORY}: millicores and MiB.
     */
    public int used(String queue, String model) {
        long milli = queues.own(queue, model);
        long unit = QueueTree.unit(model);
        return (int) Math.min(Integer.MAX_VALUE, (milli + unit - 1) / unit);
    }

    /** Thousandths of a GPU of {@code model} that {@code queue}'s own work holds; for CPU and memory, millicores and MiB. */
    public long usedMilli(String queue, String model) {
        return queues.own(queue, model);
    }

    // ---- deciding

    /** One pass over the pending workloads: binds what fits, preempts borrowed work for guaranteed work, explains the rest. Reserves nothing. */
    public List<Decision> cycle() {
        return pass(0, false);
    }

    /**
     * A cycle at time {@code now} (epoch milliseconds, compared with requests' {@code sequence}): as {@link #cycle()},
     * and work that has waited longer than the starvation threshold and does not fit reserves its pool: later
     * work of the same or lower priority is not backfilled there (in this cycle, and in {@link #decide(String)}
     * until the next cycle) and waits saying so.
     */
    public List<Decision> cycle(long now) {
        return pass(now, true);
    }

    /** Decides one arrival alone, the incremental path: a bind or a wait, and any preemptions it needs. */
    public List<Decision> decide(String id) {
        Request r = pendingById.get(id);
        if (r == null) throw new IllegalArgumentException(id + " is not pending");
        List<Decision> out = new ArrayList<>();
        decide(r, out);
        return out;
    }

    private List<Decision> pass(long now, boolean reserve) {
        reservations.clear();
        List<Decision> out = new ArrayList<>();
        for (Request r : orderedPending(now, reserve)) {
            if (pendingById.get(r.id()) != r) continue;
            Outcome outcome = decide(r, out);
            if (reserve && outcome == Outcome.NO_ROOM && starved(r, now) && couldEverFit(r)) {
                reservations.computeIfAbsent(pool(r), k -> new ArrayList<>()).add(new Reservation(r, now - r.sequence()));
            }
        }
        return out;
    }

    /**
     * By priority; within one, starved work first (when reserving, so that it reserves before later work
     * backfills), then the least served queue by dominant share, then arrival.
     */
    private List<Request> orderedPending(long now, boolean reserve) {
        record Keyed(Request request, boolean starved, double share) {
        }
        Map<String, Map<String, Double>> shares = new HashMap<>();
        List<Keyed> list = new ArrayList<>(pending.size());
        for (Request r : pending) {
            double share = shares.computeIfAbsent(r.queue(), k -> new HashMap<>())
                    .computeIfAbsent(r.gpuModel(), m -> queues.dominantShare(r.queue(), m));
            list.add(new Keyed(r, reserve && starved(r, now), share));
        }
        list.sort(Comparator.comparingInt((Keyed k) -> -k.request.priority().value())
                .thenComparing(k -> !k.starved)
                .thenComparingDouble(Keyed::share)
                .thenComparingLong(k -> k.request.sequence())
                .thenComparing(k -> k.request.id()));
        List<Request> out = new ArrayList<>(list.size());
        for (Keyed k : list) out.add(k.request);
        return out;
    }

    private boolean starved(Request r, long now) {
        return now - r.sequence() > starvationAfter;
    }

    /** Whether the pool could hold it were it empty: work that never fits reserves nothing. */
    private boolean couldEverFit(Request r) {
        Fleet.Pool p = fleet.pool(pool(r));
        return p != null && p.largestNode >= r.gpusPerReplica() && (long) p.usableGpus * Fleet.WHOLE >= r.gpuMilli();
    }

    private Outcome decide(Request r, List<Decision> out) {
        // 1. held back: starved work of the same or higher priority that came first reserves this pool
        Reservation hold = holding(r);
        if (hold != null) {
            out.add(new Wait(r.id(), Reasons.heldBack(hold.request, hold.waited)));
            return Outcome.HELD;
        }
        // 2. limits: its queue's and every ancestor's, on GPUs, CPU and memory
        String over = Reasons.overLimit(r, queues);
        if (over != null) {
            out.add(new Wait(r.id(), over));
            return Outcome.REFUSED;
        }
        // 3. beyond its guarantee it borrows, and only what other queues lend
        long ask = r.gpuMilli();
        long used = queues.own(r.queue(), r.gpuModel());
        long guaranteed = queues.guaranteed(r.queue(), r.gpuModel());
        boolean withinGuarantee = used + ask <= guaranteed;
        if (!withinGuarantee) {
            long lendable = queues.lendable(r.queue(), r.gpuModel());
            long borrowNeeded = used + ask - Math.max(guaranteed, used);
            if (borrowNeeded > lendable) {
                out.add(new Wait(r.id(), Reasons.borrowingBlocked(r, used, guaranteed, lendable, borrowNeeded)));
                return Outcome.REFUSED;
            }
        }
        // 4. place it where it fits
        List<Placement> placed = placer.place(r);
        if (placed != null) {
            bind(r, placed);
            out.add(new Bind(r.id(), placed));
            return Outcome.BOUND;
        }
        // 5. within its guarantee, reclaim: the fewest borrowers, in reclaim order, whose GPUs make room for the
        // whole gang; found on paper first, so that nobody is preempted for a gang that still would not fit
        if (withinGuarantee) {
            List<Running> chosen = Reclaim.victims(r, fleet.pool(pool(r)), fleet, borrowedByModel.get(r.gpuModel()));
            if (!chosen.isEmpty()) {
                for (Running v : chosen) {
                    preempt(v);
                    out.add(new Preempt(v.request.id(), r.id(), "queue " + v.request.queue() + " borrowed " + GpuModels.shortName(r.gpuModel())
                            + " GPUs that queue " + r.queue() + " needs within its guarantee"));
                }
                placed = placer.place(r);
                if (placed != null) {
                    bind(r, placed);
                    out.add(new Bind(r.id(), placed));
                    return Outcome.BOUND;
                }
            }
        }
        // 6. wait for room
        out.add(new Wait(r.id(), Reasons.noRoom(r, fleet.pool(pool(r)))));
        return Outcome.NO_ROOM;
    }

    private Reservation holding(Request r) {
        if (reservations.isEmpty()) return null;
        for (Reservation res : reservations.getOrDefault(pool(r), List.of())) {
            Request h = res.request;
            if (h == r || pendingById.get(h.id()) != h) continue;
            boolean later = r.sequence() > h.sequence() || r.sequence() == h.sequence() && r.id().compareTo(h.id()) > 0;
            if (later && r.priority().value() <= h.priority().value()) return res;
        }
        return null;
    }

    private void bind(Request r, List<Placement> placements) {
        pending.remove(r);
        pendingById.remove(r.id());
        register(new Running(r, placements));
    }

    /** Counts placed work in: its GPUs are already taken on the nodes. */
    private void register(Running run) {
        Request r = run.request;
        running.put(r.id(), run);
        byQueue.computeIfAbsent(r.queue(), k -> new HashMap<>()).computeIfAbsent(r.gpuModel(), k -> new TreeSet<>(COVERED_FIRST)).add(run);
        account(r, 1);
        reclassify(r.queue(), r.gpuModel());
    }

    private void account(Request r, int sign) {
        queues.add(r.queue(), r.gpuModel(), sign * r.gpuMilli());
        queues.add(r.queue(), CPU, sign * (long) r.replicas() * r.cpuMillis());
        queues.add(r.queue(), MEMORY, sign * (long) r.replicas() * r.memoryMiB());
    }

    private void preempt(Running run) {
        release(run.request.id());
        pending.add(run.request);
        pendingById.put(run.request.id(), run.request);
    }

    /** Which of a queue's running workloads count as borrowed: those its guarantee does not cover, in {@link #COVERED_FIRST} order. */
    private void reclassify(String queue, String model) {
        long guaranteed = queues.guaranteed(queue, model);
        TreeSet<Running> mine = byQueue.getOrDefault(queue, Map.of()).get(model);
        if (mine == null) return;
        TreeSet<Running> borrowed = borrowedByModel.computeIfAbsent(model, k -> new TreeSet<>(RECLAIMED_FIRST));
        long within = 0;
        for (Running run : mine) {
            within += run.request.gpuMilli();
            boolean now = within > guaranteed;
            if (now == run.borrowed) continue;
            if (now) borrowed.add(run);
            else borrowed.remove(run);
            run.borrowed = now;
        }
    }

    private static String pool(Request r) {
        return poolOf(r.partition(), r.gpuModel());
    }

    /** Recounts every incremental index and sum from scratch; throws on the first difference (for tests). */
    void verify() {
        Recount.verify(fleet, queues, running.values());
    }
}
