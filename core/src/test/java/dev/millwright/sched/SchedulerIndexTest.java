package dev.millwright.sched;

import static dev.millwright.sched.SchedFixtures.H100;
import static dev.millwright.sched.SchedFixtures.H200;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.Scheduler.Bind;
import dev.millwright.sched.Scheduler.Decision;
import dev.millwright.sched.Scheduler.NodeSpec;
import dev.millwright.sched.Scheduler.Preempt;
import dev.millwright.sched.Scheduler.Request;
import dev.millwright.sched.Scheduler.Share;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random arrivals, cycles, single decisions and releases on a fleet with every feature (partitions, fabric
 * groups, NVLink domains, failed GPUs, CPU and memory, shares, spreading, a queue tree): after every step the
 * engine's incremental indexes must equal a recount, and no GPU, CPU or memory may ever be booked twice,
 * checked against a model the test keeps itself from the decisions.
 */
class SchedulerIndexTest {
    private static final int CPU_PER_NODE = 64_000;

    private final Map<String, NodeSpec> specs = new HashMap<>();
    private final Map<String, int[]> milli = new HashMap<>();
    private final Map<String, long[]> cpuMemory = new HashMap<>();
    private final Map<String, Request> requests = new HashMap<>();
    private final Map<String, List<Placement>> placed = new HashMap<>();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void indexesStayExactAndNothingIsBookedTwice(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Scheduler s = new Scheduler(java.time.Duration.ofMillis(50));
        List<String> domains = List.of("a", "a", "a", "a", "b", "b", "b", "b");
        for (int i = 0; i < 24; i++) {
            String partition = i < 18 ? "" : "env";
            NodeSpec spec = new NodeSpec("n" + i, i % 6 == 5 ? H200 : H100, 8, partition, "leaf" + i / 6, i % 2 == 0 ? domains : null,
                    i % 7 == 0 ? Set.of(3) : null).withResources(i % 3 == 0 ? CPU_PER_NODE : 0, i % 4 == 0 ? 512_000 : 0);
            s.addNode(spec);
            specs.put(spec.name(), spec);
            int[] m = new int[8];
            for (int g : spec.failed()) m[g] = 1000;
            milli.put(spec.name(), m);
            cpuMemory.put(spec.name(), new long[2]);
        }
        s.setQueue("tenant", Map.of(H100, new Share(0, 100, 0)), 1);
        for (int q = 0; q < 4; q++) {
            s.setQueue("q" + q, q < 3 ? "tenant" : null, Map.of(H100, new Share(30, 60, 20), H200, Share.of(8), Scheduler.CPU, Share.of(100_000)), 1 + q);
        }
        long now = 0;
        int next = 0;
        for (int step = 0; step < 1500; step++) {
            now += 10;
            int op = random.nextInt(10);
            if (op < 5) {
                Request r = randomRequest("w" + next++, random, now);
                s.submit(r);
                requests.put(r.id(), r);
                if (op == 0) apply(s.decide(r.id()));
            } else if (op < 7) {
                apply(random.nextBoolean() ? s.cycle(now) : s.cycle());
            } else if (!placed.isEmpty()) {
                List<String> ids = new ArrayList<>(placed.keySet());
                Collections.sort(ids);
                String id = ids.get(random.nextInt(ids.size()));
                if (op == 9) {
                    s.progress(id, random.nextDouble());
                } else {
                    s.release(id);
                    give(id);
                }
            }
            s.verify();
        }
        assertThat(placed).as("the run exercised binding").hasSizeGreaterThan(5);
        for (int q = 0; q < 4; q++) {
            long held = 0;
            for (var e : placed.entrySet()) {
                Request r = requests.get(e.getKey());
                if (r.queue().equals("q" + q) && r.gpuModel().equals(H100)) held += (long) r.replicas() * r.gpusPerReplica() * r.gpuShare();
            }
            assertThat(s.usedMilli("q" + q, H100)).isEqualTo(held);
        }
    }

    private Request randomRequest(String id, SplittableRandom random, long now) {
        PriorityClass priority = PriorityClass.values()[random.nextInt(PriorityClass.values().length)];
        String model = random.nextInt(5) == 0 ? H200 : H100;
        int kind = random.nextInt(4);
        Request r;
        if (kind == 0) {
            r = new Request(id, "q" + random.nextInt(4), priority, 1 + random.nextInt(3), 1, model, now).withGpuShare(100 * (1 + random.nextInt(9)));
        } else {
            int[] sizes = {1, 2, 4, 8};
            r = new Request(id, "q" + random.nextInt(4), priority, 1 + random.nextInt(3), sizes[random.nextInt(4)], model, now);
        }
        if (kind == 1) r = r.withSpread(true);
        if (random.nextInt(3) == 0) r = r.withCpuMillis(4_000 * (1 + random.nextInt(8))).withMemoryMiB(random.nextInt(100_000));
        if (random.nextInt(6) == 0) r = r.inPartition("env");
        return r;
    }

    private void apply(List<Decision> ds) {
        for (Decision d : ds) {
            if (d instanceof Preempt p) {
                give(p.id());
            } else if (d instanceof Bind b) {
                Request r = requests.get(b.id());
                assertThat(b.placements()).hasSize(r.replicas());
                for (Placement pl : b.placements()) {
                    NodeSpec spec = specs.get(pl.machine());
                    assertThat(spec.gpuModel()).isEqualTo(r.gpuModel());
                    assertThat(spec.partition()).isEqualTo(r.partition());
                    assertThat(pl.gpus()).hasSize(r.gpusPerReplica()).doesNotHaveDuplicates();
                    int[] m = milli.get(pl.machine());
                    for (int g : pl.gpus()) {
                        m[g] += r.gpuShare();
                        assertThat(m[g]).as("GPU %d of %s", g, pl.machine()).isLessThanOrEqualTo(1000);
                        if (r.gpuShare() == 1000) assertThat(m[g]).as("a whole GPU was fully free").isEqualTo(1000);
                    }
                    long[] cm = cpuMemory.get(pl.machine());
                    cm[0] += r.cpuMillis();
                    cm[1] += r.memoryMiB();
                    if (spec.cpuMillis() > 0) assertThat(cm[0]).isLessThanOrEqualTo(spec.cpuMillis());
                    if (spec.memoryMiB() > 0) assertThat(cm[1]).isLessThanOrEqualTo(spec.memoryMiB());
                }
                placed.put(b.id(), b.placements());
            }
        }
    }

    private void give(String id) {
        List<Placement> pls = placed.remove(id);
        if (pls == null) return;
        Request r = requests.get(id);
        for (Placement pl : pls) {
            for (int g : pl.gpus()) milli.get(pl.machine())[g] -= r.gpuShare();
            cpuMemory.get(pl.machine())[0] -= r.cpuMillis();
            cpuMemory.get(pl.machine())[1] -= r.memoryMiB();
        }
    }
}
