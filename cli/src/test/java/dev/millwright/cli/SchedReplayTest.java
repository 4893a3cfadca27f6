package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code millwright sched replay}, run in this JVM as a user would, on the openb trace and on broken files. */
class SchedReplayTest {
    /** The openb copy under core's test resources; the tests run from the cli module or the repository root. */
    private static Path openb(String file) {
        Path fromModule = Path.of("..", "core", "src", "test", "resources", "traces", "openb", file);
        return Files.exists(fromModule) ? fromModule : Path.of("core", "src", "test", "resources", "traces", "openb", file);
    }

    private static final String NODES = "sn,cpu_milli,memory_mib,gpu,model\nn0,96000,393216,8,G2\nn1,104000,524288,2,T4\ncpu0,32000,262144,0,\n";
    private static final String PODS = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\n"
            + "p0,12000,16384,1,1000,\np1,6000,12288,1,460,\np2,3152,5600,1,810,T4\np3,12500,8192,0,0,\np4,8000,30517,2,1000,\n";

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Cli.Result replay(Path nodes, Path pods, String... more) {
        List<String> args = new ArrayList<>(List.of("sched", "replay", "--mode", "packing", "--nodes", nodes.toString(), "--pods", pods.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    @DisplayName("replays the openb default trace with millwright and writes the curve and counts as JSON")
    void replaysOpenb() throws IOException {
        Path out = dir.resolve("openb.json");
        Cli.Result r = replay(openb("openb_node_list_all_node.csv"), openb("openb_pod_list_default.csv"),
                "--policy", "millwright", "--seed", "2", "--out", out.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("1523 nodes, 6212 GPUs").contains("millwright").contains("wrote " + out);
        JsonNode j = Json.MAPPER.readTree(out.toFile());
        assertThat(j.path("policy").asText()).isEqualTo("millwright");
        assertThat(j.path("seed").asLong()).isEqualTo(2);
        assertThat(j.path("targetLoad").asDouble()).isEqualTo(1.3);
        assertThat(j.path("totalGpus").asInt()).isEqualTo(6212);
        assertThat(j.path("nodes").asInt()).isEqualTo(1523);
        assertThat(j.path("tracePods").asInt()).isEqualTo(8152);
        assertThat(j.path("scheduledPods").asInt() + j.path("failedPods").asInt()).isEqualTo(j.path("pods").asInt());
        JsonNode curve = j.path("allocationByArrivedPercent");
        assertThat(curve.size()).isEqualTo(131);
        for (int p = 1; p <= 130; p++) assertThat(curve.get(p).asDouble()).isGreaterThanOrEqualTo(curve.get(p - 1).asDouble());
        assertThat(curve.get(50).asDouble()).isBetween(49.0, 50.0);
        assertThat(curve.get(130).asDouble()).isEqualTo(j.path("allocationAtEndPercent").asDouble()).isGreaterThanOrEqualTo(95.0);
        assertThat(j.path("arrivedPercentAtEnd").asDouble()).isBetween(129.9, 130.0);
        assertThat(j.path("elapsedMillis").asLong()).isNotNegative();
    }

    @Test
    @DisplayName("--policy all runs every policy on the same arrivals and prints a comparison table")
    void comparesAllPolicies() throws IOException {
        Path out = dir.resolve("all.json");
        Cli.Result r = replay(file("nodes.csv", NODES), file("pods.csv", PODS), "--policy", "all", "--seed", "3", "--target-load", "1.2", "--out", out.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("POLICY", "ALLOC@130%", "fgd", "best-fit", "kueue");
        JsonNode j = Json.MAPPER.readTree(out.toFile());
        assertThat(j.path("policies")).hasSize(9);
        List<String> names = new ArrayList<>();
        j.path("policies").forEach(p -> {
            names.add(p.path("policy").asText());
            assertThat(p.path("pods").asInt()).isEqualTo(j.path("pods").asInt());
            assertThat(p.path("allocationByArrivedPercent")).hasSize(131);
            assertThat(p.path("targetLoad").asDouble()).isEqualTo(1.2);
        });
        assertThat(names).containsExactly("millwright", "fifo", "first-fit", "kueue", "best-fit", "dot-prod", "gpu-packing", "fgd", "random");
    }

    @Test
    @DisplayName("bad trace files are answered with file, line and field and a non-zero exit, never a stack trace")
    void badFiles() throws IOException {
        Path nodes = file("nodes.csv", NODES);
        record Case(String name, String pods, String expected) {
        }
        List<Case> cases = List.of(
                new Case("missing-column.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_spec\np,1,1,1,\n", "missing-column.csv line 1, field gpu_milli: missing column"),
                new Case("negative.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\np,1,-4,1,1000,\n", "negative.csv line 2, field memory_mib: negative value -4"),
                new Case("too-many-gpus.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\np,1,1,1,1000,\nq,1,1,16,1000,\n",
                        "too-many-gpus.csv line 3, field num_gpu: pod q asks for 16 GPUs but the largest node has 8"),
                new Case("empty.csv", "", "empty.csv: the file is empty"),
                new Case("no-gpu-pods.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\np,1,1,0,0,\n", "none of the 1 pods asks for a GPU"));
        for (Case c : cases) {
            Cli.Result r = replay(nodes, file(c.name(), c.pods()));
            assertThat(r.exit()).as(c.name() + "\n" + r).isEqualTo(ExitCodes.INVALID);
            assertThat(r.err()).as(c.name()).contains(c.expected()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        Cli.Result missing = replay(nodes, dir.resolve("nope.csv"));
        assertThat(missing.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(missing.err()).contains("nope.csv: no such file");
        Cli.Result badNodes = replay(file("bad-nodes.csv", "sn,cpu_milli,memory_mib,gpu,model\nn,1,1,eight,G2\n"), file("pods.csv", PODS));
        assertThat(badNodes.err()).contains("bad-nodes.csv line 2, field gpu: \"eight\" is not a number");
    }

    @Test
    @DisplayName("wrong flags exit 2: unknown policy, missing --pods, target load out of range; and the same for time mode")
    void wrongFlags() throws IOException {
        Path nodes = file("nodes.csv", NODES);
        Path pods = file("pods.csv", PODS);
        assertThat(replay(nodes, pods, "--policy", "tetris").err()).contains("unknown policy \"tetris\"");
        assertThat(replay(nodes, pods, "--policy", "tetris").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(replay(nodes, pods, "--target-load", "0").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("sched", "replay", "--mode", "packing", "--nodes", nodes.toString()).err()).contains("needs --nodes NODES.csv and --pods PODS.csv");
        assertThat(Cli.run("sched", "replay", "--mode", "sideways").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("sched", "replay", "--mode", "time", "--jobs", "a.csv", "--format", "itp").err()).contains("needs --jobs FILE");
        assertThat(Cli.run("sched", "replay", "--mode", "time", "--jobs", "a.csv", "--format", "slurm", "--gpus", "8").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("sched", "replay", "--mode", "time", "--jobs", "a.csv", "--format", "itp", "--gpus", "8", "--quota", "a").exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("sched", "replay", "--mode", "packing", "--seed", "x").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    @DisplayName("--plot draws every policy's allocation curve as a PNG")
    void plot() throws IOException {
        Path png = dir.resolve("curves.png");
        Cli.Result r = replay(file("nodes.csv", NODES), file("pods.csv", PODS), "--policy", "all", "--plot", png.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(640);
    }

    @Test
    @DisplayName("time mode replays ITP clusters as tenants, every policy in one run, and checks each quota against a strict partition")
    void timeMode() throws IOException {
        Path itp = Path.of("../core/src/test/resources/traces/itp");
        Path out = dir.resolve("time.json");
        Cli.Result r = Cli.run("sched", "replay", "--mode", "time", "--format", "itp", "--gpus", "64", "--gpus-per-node", "8",
                "--jobs", itp.resolve("cluster10.csv").toString(), "--jobs", itp.resolve("cluster05.csv").toString(),
                "--quota", "cluster10=16", "--quota", "cluster05=16", "--policy", "all", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("millwright", "tiresias", "srtf", "fifo");
        var json = dev.millwright.resource.Json.MAPPER.readTree(out.toFile());
        assertThat(json.path("mode").asText()).isEqualTo("time");
        assertThat(json.path("policies")).hasSize(dev.millwright.sched.time.TimeReplay.policies().size());
        var millwright = json.path("policies").get(0);
        assertThat(millwright.path("policy").asText()).isEqualTo("millwright");
        for (String f : new String[] {"avgJctSeconds", "p50JctSeconds", "p99JctSeconds", "avgQueueSeconds", "p99QueueSeconds",
                "gpuUtilization", "makespanSeconds", "jainFairness"}) {
            assertThat(millwright.has(f)).as(f).isTrue();
        }
        assertThat(millwright.path("tenants")).hasSize(2);
        assertThat(millwright.path("tenants").get(0).has("avgJctSeconds")).isTrue();
    }

    @Test
    @DisplayName("time mode: a bad jobs file or a quota larger than the fleet is an error naming file, line and field")
    void timeModeBadInput() throws IOException {
        Path bad = file("bad.csv", "job_id,submission_time,num_gpu\n1,0,1\n");
        Cli.Result missing = Cli.run("sched", "replay", "--mode", "time", "--format", "itp", "--gpus", "8", "--jobs", bad.toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(missing.err()).contains("bad.csv line 1, field duration");
        Path negative = file("neg.csv", "job_id,submission_time,duration,num_gpu\n1,0,-5,1\n");
        assertThat(Cli.run("sched", "replay", "--mode", "time", "--format", "itp", "--gpus", "8", "--jobs", negative.toString()).err())
                .contains("neg.csv line 2, field duration: must not be negative");
        Path ok = file("ok.csv", "job_id,submission_time,duration,num_gpu\n1,0,5,1\n");
        Cli.Result quota = Cli.run("sched", "replay", "--mode", "time", "--format", "itp", "--gpus", "8", "--jobs", ok.toString(), "--quota", "ok=16");
        assertThat(quota.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(quota.err()).contains("more than the fleet's 8");
    }

    @Test
    @DisplayName("--help explains both modes and the policies without asking for --mode")
    void help() {
        Cli.Result help = Cli.run("sched", "replay", "--help");
        assertThat(help.exit()).as(help.toString()).isZero();
        assertThat(help.out()).contains("--target-load", "--jobs", "allocationByArrivedPercent[p]", "kueue", "millwright").doesNotContain("WARN");
        assertThat(help.err()).doesNotContain("WARN");
    }
}
