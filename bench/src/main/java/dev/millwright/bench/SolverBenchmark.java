package dev.millwright.bench;

import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.CompatibilitySolver;
import dev.millwright.catalog.Solution;
import dev.millwright.catalog.Stack;
import dev.millwright.catalog.StackValidation;
import dev.millwright.catalog.VersionRange;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The compatibility solver on one thread, over {@link SyntheticCatalog} (about 2,000 pack versions, 16 names).
 * Targets from issue 4: validating a 12-layer stack under 5 ms, the newest compatible stack under 50 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SolverBenchmark {
    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    private Catalog catalog;
    private Stack twelveLayers;
    private Stack older;
    private Map<String, VersionRange> pins;

    @Setup
    public void setUp() {
        catalog = SyntheticCatalog.build();
        twelveLayers = CompatibilitySolver.newest(catalog, SyntheticCatalog.TWELVE, Map.of(), TODAY).found().orElseThrow();
        pins = Map.of("kubernetes", VersionRange.of("1.31.x"), "vllm", VersionRange.of("0.9.x"));
        older = CompatibilitySolver.newest(catalog, SyntheticCatalog.TWELVE, Map.of("cuda", VersionRange.of("12.4.x"),
                "kubernetes", VersionRange.of("1.30.x")), TODAY).found().orElseThrow();
    }

    /** Every rule of a 12-pack stack checked, with end-of-life warnings. */
    @Benchmark
    public StackValidation validateTwelveLayers() {
        return CompatibilitySolver.validate(twelveLayers, TODAY);
    }

    /** The newest compatible stack over all 16 names, no pins: compiling the catalog dominates. */
    @Benchmark
    public Solution newestAllNames() {
        return CompatibilitySolver.newest(catalog, SyntheticCatalog.NAMES, Map.of(), TODAY);
    }

    /** The same with kubernetes and vllm pinned to older minors, which forces older operators, drivers and CUDA. */
    @Benchmark
    public Solution newestPinned() {
        return CompatibilitySolver.newest(catalog, SyntheticCatalog.NAMES, pins, TODAY);
    }

    /** Moving CUDA from 12.4 to at least 13.0 on a 12-layer stack, changing as few other packs as possible. */
    @Benchmark
    public Solution smallestChangeCudaUpgrade() {
        return CompatibilitySolver.smallestChange(catalog, older, "cuda", VersionRange.of(">=13.0"), TODAY);
    }
}
