package dev.millwright.bench;

import dev.millwright.vulns.Advisory;
import dev.millwright.vulns.Exposure;
import dev.millwright.vulns.Findings;
import dev.millwright.vulns.Matcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * Vulnerability exposure of 10,000 environments against 5,000 advisories on one thread, recomputed whole: the
 * matcher and the alias groups built from the advisories, then every environment's findings. Synthetic and
 * seeded: advisories over 2,000 Go and PyPI packages (one to three SEMVER or ECOSYSTEM windows each, some with
 * versions lists and aliases shared with another record); environments built from 100 stack variants of 40
 * packages each, plus 5 workload packages of their own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExposureBenchmark {
    private static final int ADVISORIES = 5_000;
    private static final int ENVIRONMENTS = 10_000;
    private static final int PACKAGES = 2_000;

    List<Advisory> advisories;
    Map<String, List<Exposure.Package>> environments;
    Matcher matcher;
    Findings findings;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        advisories = new ArrayList<>();
        for (int i = 0; i < ADVISORIES; i++) {
            int p = random.nextInt(PACKAGES);
            boolean go = p % 2 == 0;
            List<Advisory.Event> events = new ArrayList<>();
            int windows = 1 + random.nextInt(3);
            for (int w = 0; w < windows; w++) {
                events.add(new Advisory.Event(Advisory.Kind.INTRODUCED, w == 0 && random.nextBoolean() ? "0" : (w + 1) + ".0.0"));
                events.add(new Advisory.Event(Advisory.Kind.FIXED, (w + 1) + "." + random.nextInt(10) + "." + (1 + random.nextInt(9))));
            }
            var range = new Advisory.Range(go ? Advisory.Type.SEMVER : Advisory.Type.ECOSYSTEM, null, events);
            List<String> versions = i % 10 == 0 ? List.of("0.9.0", "0.9.1") : List.of();
            var affected = new Advisory.Affected(go ? "Go" : "PyPI", name(p), List.of(range), versions);
            List<String> aliases = i % 4 == 0 ? List.of("CVE-2025-" + (i / 2)) : List.of();
            advisories.add(new Advisory((go ? "GO-2025-" : "PYSEC-2025-") + i, aliases, "", null, null, null,
                    List.of(new Advisory.Severity("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:" + (i % 2 == 0 ? "H" : "N"))),
                    List.of(affected)));
        }
        List<List<Exposure.Package>> stacks = new ArrayList<>();
        for (int s = 0; s < 100; s++) stacks.add(packages(random, 40));
        environments = new HashMap<>();
        for (int e = 0; e < ENVIRONMENTS; e++) {
            List<Exposure.Package> packages = new ArrayList<>(stacks.get(random.nextInt(stacks.size())));
            packages.addAll(packages(random, 5));
            environments.put("tenant-" + (e % 200) + "/env-" + e, packages);
        }
        matcher = new Matcher(advisories);
        findings = new Findings(advisories);
    }

    private static List<Exposure.Package> packages(SplittableRandom random, int n) {
        List<Exposure.Package> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int p = random.nextInt(PACKAGES);
            String version = (1 + random.nextInt(3)) + "." + random.nextInt(10) + "." + random.nextInt(10);
            out.add(new Exposure.Package(p % 2 == 0 ? "Go" : "PyPI", name(p), version));
        }
        return out;
    }

    private static String name(int p) {
        return p % 2 == 0 ? "example.com/module" + p : "package" + p;
    }

    /** Everything from the advisories: what an advisory import sets off. */
    @Benchmark
    public Map<String, List<Exposure.Hit>> recomputeFromAdvisories() {
        return Exposure.of(new Matcher(advisories), new Findings(advisories), environments);
    }

    /** Environments only, the matcher kept: what a stack change sets off. */
    @Benchmark
    public Map<String, List<Exposure.Hit>> recomputeEnvironments() {
        return Exposure.of(matcher, findings, environments);
    }
}
