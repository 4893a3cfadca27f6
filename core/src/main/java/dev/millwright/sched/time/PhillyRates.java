package dev.millwright.sched.time;

import java.util.Map;
import java.util.TreeMap;

/**
 * Steps per second of each job type in Gavel's Philly traces, used to turn a job's {@code total_steps} back into
 * a duration.
 *
 * <h2>Where the numbers come from</h2>
 * Gavel wrote each job as {@code total_steps = duration x throughput(job type)} (see {@code get_total_steps} in
 * stanford-futuredata/gavel {@code scheduler/scripts/utils/generate_trace.py}) with its measured V100 throughputs,
 * and drew durations of at least 10^1.5 minutes (1,897 s). Gavel's throughput table is not shipped here, so the
 * rates are recovered from the traces themselves: for every job type, the shortest one-GPU job across the 16
 * virtual-cluster files in {@code data/traces/philly-vc} is taken to run exactly 1,897 s. The recovered rates are
 * consistent with measured hardware: ResNet-18 at batch size 16 comes out at 49.1 steps/s, against 35.9 steps/s
 * that Gavel lists for the slower P100, and every family slows down monotonically with its batch size.
 *
 * <h2>Multi-GPU jobs</h2>
 * The shortest 8-GPU jobs of a type carry the same step counts as the shortest 1-GPU ones (CycleGAN: 5,985 vs
 * 5,926), so the traces' steps are not scaled by the GPU count: the duration is {@code total_steps / rate} for
 * any number of GPUs.
 *
 * <p>Approximate by construction: a type whose shortest job ran longer than the floor gets a rate that is too
 * high, hence durations that are too short, by the same factor for all its jobs.
 */
final class PhillyRates {
    /** Gavel's shortest duration, 10^1.5 minutes, in seconds. */
    static final double DURATION_FLOOR_SECONDS = 60 * Math.pow(10, 1.5);

    /** Shortest one-GPU {@code total_steps} per job type in the Philly VC traces. */
    private static final Map<String, Integer> SHORTEST_STEPS = new TreeMap<>(Map.ofEntries(
            Map.entry("A3C", 9887),
            Map.entry("CycleGAN", 5926),
            Map.entry("LM (batch size 5)", 200714),
            Map.entry("LM (batch size 10)", 173036),
            Map.entry("LM (batch size 20)", 129756),
            Map.entry("LM (batch size 40)", 86067),
            Map.entry("LM (batch size 80)", 53123),
            Map.entry("Recommendation (batch size 512)", 398),
            Map.entry("Recommendation (batch size 1024)", 578),
            Map.entry("Recommendation (batch size 2048)", 681),
            Map.entry("Recommendation (batch size 4096)", 749),
            Map.entry("Recommendation (batch size 8192)", 727),
            Map.entry("ResNet-18 (batch size 16)", 93167),
            Map.entry("ResNet-18 (batch size 32)", 78966),
            Map.entry("ResNet-18 (batch size 64)", 59247),
            Map.entry("ResNet-18 (batch size 128)", 36435),
            Map.entry("ResNet-18 (batch size 256)", 20384),
            Map.entry("ResNet-50 (batch size 16)", 20936),
            Map.entry("ResNet-50 (batch size 32)", 11914),
            Map.entry("ResNet-50 (batch size 64)", 6570),
            Map.entry("ResNet-50 (batch size 128)", 3474),
            Map.entry("Transformer (batch size 16)", 15453),
            Map.entry("Transformer (batch size 32)", 15007),
            Map.entry("Transformer (batch size 64)", 11519),
            Map.entry("Transformer (batch size 128)", 6971),
            Map.entry("Transformer (batch size 256)", 2075)));

    private PhillyRates() {
    }

    /** Steps per second of {@code jobType}, or {@code NaN} when the type is unknown. */
    static double stepsPerSecond(String jobType) {
        Integer steps = SHORTEST_STEPS.get(jobType);
        return steps == null ? Double.NaN : steps / DURATION_FLOOR_SECONDS;
    }

    /** The job types known, sorted (for messages). */
    static Iterable<String> types() {
        return SHORTEST_STEPS.keySet();
    }
}
