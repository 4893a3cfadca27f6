package dev.millwright.bench;

import dev.millwright.kinds.Kinds;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.Validation;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The CPU cost of reading and validating one request body, the part of every write that runs before the database. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResourceCodecBenchmark {
    private final byte[] body = """
            {"apiVersion":"millwright.dev/v1","kind":"Project","metadata":{"name":"vision","tenant":"acme",
             "labels":{"team":"vision","env":"prod"}},
             "spec":{"displayName":"Vision research","members":[{"user":"alice","role":"tenant-admin"},
             {"user":"bob","role":"practitioner"},{"user":"carol","role":"viewer"}]}}""".getBytes(StandardCharsets.UTF_8);
    private final KindDefinition project = Kinds.registry().require("Project");

    @Benchmark
    public Resource parseAndValidate() {
        Resource r = ResourceCodec.parse(body, ResourceCodec.Format.JSON);
        Validation.validate(project, r);
        return r;
    }
}
