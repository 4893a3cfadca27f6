package dev.millwright.sched.time;

import dev.millwright.sched.trace.TraceException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.BadRequestException;
import dev.millwright.sched.time.TimeReplay.Options;
import dev.millwright.sched.time.TimeReplay.Result;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point the CLI calls: options, errors, JSON and the comparison table. */
class TimeReplayTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Options twoTenants() throws IOException {
        Path a = file("team-a.csv", "job_id,submission_time,duration,num_gpu\na1,0,100,4\na2,1,100,4\na3,2,100,4\n");
        Path b = file("team-b.csv", "job_id,submission_time,duration,num_gpu\nb1,50,100,4\n");
        return Options.of(List.of(a, b), TraceFormat.ITP, 8).withQuotas(Map.of("team-a", 4, "team-b.csv", 4));
    }

    @Test
    @DisplayName("the policies are millwright and the baselines, in table order")
    void policies() {
        assertThat(TimeReplay.policies()).containsExactly("millwright", "fifo", "first-fit", "kueue", "best-fit",
                "dot-prod", "gpu-packing", "fgd", "tiresias", "srtf");
        assertThat(Options.of(List.of(Path.of("x/cluster01.csv")), TraceFormat.ITP, 8).policy()).isEqualTo("millwright");
        assertThat(TimeReplay.JobFile.of(Path.of("x/cluster01.csv")).tenant()).isEqualTo("cluster01");
        assertThat(TraceFormat.of("philly-vc")).isEqualTo(TraceFormat.PHILLY_VC);
        assertThatThrownBy(() -> TraceFormat.of("slurm")).isInstanceOf(BadRequestException.class)
                .hasMessage("format: unknown trace format 'slurm' (known: itp, philly-vc)");
    }

    @Test
    @DisplayName("the JSON answer has the overall figures, one entry per tenant, and each tenant's partition")
    void json() throws IOException {
        JsonNode o = TimeReplay.run(twoTenants()).toJson();

        for (String f : List.of("avgJctSeconds", "p50JctSeconds", "p99JctSeconds", "avgQueueSeconds", "p99QueueSeconds",
                "gpuUtilization", "makespanSeconds", "jainFairness", "policy", "jobs", "gpus", "nodes", "tenants")) {
            assertThat(o.has(f)).as(f).isTrue();
        }
        assertThat(o.get("policy").asText()).isEqualTo("millwright");
        assertThat(o.get("jobs").asInt()).isEqualTo(4);
        assertThat(o.get("gpus").asInt()).isEqualTo(8);
        assertThat(o.get("nodes").asInt()).isEqualTo(1);
        assertThat(o.get("guaranteesKept").asBoolean()).isTrue();
        JsonNode b = o.get("tenants").get(1);
        assertThat(b.get("tenant").asText()).isEqualTo("team-b");
        assertThat(b.get("quotaGpus").asInt()).isEqualTo(4);
        assertThat(b.get("avgQueueSeconds").asDouble()).isZero();
        assertThat(b.get("p99JctSeconds").asDouble()).isEqualTo(100);
        assertThat(b.get("partition").get("avgQueueSeconds").asDouble()).isZero();
        assertThat(b.get("guaranteeKept").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("--policy all runs every policy on the same input and prints one table row each")
    void all() throws IOException {
        List<Result> results = TimeReplay.runAll(twoTenants());
        String table = TimeReplay.table(results);

        assertThat(results).extracting(Result::policy).containsExactlyElementsOf(TimeReplay.policies());
        assertThat(table.lines()).hasSize(11);
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("policy").contains("avgJCT(h)", "guarantees");
        assertThat(table).contains("kueue ").contains("1/2");
        assertThat(TimeReplay.toJson(results).get("policies")).hasSize(10);
        assertThatThrownBy(() -> TimeReplay.run(twoTenants().withPolicy("all"))).isInstanceOf(BadRequestException.class);
    }

    @Test
    @DisplayName("bad options are refused before anything runs, naming the option")
    void badOptions() throws IOException {
        Options ok = twoTenants();

        assertThatThrownBy(() -> TimeReplay.run(ok.withQuotas(Map.of("team-c", 4)))).isInstanceOf(BadRequestException.class)
                .hasMessage("--quota team-c: names no tenant (tenants: team-a, team-b)");
        assertThatThrownBy(() -> TimeReplay.run(ok.withQuotas(Map.of("team-a", 6, "team-b", 4))))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("--quota: quotas add up to 10 GPUs, more than the fleet's 8 (--gpus)");
        assertThatThrownBy(() -> TimeReplay.run(ok.withQuotas(Map.of("team-a", 2, "team-a.csv", 2))))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("--quota team-a.csv: tenant 'team-a' already has a quota (--quota team-a)");
        assertThatThrownBy(() -> TimeReplay.run(ok.withQuotas(Map.of("team-a", -1)))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("at least 0");
        assertThatThrownBy(() -> ok.withPolicy("lottery")).isInstanceOf(BadRequestException.class)
                .hasMessageStartingWith("policy: unknown policy 'lottery' (known: millwright, fifo,");
        assertThatThrownBy(() -> Options.of(List.of(dir.resolve("a.csv")), TraceFormat.ITP, 0))
                .isInstanceOf(BadRequestException.class).hasMessage("--gpus: must be at least 1 (got 0)");
        assertThatThrownBy(() -> TimeReplay.run(Options.of(List.of(dir.resolve("missing.csv")), TraceFormat.ITP, 8)))
                .isInstanceOf(TraceException.class).hasMessageEndingWith("missing.csv: no such file");
    }

    @Test
    @DisplayName("a job larger than the fleet, or two files for one tenant, are refused with the file and line")
    void badFiles() throws IOException {
        Path big = file("big.csv", "job_id,submission_time,duration,num_gpu\nj1,0,10,1\nj2,0,10,16\n");
        Path twin = Files.createDirectories(dir.resolve("other")).resolve("big.csv");
        Files.writeString(twin, "job_id,submission_time,duration,num_gpu\nj1,0,10,1\n");

        assertThatThrownBy(() -> TimeReplay.run(Options.of(List.of(big), TraceFormat.ITP, 8)))
                .isInstanceOf(TraceException.class)
                .hasMessage(big + " line 3, field num_gpu: asks for 16 GPUs, more than the whole fleet's 8: it could never run");
        assertThatThrownBy(() -> TimeReplay.run(Options.of(List.of(big, twin), TraceFormat.ITP, 16)))
                .isInstanceOf(BadRequestException.class).hasMessageStartingWith("--jobs: two files give tenant 'big'");
    }

    @Test
    @DisplayName("Philly virtual-cluster traces replay with durations derived from their steps")
    void phillyTraces() throws URISyntaxException {
        Path vc1 = Path.of(getClass().getResource("/traces/philly-vc/51b7ef.trace").toURI());
        Path vc2 = Path.of(getClass().getResource("/traces/philly-vc/23dbec.trace").toURI());

        Result r = TimeReplay.run(Options.of(List.of(vc1, vc2), TraceFormat.PHILLY_VC, 16)
                .withQuotas(Map.of("51b7ef", 8, "23dbec", 8)));

        assertThat(r.figures().jobs()).isEqualTo(18 + 9);
        assertThat(r.tenants()).extracting(TimeReplay.TenantResult::tenant).containsExactly("51b7ef", "23dbec");
        assertThat(r.figures().avgJctSeconds()).isGreaterThanOrEqualTo(Math.rint(PhillyRates.DURATION_FLOOR_SECONDS));
        assertThat(r.guaranteesKept()).isTrue();
    }
}
