package dev.millwright.bench;

import dev.millwright.sched.GangPlacement;
import dev.millwright.sched.PriorityClass;
import dev.millwright.sched.Scheduler;
import dev.millwright.sched.Scheduler.Request;
import dev.millwright.sched.Scheduler.Share;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler engine at fleet scale, on one thread: 12,500 nodes of 8 GPUs (100,000 GPUs: 10,000 H100 and
 * 2,500 H200 nodes), 100 queues whose guarantees add up to the fleet, 80 % of it running, and 50,000 pending
 * workloads of 1 to 16 GPUs. Targets from issue 5: a full pass over the pending workloads under 1 s, one
 * arrival decided under 1 ms p99.
 */
public class SchedulerBenchmark {
    static final String H100 = "NVIDIA H100 80GB HBM3";
    static final String H200 = "NVIDIA H200 141GB HBM3e";
    static final int QUEUES = 100;

    /** A fleet 80 % full with 50,000 workloads waiting; built afresh for each full pass (passes change it). */
    static Scheduler fleet(long seed, int pendingCount) {
        SplittableRandom random = new SplittableRandom(seed);
        Scheduler s = new Scheduler();
        for (int i = 0; i < 12_500; i++) s.addNode(String.format("node-%05d", i), i < 10_000 ? H100 : H200, 8);
        for (int q = 0; q < QUEUES; q++) {
            s.setQueue("q" + q, Map.of(H100, new Share(800, 1600, 800), H200, new Share(200, 400, 200)), 1 + q % 3);
        }
        long sequence = 0;
        // fill 80 %: whole-node and partial jobs, restored where they run
        int node = 0;
        for (; node < 10_000; node++) {
            if (node % 5 == 4) continue;
            int split = random.nextInt(3);
            String queue = "q" + (node % QUEUES);
            if (split == 0) {
                s.restore(new Request("run-" + node, queue, PriorityClass.TRAINING, 1, 8, H100, sequence++),
                        List.of(new GangPlacement.Placement(0, String.format("node-%05d", node), List.of(0, 1, 2, 3, 4, 5, 6, 7))));
            } else {
                s.restore(new Request("run-" + node + "a", queue, PriorityClass.BATCH, 1, 4, H100, sequence++),
                        List.of(new GangPlacement.Placement(0, String.format("node-%05d", node), List.of(0, 1, 2, 3))));
                s.restore(new Request("run-" + node + "b", queue, PriorityClass.INTERACTIVE, 1, 2, H100, sequence++),
                        List.of(new GangPlacement.Placement(0, String.format("node-%05d", node), List.of(4, 5))));
            }
        }
        PriorityClass[] classes = PriorityClass.values();
        int[] sizes = {1, 1, 2, 2, 4, 8, 8, 16};
        for (int i = 0; i < pendingCount; i++) {
            int size = sizes[random.nextInt(sizes.length)];
            int replicas = size > 8 ? size / 8 : 1;
            s.submit(new Request("p-" + i, "q" + random.nextInt(QUEUES), classes[random.nextInt(classes.length)], replicas,
                    size / replicas, random.nextInt(5) == 0 ? H200 : H100, sequence++));
        }
        return s;
    }

    /** One full pass over 50,000 pending workloads. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 10)
    @Fork(1)
    public static class FullPass {
        Scheduler scheduler;

        @Setup(Level.Invocation)
        public void build() {
            scheduler = fleet(42, 50_000);
        }

        @Benchmark
        public List<Scheduler.Decision> cycle() {
            return scheduler.cycle();
        }
    }

    /** One arrival decided alone against the loaded fleet, then withdrawn so the next starts from the same state. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(1)
    public static class Arrival {
        Scheduler scheduler;
        long sequence = 10_000_000;
        final SplittableRandom random = new SplittableRandom(7);
        final Map<String, Integer> unused = new HashMap<>();

        @Setup(Level.Trial)
        public void build() {
            scheduler = fleet(42, 50_000);
            scheduler.cycle(); // settle: what fits is running, the rest waits
        }

        @Benchmark
        public List<Scheduler.Decision> arriveAndDecide() {
            String id = "arrival-" + sequence;
            int size = 1 << random.nextInt(4);
            scheduler.submit(new Request(id, "q" + random.nextInt(QUEUES), PriorityClass.BATCH, 1, size, H100, sequence++));
            List<Scheduler.Decision> d = scheduler.decide(id);
            scheduler.release(id);
            return d;
        }
    }

    /** Prints the sizes the benchmark works on, for the record. */
    public static void main(String[] args) {
        long start = System.nanoTime();
        Scheduler s = fleet(42, 50_000);
        long built = System.nanoTime();
        List<Scheduler.Decision> ds = s.cycle();
        long passed = System.nanoTime();
        List<String> kinds = new ArrayList<>();
        ds.forEach(d -> kinds.add(d.getClass().getSimpleName()));
        Map<String, Long> counts = new java.util.TreeMap<>();
        kinds.forEach(k -> counts.merge(k, 1L, Long::sum));
        System.out.printf("built in %d ms; one pass in %d ms: %s; %d running, %d pending%n", (built - start) / 1_000_000,
                (passed - built) / 1_000_000, counts, s.runningCount(), s.pendingCount());
    }
}
