package dev.millwright.sched.packing;

/**
 * {@code millwright}: the production packing policy. Fragmentation Gradient Descent ({@link FgdPolicy}) with four
 * changes, each aimed at a way FGD strands GPUs that does not depend on one trace.
 *
 * <h2>Approach</h2>
 * <ol>
 *   <li><b>Memory counts.</b> Fragmentation is measured against the same typical pods as FGD's, but a node that
 *       lacks the memory of a typical pod (the smallest request of its group) counts its idle GPUs as fragments
 *       for that pod, exactly as when CPU is short ({@link TargetWorkload}, {@code withMemory}). FGD looks at CPU
 *       only and fills a node's memory without noticing the GPUs it strands.</li>
 *   <li><b>Node score: FGD's.</b> {@code int(100 * sigmoid(decrease / 1000))}. Its integer steps are kept on
 *       purpose: any increase of fragmentation loses to none, and placements within a step count as equal and are
 *       settled by the rules below, ending in a fixed seeded node order that fills nodes one after another and
 *       keeps whole nodes whole. Scoring by the exact decrease spread pods over more nodes and lost close to a point
 *       of allocation at 130% on the openb trace.</li>
 *   <li><b>Balance among equals.</b> A GPU pod prefers the node whose free CPU per free GPU after placement stays
 *       within a factor e^2 (about 7.4) of what GPU pods ask for ({@link #cpuPerGpuMilli}, from the trace), then
 *       within e^4, and so on; a node left with no free GPU is balanced by definition. A node left with plenty of
 *       CPU behind a sliver of GPU, or plenty of GPU behind no CPU, strands one of the two at saturation. The
 *       buckets are coarse on purpose: fine ones override the consolidation of the fixed order (measured worse).</li>
 *   <li><b>CPU-only pods go where CPU is worth least.</b> Among equals: nodes without GPUs first, then nodes with
 *       no unallocated GPU, and only then nodes whose idle GPUs still need that CPU. FGD scores all of these equal
 *       (a pod without GPUs changes no GPU fragmentation until CPU runs out) and spends GPU nodes' CPU early.</li>
 * </ol>
 * Inside the chosen node a share goes onto the GPU with the smallest exact fragmentation after, then the fullest
 * one; FGD compares integer scores there too and can leave a larger sliver for nothing. GPU-model awareness comes
 * with the fragmentation measure: typical pods that may not use a node's model count its idle GPUs as fragments,
 * so pods without a model constraint drift to the models that constrained pods need least.
 *
 * <h2>Invariants and cost</h2>
 * Deterministic for a seed (the fixed order is {@link Workload#nodeRank}). Per pod: one pass over the nodes, a fit
 * test each, and a fragmentation for each fitting node whose state changed since this pod shape was last placed
 * ({@link FragmentationCache}); the balance and order keys are O(1).
 */
final class MillwrightPolicy implements PackingPolicy {
    /** Width of a balance bucket in natural-log units: leftover CPU per GPU within a factor e^2 counts as balanced. */
    static final double BALANCE_BUCKET = 2.0;

    private final Cluster cluster;
    private final FragmentationCache frag;
    private final int[] rank;
    /** CPU thousandths per GPU thousandth that the trace's GPU pods ask for; CPU-only pods can run elsewhere. */
    private final double cpuPerGpuMilli;

    MillwrightPolicy(Cluster cluster, Workload workload) {
        this.cluster = cluster;
        this.rank = workload.nodeRank;
        this.frag = new FragmentationCache(cluster, TargetWorkload.of(workload.tracePods, cluster, true), workload.shapes, FgdPolicy::quantized, true);
        long cpu = 0;
        long gpu = 0;
        for (Request r : workload.tracePods) {
            if (r.num == 0) continue;
            cpu += r.cpu;
            gpu += r.requestMilli;
        }
        this.cpuPerGpuMilli = (double) cpu / gpu;
    }

    @Override
    public Placement place(Request r) {
        int best = -1;
        double bestScore = 0;
        long bestOrder = 0;
        int[] bestGpus = null;
        for (int n = 0; n < cluster.size; n++) {
            if (!cluster.fits(n, r)) continue;
            FragmentationCache.Entry e = frag.lookup(n, r);
            if (best >= 0 && e.score < bestScore) continue;
            long order = order(n, r);
            if (best < 0 || e.score > bestScore || order < bestOrder) {
                best = n;
                bestScore = e.score;
                bestOrder = order;
                bestGpus = e.gpus;
            }
        }
        return best < 0 ? null : new Placement(best, bestGpus.clone());
    }

    /** Order among equal scores, lower first: a class (balance bucket, or where CPU is worth least), then the seeded order. */
    private long order(int n, Request r) {
        long bucket;
        if (r.num > 0) {
            double cpuAfter = cluster.cpuFree[n] - r.cpu;
            double idleAfter = cluster.idle[n] - r.requestMilli;
            bucket = idleAfter <= 0 ? 0 : (long) (Math.abs(Math.log((cpuAfter + 1) / (idleAfter * cpuPerGpuMilli + 1))) / BALANCE_BUCKET);
        } else {
            bucket = cluster.gpus[n] == 0 ? 0 : cluster.idle[n] == 0 ? 1 : 2;
        }
        return bucket * cluster.size + rank[n];
    }
}
