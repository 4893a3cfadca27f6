package dev.millwright.sched;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The GPU scheduler's engine: nodes, queues and workloads in, decisions out (bind, preempt, or why a
 * workload waits). Pure and single-threaded; it keeps incremental state (free GPUs per node indexed by model
 * and free count, each queue's use per model) so that one arrival or completion does not rescan the world.
 *
 * <p>Governance, per GPU model: a queue always gets its {@code guaranteed} GPUs; beyond that it may borrow
 * idle capacity up to its {@code limit}, where other queues lend what they do not use (within their lending
 * limits). Work inside its queue's guarantee that does not fit reclaims lent capacity by preempting borrowed
 * work: lowest priority first, then least progress. Work inside its guarantee is never preempted by another
 * queue, and production inference never by a lower class. Pending work is considered by priority, then by
 * its queue's share of what it is guaranteed (the least served first), then in arrival order; a workload that
 * does not fit does not block smaller ones behind it (backfill). Placement is a gang: all replicas or none,
 * each on the fullest node of its model that still fits it (best fit keeps whole nodes free for large jobs).
 */
public final class Scheduler {
    /** A queue's share of one GPU model. {@code limit} and {@code lendingLimit} are absent as {@link Integer#MAX_VALUE}. */
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
     */
    public record Request(String id, String queue, PriorityClass priority, int replicas, int gpusPerReplica, String gpuModel,
                          long sequence, String partition, int gpuShare, boolean spread) {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(gpuModel, "gpuModel");
            Objects.requireNonNull(partition, "partition");
            if (replicas < 1 || gpusPerReplica < 1) throw new IllegalArgumentException(id + ": replicas and GPUs per replica must be at least 1");
            if (gpuShare < 1 || gpuShare > 1000) throw new IllegalArgumentException(id + ": gpuShare must be 1..1000 thousandths of a GPU");
            if (gpuShare < 1000 && gpusPerReplica != 1) throw new IllegalArgumentException(id + ": a share of a GPU is for one GPU per replica");
        }

        public Request(String id, String queue, PriorityClass priority, int replicas, int gpusPerReplica, String gpuModel, long sequence) {
            this(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, "", 1000, false);
        }

        public Request inPartition(String p) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, p, gpuShare, spread);
        }

        public Request withGpuShare(int milli) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, milli, spread);
        }

        public Request withSpread(boolean s) {
            return new Request(id, queue, priority, replicas, gpusPerReplica, gpuModel, sequence, partition, gpuShare, s);
        }

        int gpus() {
            return replicas * gpusPerReplica;
        }
    }

    /**
     * A node as the scheduler sees it.
     *
     * @param partition which requests may use it (see {@link Request#partition()})
     * @param fabricGroup the InfiniBand leaf switches it hangs off, as one name: nodes of one group talk through
     *                    one leaf hop; a multi-node gang goes on the fewest groups
     * @param nvlinkDomains per GPU index, its NVLink domain (null for none); one replica's GPUs go in one domain when they fit
     * @param failed GPU indexes that are unusable
     */
    public record NodeSpec(String name, String gpuModel, int gpus, String partition, String fabricGroup, List<String> nvlinkDomains,
                           java.util.Set<Integer> failed) {
        public NodeSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(gpuModel, "gpuModel");
            Objects.requireNonNull(partition, "partition");
            fabricGroup = fabricGroup == null ? name : fabricGroup;
            nvlinkDomains = nvlinkDomains == null ? java.util.Collections.nCopies(gpus, null) : java.util.Collections.unmodifiableList(new ArrayList<>(nvlinkDomains));
            failed = failed == null ? java.util.Set.of() : java.util.Set.copyOf(failed);
            if (nvlinkDomains.size() != gpus) throw new IllegalArgumentException(name + ": " + gpus + " GPUs but " + nvlinkDomains.size() + " NVLink domains");
        }

        public static NodeSpec of(String name, String gpuModel, int gpus) {
            return new NodeSpec(name, gpuModel, gpus, "", name, null, null);
        }
    }

    /** What a cycle decided for one workload. */
    public sealed interface Decision permits Bind, Preempt, Wait {
        String id();
    }

    public record Bind(String id, List<GangPlacement.Placement> placements) implements Decision {
    }

    /** Stop {@code id} (it goes back to pending) so that {@code forId} can run. */
    public record Preempt(String id, String forId, String reason) implements Decision {
    }

    public record Wait(String id, String reason) implements Decision {
    }

    private static final class Node {
        final NodeSpec spec;
        final String name;
        final String model;
        /** Its index key: partition and model. */
        final String pool;
        final boolean[] used;
        int free;

        Node(NodeSpec spec) {
            this.spec = spec;
            this.name = spec.name();
            this.model = spec.gpuModel();
            this.pool = poolOf(spec.partition(), spec.gpuModel());
            this.used = new boolean[spec.gpus()];
            for (int g : spec.failed()) if (g >= 0 && g < used.length) used[g] = true;
            int f = 0;
            for (boolean u : used) if (!u) f++;
            this.free = f;
        }
    }

    /** The index key of nodes a request may use. */
    static String poolOf(String partition, String model) {
        return partition + "\u0000" + model;
    }

    private static final class Running {
        final Request request;
        final List<GangPlacement.Placement> placements;
        boolean borrowed;
        double progress;

        Running(Request request, List<GangPlacement.Placement> placements, boolean borrowed) {
            this.request = request;
            this.placements = placements;
            this.borrowed = borrowed;
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    /** Per pool (partition and model): free GPU count -> nodes with that many free, by name. */
    private final Map<String, NavigableMap<Integer, TreeSet<String>>> byFree = new HashMap<>();
    private final Map<String, Integer> capacity = new HashMap<>();
    private final Map<String, Map<String, Share>> shares = new HashMap<>();
    private final Map<String, Map<String, Integer>> use = new HashMap<>();
    private final Map<String, Double> weights = new HashMap<>();
    private final Map<String, String> parents = new HashMap<>();
    private final Map<String, Running> running = new HashMap<>();
    /** Each queue's running work per model, in the order its guarantee covers it: highest priority, then oldest. */
    private final Map<String, Map<String, TreeSet<Running>>> byQueue = new HashMap<>();
    /** Per model, the running work on borrowed capacity, in the order it is reclaimed: lowest priority, least progress. */
    private final Map<String, TreeSet<Running>> borrowedByModel = new HashMap<>();
    private static final Comparator<Running> COVERED_FIRST = Comparator.comparingInt((Running run) -> -run.request.priority().value())
            .thenComparingLong(run -> run.request.sequence()).thenComparing(run -> run.request.id());
    private static final Comparator<Running> RECLAIMED_FIRST = Comparator.comparingInt((Running run) -> run.request.priority().value())
            .thenComparingDouble(run -> run.progress).thenComparing(run -> run.request.id());
    private final TreeSet<Request> pending = new TreeSet<>(Comparator.comparingInt((Request r) -> -r.priority().value())
            .thenComparingLong(Request::sequence).thenComparing(Request::id));
    private final Map<String, Request> pendingById = new HashMap<>();

    // ---- the world, told incrementally

    public void addNode(String name, String gpuModel, int gpus) {
        addNode(NodeSpec.of(name, gpuModel, gpus));
    }

    public void addNode(NodeSpec spec) {
        if (nodes.containsKey(spec.name())) throw new IllegalArgumentException("node " + spec.name() + " is already known");
        Node n = new Node(spec);
        nodes.put(n.name, n);
        capacity.merge(n.model, n.free, Integer::sum);
        index(n);
    }

    public void setQueue(String queue, Map<String, Share> perModel, double weight) {
        setQueue(queue, null, perModel, weight);
    }

    /** A queue; {@code parent} (or null) is the queue whose limit also bounds this one's use. */
    public void setQueue(String queue, String parent, Map<String, Share> perModel, double weight) {
        if (parent != null) parents.put(queue, parent);
        else parents.remove(queue);
        shares.put(queue, Map.copyOf(perModel));
        weights.put(queue, weight);
        use.computeIfAbsent(queue, k -> new HashMap<>());
    }

    public void submit(Request r) {
        if (running.containsKey(r.id()) || pendingById.containsKey(r.id())) throw new IllegalArgumentException(r.id() + " is already known");
        pending.add(r);
        pendingById.put(r.id(), r);
    }

    /** A workload already running (found on start-up, or bound by an earlier cycle and confirmed). */
    public void restore(Request r, List<GangPlacement.Placement> placements) {
        Running run = new Running(r, placements, false);
        take(run);
    }

    /** A workload ended (finished, failed, or deleted): its GPUs are free again. */
    public void release(String id) {
        Request p = pendingById.remove(id);
        if (p != null) pending.remove(p);
        Running run = running.remove(id);
        if (run == null) return;
        byQueue.get(run.request.queue()).get(run.request.gpuModel()).remove(run);
        if (run.borrowed) borrowedByModel.get(run.request.gpuModel()).remove(run);
        run.borrowed = false;
        for (GangPlacement.Placement pl : run.placements) {
            Node n = nodes.get(pl.machine());
            unindex(n);
            for (int g : pl.gpus()) n.used[g] = false;
            n.free += pl.gpus().size();
            index(n);
        }
        use.get(run.request.queue()).merge(run.request.gpuModel(), -run.request.gpus(), Integer::sum);
        reclassify(run.request.queue(), run.request.gpuModel());
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

    /** GPUs of {@code model} that {@code queue} holds. */
    public int used(String queue, String model) {
        return use.getOrDefault(queue, Map.of()).getOrDefault(model, 0);
    }

    // ---- deciding

    /** One pass over the pending workloads: binds what fits, preempts borrowed work for guaranteed work, explains the rest. */
    public List<Decision> cycle() {
        return cycle(Long.MIN_VALUE);
    }

    /**
     * A cycle at time {@code now} (epoch milliseconds, compared with requests' {@code sequence}): as {@link #cycle()},
     * with starvation protection for work that has waited long.
     */
    public List<Decision> cycle(long now) {
        List<Decision> out = new ArrayList<>();
        for (Request r : orderedPending()) {
            if (pendingById.containsKey(r.id())) decide(r, out);
        }
        return out;
    }

    /** Decides one arrival alone, the incremental path: a bind or a wait, and any preemptions it needs. */
    public List<Decision> decide(String id) {
        Request r = pendingById.get(id);
        if (r == null) throw new IllegalArgumentException(id + " is not pending");
        List<Decision> out = new ArrayList<>();
        decide(r, out);
        return out;
    }

    private List<Request> orderedPending() {
        List<Request> list = new ArrayList<>(pending);
        // within a priority, the queue least served against its guarantee first; arrival order last
        list.sort(Comparator.comparingInt((Request r) -> -r.priority().value())
                .thenComparingDouble(r -> servedShare(r.queue(), r.gpuModel()))
                .thenComparingLong(Request::sequence));
        return list;
    }

    private double servedShare(String queue, String model) {
        Share s = share(queue, model);
        double base = Math.max(1, s.guaranteed()) * weights.getOrDefault(queue, 1.0);
        return used(queue, model) / base;
    }

    private void decide(Request r, List<Decision> out) {
        Share s = share(r.queue(), r.gpuModel());
        int used = used(r.queue(), r.gpuModel());
        String model = dev.millwright.fleet.GpuModels.shortName(r.gpuModel());
        if (used + r.gpus() > s.limit()) {
            out.add(new Wait(r.id(), "queue " + r.queue() + ": " + model + " limit " + used + "/" + s.limit() + " in use, "
                    + r.gpus() + " more asked"));
            return;
        }
        boolean withinGuarantee = used + r.gpus() <= s.guaranteed();
        if (!withinGuarantee) {
            int lendable = lendable(r.queue(), r.gpuModel());
            int borrowNeeded = used + r.gpus() - Math.max(s.guaranteed(), used);
            if (borrowNeeded > lendable) {
                out.add(new Wait(r.id(), "queue " + r.queue() + ": " + model + " quota " + Math.min(used, s.guaranteed()) + "/"
                        + s.guaranteed() + " in use; borrowing blocked: " + lendable + " GPUs lendable by other queues, "
                        + borrowNeeded + " needed"));
                return;
            }
        }
        List<GangPlacement.Placement> placed = place(r);
        if (placed != null) {
            bind(r, placed, !withinGuarantee);
            out.add(new Bind(r.id(), placed));
            return;
        }
        if (withinGuarantee) {
            // reclaim: the fewest borrowers, in reclaim order, whose GPUs make room for the whole gang; found on
            // paper first, so that nobody is preempted for a gang that still would not fit
            List<Running> chosen = reclaimable(r);
            if (!chosen.isEmpty()) {
                for (Running v : chosen) {
                    preempt(v);
                    out.add(new Preempt(v.request.id(), r.id(), "queue " + v.request.queue() + " borrowed " + model
                            + " GPUs that queue " + r.queue() + " needs within its guarantee"));
                }
                placed = place(r);
                if (placed != null) {
                    bind(r, placed, false);
                    out.add(new Bind(r.id(), placed));
                    return;
                }
            }
        }
        out.add(new Wait(r.id(), "waiting for " + r.replicas() + " x " + r.gpusPerReplica() + " " + model
                + " GPUs, all or none: " + freeGpus(pool(r)) + " free on " + capacityNodes(pool(r)) + " nodes, "
                + largestFree(pool(r)) + " at most on one"));
    }

    /** Idle guaranteed GPUs other queues lend, minus what is already borrowed. */
    private int lendable(String queue, String model) {
        int lend = 0;
        int borrowed = 0;
        for (var e : shares.entrySet()) {
            if (e.getKey().equals(queue)) continue;
            Share s = e.getValue().getOrDefault(model, Share.of(0));
            int u = used(e.getKey(), model);
            lend += Math.max(0, Math.min(s.lendingLimit(), s.guaranteed() - u));
        }
        for (var e : shares.entrySet()) {
            Share s = e.getValue().getOrDefault(model, Share.of(0));
            borrowed += Math.max(0, used(e.getKey(), model) - s.guaranteed());
        }
        // capacity no queue is guaranteed is everyone's to borrow
        int unclaimed = capacity.getOrDefault(model, 0);
        for (var e : shares.values()) unclaimed -= e.getOrDefault(model, Share.of(0)).guaranteed();
        return Math.max(0, lend + Math.max(0, unclaimed) - borrowed);
    }

    /** Best fit for each replica in turn: the node with the fewest free GPUs that still fit it; null when one does not fit. */
    private List<GangPlacement.Placement> place(Request r) {
        NavigableMap<Integer, TreeSet<String>> index = byFree.get(pool(r));
        if (index == null) return null;
        int need = r.gpusPerReplica();
        Map<String, Integer> tentative = new java.util.LinkedHashMap<>();
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < r.replicas(); i++) {
            String best = null;
            int bestFree = Integer.MAX_VALUE;
            for (var t : tentative.entrySet()) {
                if (t.getValue() >= need && t.getValue() < bestFree) {
                    best = t.getKey();
                    bestFree = t.getValue();
                }
            }
            search:
            for (var e : index.tailMap(need, true).entrySet()) {
                if (e.getKey() >= bestFree) break;
                for (String name : e.getValue()) {
                    if (!tentative.containsKey(name)) {
                        best = name;
                        bestFree = e.getKey();
                        break search;
                    }
                }
            }
            if (best == null) return null;
            tentative.put(best, bestFree - need);
            chosen.add(best);
        }
        List<GangPlacement.Placement> out = new ArrayList<>();
        Map<String, Integer> nextGpu = new HashMap<>();
        for (int i = 0; i < chosen.size(); i++) {
            Node n = nodes.get(chosen.get(i));
            List<Integer> gpus = new ArrayList<>();
            int g = nextGpu.getOrDefault(n.name, 0);
            while (gpus.size() < need) {
                if (!n.used[g]) gpus.add(g);
                g++;
            }
            nextGpu.put(n.name, g);
            out.add(new GangPlacement.Placement(i, n.name, gpus));
        }
        return out;
    }

    /**
     * The victims whose GPUs give the gang room, counted in replica slots (a node with f free GPUs holds
     * f / need replicas) without touching the state; empty when the eligible borrowers are not enough.
     */
    private List<Running> reclaimable(Request r) {
        int need = r.gpusPerReplica();
        int slots = 0;
        var index = byFree.get(pool(r));
        if (index != null) for (var e : index.tailMap(need, true).entrySet()) slots += e.getValue().size() * (e.getKey() / need);
        Map<String, Integer> freed = new HashMap<>();
        List<Running> chosen = new ArrayList<>();
        for (Running v : victims(r)) {
            chosen.add(v);
            for (GangPlacement.Placement pl : v.placements) {
                int free = nodes.get(pl.machine()).free;
                int before = freed.getOrDefault(pl.machine(), 0);
                int after = before + pl.gpus().size();
                freed.put(pl.machine(), after);
                slots += (free + after) / need - (free + before) / need;
            }
            if (slots >= r.replicas()) return chosen;
        }
        return List.of();
    }

    /**
     * Borrowed, preemptible work of other queues on this model, in reclaim order, up to twice the GPUs the request
     * still lacks: past that, fragmentation rather than capacity keeps it out, and preempting more would not help.
     */
    private List<Running> victims(Request r) {
        List<Running> out = new ArrayList<>();
        int lacking = r.gpus() - freeGpus(pool(r));
        int gathered = 0;
        for (Running run : borrowedByModel.getOrDefault(r.gpuModel(), new TreeSet<>(RECLAIMED_FIRST))) {
            Request v = run.request;
            if (v.queue().equals(r.queue()) || !v.partition().equals(r.partition())) continue;
            if (!v.priority().preemptible() && v.priority().value() >= r.priority().value()) continue;
            out.add(run);
            gathered += v.gpus();
            if (gathered >= 2 * Math.max(lacking, r.gpus())) break;
        }
        return gathered >= lacking ? out : List.of();
    }

    private void bind(Request r, List<GangPlacement.Placement> placements, boolean borrowed) {
        pending.remove(r);
        pendingById.remove(r.id());
        take(new Running(r, placements, borrowed));
    }

    private void take(Running run) {
        for (GangPlacement.Placement pl : run.placements) {
            Node n = nodes.get(pl.machine());
            unindex(n);
            for (int g : pl.gpus()) n.used[g] = true;
            n.free -= pl.gpus().size();
            index(n);
        }
        running.put(run.request.id(), run);
        run.borrowed = false;
        byQueue.computeIfAbsent(run.request.queue(), k -> new HashMap<>()).computeIfAbsent(run.request.gpuModel(), k -> new TreeSet<>(COVERED_FIRST)).add(run);
        use.computeIfAbsent(run.request.queue(), k -> new HashMap<>()).merge(run.request.gpuModel(), run.request.gpus(), Integer::sum);
        reclassify(run.request.queue(), run.request.gpuModel());
    }

    private void preempt(Running run) {
        release(run.request.id());
        pending.add(run.request);
        pendingById.put(run.request.id(), run.request);
    }

    /** Which of a queue's running workloads count as borrowed: those its guarantee does not cover, in {@link #COVERED_FIRST} order. */
    private void reclassify(String queue, String model) {
        Share s = share(queue, model);
        TreeSet<Running> mine = byQueue.getOrDefault(queue, Map.of()).get(model);
        if (mine == null) return;
        TreeSet<Running> borrowed = borrowedByModel.computeIfAbsent(model, k -> new TreeSet<>(RECLAIMED_FIRST));
        int within = 0;
        for (Running run : mine) {
            within += run.request.gpus();
            boolean now = within > s.guaranteed();
            if (now == run.borrowed) continue;
            if (now) borrowed.add(run);
            else borrowed.remove(run);
            run.borrowed = now;
        }
    }

    private Share share(String queue, String model) {
        return shares.getOrDefault(queue, Map.of()).getOrDefault(model, new Share(0, Integer.MAX_VALUE, 0));
    }

    private static String pool(Request r) {
        return poolOf(r.partition(), r.gpuModel());
    }

    private int freeGpus(String pool) {
        int free = 0;
        var index = byFree.get(pool);
        if (index != null) for (var e : index.entrySet()) free += e.getKey() * e.getValue().size();
        return free;
    }

    private int capacityNodes(String pool) {
        var index = byFree.get(pool);
        return index == null ? 0 : index.values().stream().mapToInt(TreeSet::size).sum();
    }

    private int largestFree(String pool) {
        var index = byFree.get(pool);
        return index == null || index.isEmpty() ? 0 : index.lastKey();
    }

    private void index(Node n) {
        byFree.computeIfAbsent(n.pool, k -> new TreeMap<>()).computeIfAbsent(n.free, k -> new TreeSet<>()).add(n.name);
    }

    private void unindex(Node n) {
        var index = byFree.get(n.pool);
        TreeSet<String> set = index.get(n.free);
        set.remove(n.name);
        if (set.isEmpty()) index.remove(n.free);
    }
}
