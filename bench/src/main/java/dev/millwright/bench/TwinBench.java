package dev.millwright.bench;

import dev.millwright.infra.Health;
import dev.millwright.infra.Health.NodeState;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.Operation;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import dev.millwright.infra.twin.FaultRates;
import dev.millwright.infra.twin.HardwareProfiles;
import dev.millwright.infra.twin.Twin;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The digital twin at fleet scale: builds a twin of {@code --nodes} eight-GPU machines (seven in ten
 * hgx-h100, the rest hgx-h200), all enrolled as READY Kubernetes nodes with {@link FaultRates#REALISTIC}
 * faults, and runs it through {@code --days} simulated days with telemetry every simulated minute.
 *
 * <pre>
 *   java -Xmx4g -jar bench/target/millwright-bench.jar twin [--nodes 12500] [--days 1] [--seed 42]
 * </pre>
 *
 * Three nodes in five get a training job on all eight GPUs with 2 to 12 hours of work; each simulated hour,
 * a node whose job ended gets the next one while it is healthy, as a scheduler would keep it busy. The
 * figures: build and advance wall time, heap used after a full GC with the twin still live, history entries,
 * faults by kind, and the history digest (the same seed prints the same digest).
 *
 * <p>The twin keeps only its newest {@code History.KEPT} lines, so faults are counted from the lines that
 * arrived since the previous poll, every ten simulated minutes; lines that scrolled away unseen are reported.
 */
public final class TwinBench {
    private static final String[] PROFILES = {"hgx-h100", "hgx-h200"};
    /** How far the simulation moves between two polls of the history. */
    private static final Duration POLL = Duration.ofMinutes(10);
    /** Polls between two rounds of job resubmission: one simulated hour. */
    private static final int POLLS_PER_ROUND = 6;
    private static final List<Integer> ALL_GPUS = List.of(0, 1, 2, 3, 4, 5, 6, 7);

    private final int nodes;
    private final int days;
    private final SplittableRandom jobs;
    private final Twin twin;
    private final String[] job;
    private final int[] jobCount;
    private final TreeMap<String, Long> faults = new TreeMap<>();
    private long seenHistory;
    private long unseenHistory;
    private long completed;
    private long failed;
    private long submitted;

    private TwinBench(int nodes, int days, long seed) {
        this.nodes = nodes;
        this.days = days;
        this.jobs = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.twin = Twin.builder().seed(seed).faults(FaultRates.REALISTIC).enrolledAs(NodeState.READY).build();
        this.job = new String[nodes];
        this.jobCount = new int[nodes];
    }

    public static void main(String[] args) {
        int nodes = 12_500;
        int days = 1;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (nodes < 1) throw new IllegalArgumentException("--nodes must be at least 1");
        if (days < 1) throw new IllegalArgumentException("--days must be at least 1");
        for (String p : PROFILES) {
            if (!HardwareProfiles.exists(p)) throw new IllegalStateException("no twin hardware profile " + p);
        }
        new TwinBench(nodes, days, seed).run();
    }

    private void run() {
        long t0 = System.nanoTime();
        for (int i = 0; i < nodes; i++) {
            twin.enroll(new MachineRef(name(i), "twin://" + PROFILES[i % 10 < 7 ? 0 : 1], null));
            if (i % 5 < 3) submit(i);
        }
        long built = System.nanoTime() - t0;
        seenHistory = twin.historySize(); // the enrolments: no faults among them
        long heapBuilt = heapUsedAfterGc();

        long advancing = 0;
        long rounds = 0;
        long t1 = System.nanoTime();
        long polls = Duration.ofDays(days).toNanos() / POLL.toNanos();
        for (long p = 1; p <= polls; p++) {
            long a = System.nanoTime();
            twin.advance(POLL);
            advancing += System.nanoTime() - a;
            readHistory();
            if (p % POLLS_PER_ROUND == 0) {
                resubmit();
                rounds++;
            }
        }
        long ran = System.nanoTime() - t1;
        long heapRan = heapUsedAfterGc();

        print("nodes", String.format(Locale.ROOT, "%,d", twin.machineCount()));
        print("GPUs", String.format(Locale.ROOT, "%,d", twin.gpuCount()));
        print("simulated", days + " day(s), telemetry every simulated minute, " + rounds + " resubmission rounds");
        print("build wall", ms(built) + " (enrol and first jobs)");
        print("advance wall", ms(ran) + " (of which twin.advance " + ms(advancing) + ")");
        print("heap after build", mb(heapBuilt) + " (used after GC)");
        print("heap after run", mb(heapRan) + " (used after GC; max heap " + mb(Runtime.getRuntime().maxMemory()) + ")");
        print("jobs", String.format(Locale.ROOT, "%,d submitted, %,d completed, %,d failed", submitted, completed, failed));
        print("history entries", String.format(Locale.ROOT, "%,d", twin.historySize())
                + (unseenHistory > 0 ? " (" + unseenHistory + " scrolled away before they were read)" : ""));
        print("faults", faults.isEmpty() ? "none" : faults.toString());
        print("digest", twin.historyDigest());
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "gpu-%05d", i);
    }

    private void submit(int node) {
        String id = name(node) + "-job" + (++jobCount[node]);
        double hours = 2 + 10 * jobs.nextDouble();
        Operation op = twin.startWorkload(new WorkloadPlacement(id, name(node), ALL_GPUS, 1000, 8 * hours * 3600));
        submitted++;
        job[node] = op.state() == Operation.State.FAILED ? null : id;
    }

    /** Gives the next job to every node whose job ended, while the node is a healthy READY node. */
    private void resubmit() {
        for (int i = 0; i < nodes; i++) {
            if (job[i] == null) continue;
            WorkloadObservation.State state = twin.workload(job[i]).state();
            if (state == WorkloadObservation.State.PENDING || state == WorkloadObservation.State.RUNNING) continue;
            Health h = twin.health(name(i));
            if (h.healthy() && h.node() == NodeState.READY) {
                submit(i);
            } else {
                job[i] = null;
            }
        }
    }

    /** Counts faults and job endings in the history lines that arrived since the last poll. */
    private void readHistory() {
        long size = twin.historySize();
        long fresh = size - seenHistory;
        seenHistory = size;
        if (fresh == 0) return;
        List<String> recent = twin.history();
        if (fresh > recent.size()) unseenHistory += fresh - recent.size();
        for (String line : recent.subList((int) Math.max(0, recent.size() - fresh), recent.size())) {
            int f = line.indexOf(" fault: ");
            if (f >= 0) {
                faults.merge(faultKind(line.substring(f + " fault: ".length())), 1L, Long::sum);
            } else if (line.contains(" SUCCEEDED: completed")) {
                completed++;
            } else if (line.contains(" FAILED: ")) {
                failed++;
            }
        }
    }

    private static String faultKind(String what) {
        if (what.startsWith("GPU")) return "gpu-xid";
        if (what.startsWith("machine died")) return "machine-death";
        if (what.startsWith("BMC")) return "bmc-unreachable";
        if (what.startsWith("slow node")) return "slow-node";
        return what;
    }

    private static long heapUsedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%,d ms", nanos / 1_000_000);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", bytes >> 20);
    }

    private static void print(String what, String value) {
        System.out.printf(Locale.ROOT, "%-17s %s%n", what + ":", value);
    }
}
