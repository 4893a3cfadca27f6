package dev.millwright.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import dev.millwright.sched.packing.PackingNode;
import dev.millwright.sched.packing.PackingPod;
import dev.millwright.sched.packing.PackingReplay;
import dev.millwright.sched.packing.PackingResult;
import dev.millwright.sched.trace.OpenbNode;
import dev.millwright.sched.trace.OpenbPod;
import dev.millwright.sched.trace.OpenbTrace;
import dev.millwright.sched.time.TimeReplay;
import dev.millwright.sched.time.TraceFormat;
import dev.millwright.sched.trace.TraceException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code millwright sched}: the GPU scheduler offline. {@code replay} runs a cluster trace through the scheduling
 * policies in this process, with no server: the engines are pure, so a replay is a function of its files and seed.
 */
@Command(name = "sched", mixinStandardHelpOptions = true, description = "Replay GPU cluster traces against the scheduling policies, locally.",
        subcommands = {SchedCommand.Replay.class})
final class SchedCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code sched replay --mode packing|time ...}. */
    @Command(name = "replay", sortOptions = false, mixinStandardHelpOptions = true, description = {
            "Replay a trace and report how a policy does.",
            "",
            "--mode packing: the packing experiment of the FGD paper (ATC'23) on the openb format. The trace's pods are "
                    + "tuned with the seed to --target-load x GPU capacity (random copies appended, or random pods removed), "
                    + "shuffled, and placed one by one; nothing departs, a pod that fits nowhere fails for good. Reports GPU "
                    + "allocation against arrived GPU demand: allocationByArrivedPercent[p] is the allocation after the last pod "
                    + "whose cumulative request is at most p%% of capacity, p = 0..130.",
            "  millwright sched replay --mode packing --nodes NODES.csv --pods PODS.csv --policy all --seed 1 --out r.json --plot r.png",
            "--mode time: a replay over time of job traces, each --jobs file one tenant (itp: job_id,submission_time,duration,num_gpu; "
                    + "philly-vc: Gavel's per-VC files), on --gpus GPUs in nodes of --gpus-per-node, with --quota FILE=GPUS guarantees. "
                    + "Reports JCT, queueing, utilization, makespan and Jain fairness, overall and per tenant, and each quota'd tenant "
                    + "against a strict partition (alone on its quota).",
            "  millwright sched replay --mode time --format itp --gpus 512 --jobs c01.csv --jobs c02.csv --quota c01.csv=64 --policy all",
            "",
            "Packing policies: millwright (production: FGD with memory-aware fragmentation, CPU/GPU balance among equal "
                    + "scores, exact GPU choice, CPU-only pods kept off GPU nodes' CPU), fgd (Fragmentation Gradient Descent as the paper's simulator), best-fit, "
                    + "dot-prod, gpu-packing, random (the paper's baselines), fifo (first node of the node list that fits), "
                    + "first-fit (first node in the simulator's seeded node order; with no queue in a packing replay, FIFO and "
                    + "backfill coincide), kueue (no quota to apply, so kube-scheduler's default spreading placement), all.",
            "Time policies: millwright (production: quota laid out as node allotments, guaranteed work first by least attained "
                    + "service, idle capacity lent and reclaimed by preempting borrowers, backfill), fifo, first-fit (FIFO with backfill), "
                    + "kueue (quota + borrowing, FIFO within a queue, no preemption), best-fit, dot-prod, gpu-packing, fgd, tiresias (2D-LAS), "
                    + "srtf (oracle that knows durations), all.",
            ""})
    static final class Replay implements Callable<Integer> {
        @Option(names = "--mode", required = true, paramLabel = "packing|time", description = "packing or time")
        String mode;

        @Option(names = "--nodes", paramLabel = "NODES.csv", description = "packing: node list (openb: sn,cpu_milli,memory_mib,gpu,model)")
        Path nodes;

        @Option(names = "--pods", paramLabel = "PODS.csv", description = "packing: pod list (openb: name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec)")
        Path pods;

        @Option(names = "--target-load", paramLabel = "X", defaultValue = "1.3",
                description = "packing: total GPU request to tune the trace to, as a multiple of GPU capacity (default ${DEFAULT-VALUE})")
        double targetLoad;

        @Option(names = "--jobs", paramLabel = "FILE.csv", description = "time: a jobs file, one per tenant (repeatable)")
        List<Path> jobs = new ArrayList<>();

        @Option(names = "--format", paramLabel = "itp|philly-vc", description = "time: format of the jobs files")
        String format;

        @Option(names = "--gpus", paramLabel = "N", description = "time: GPUs of the cluster")
        Integer gpus;

        @Option(names = "--gpus-per-node", paramLabel = "N", defaultValue = "8", description = "time: GPUs per node (default ${DEFAULT-VALUE})")
        int gpusPerNode;

        @Option(names = "--quota", paramLabel = "FILE=GPUS", description = "time: guaranteed GPUs of the tenant of a jobs file (repeatable)")
        List<String> quotas = new ArrayList<>();

        @Option(names = "--policy", paramLabel = "P", defaultValue = "millwright", description = "a policy, or all (default ${DEFAULT-VALUE})")
        String policy;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the tuning, the shuffle and random choices (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--out", paramLabel = "FILE.json", description = "write the full result as JSON")
        Path out;

        @Option(names = "--plot", paramLabel = "FILE.png", description = "packing: draw the allocation curves of the policies as a PNG")
        Path plot;

        @Override
        public Integer call() {
            return switch (mode) {
                case "packing" -> packing();
                case "time" -> time();
                default -> throw new CliException(ExitCodes.USAGE, "error: --mode must be packing or time, not \"" + mode + "\"");
            };
        }

        private int packing() {
            // 1. Check the flags before reading anything.
            if (nodes == null || pods == null) {
                throw new CliException(ExitCodes.USAGE, "error: --mode packing needs --nodes NODES.csv and --pods PODS.csv");
            }
            List<String> policies = policy.equals("all") ? PackingReplay.POLICIES : List.of(policy);
            if (!policy.equals("all") && !PackingReplay.POLICIES.contains(policy)) {
                throw new CliException(ExitCodes.USAGE, "error: unknown policy \"" + policy + "\"; use one of "
                        + String.join(", ", PackingReplay.POLICIES) + " or all");
            }
            if (!(targetLoad > 0 && targetLoad <= 10)) {
                throw new CliException(ExitCodes.USAGE, "error: --target-load must be above 0 and at most 10, not " + targetLoad);
            }
            // 2. Read and check the trace: every error names file, line and field.
            List<OpenbNode> nodeRows = read(nodes, OpenbTrace::readNodes);
            List<OpenbPod> podRows = read(pods, OpenbTrace::readPods);
            try {
                OpenbTrace.checkPodsFit(nodeRows, pods.toString(), podRows);
            } catch (TraceException e) {
                throw new CliException(ExitCodes.INVALID, "error: " + e.getMessage());
            }
            List<PackingNode> packingNodes = nodeRows.stream().map(OpenbNode::toPacking).toList();
            List<PackingPod> packingPods = podRows.stream().map(OpenbPod::toPacking).toList();
            // 3. Replay each policy on the same arrivals.
            List<PackingResult> results = new ArrayList<>();
            List<Long> millis = new ArrayList<>();
            // a progress bar on a terminal only: piped output stays clean
            try (me.tongfei.progressbar.ProgressBar bar = policies.size() > 1 && System.console() != null
                    ? new me.tongfei.progressbar.ProgressBarBuilder().setTaskName("replaying").setInitialMax(policies.size())
                            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()
                    : null) {
                for (String p : policies) {
                    if (bar != null) bar.setExtraMessage(p);
                    long start = System.nanoTime();
                    try {
                        results.add(PackingReplay.run(packingNodes, packingPods, p, seed, targetLoad));
                    } catch (IllegalArgumentException e) {
                        throw new CliException(ExitCodes.INVALID, "error: cannot replay " + pods + " on " + nodes + ": " + e.getMessage());
                    }
                    millis.add((System.nanoTime() - start) / 1_000_000);
                    if (bar != null) bar.step();
                }
            }
            // 4. Report: a table for people, JSON for tools.
            PackingResult first = results.get(0);
            System.out.printf(Locale.ROOT, "packing replay of %s on %s: %d nodes, %d GPUs; %d pods tuned to %s%% of GPU capacity: %d pods, seed %d%n",
                    pods, nodes, first.nodes(), first.totalGpus(), first.tracePods(), percent(targetLoad * 100), first.pods(), seed);
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                PackingResult r = results.get(i);
                rows.add(List.of(r.policy(), percent(r.allocationAt(100)), percent(r.allocationAt(110)), percent(r.allocationAt(120)),
                        percent(r.allocationAt(130)), String.valueOf(r.scheduledPods()), String.valueOf(r.failedPods()), String.valueOf(millis.get(i))));
            }
            Output.printTable(System.out, List.of("POLICY", "ALLOC@100%", "ALLOC@110%", "ALLOC@120%", "ALLOC@130%", "SCHEDULED", "FAILED", "MS"), rows);
            System.out.println("ALLOC@p%: GPU allocation, percent of capacity, when arrived GPU demand reached p% of capacity");
            if (plot != null) {
                try {
                    AllocationPlot.write(plot, results, "GPU allocation, " + pods.getFileName() + ", seed " + seed);
                } catch (IOException e) {
                    throw new CliException(ExitCodes.ERROR, "error: cannot write " + plot + ": " + e.getMessage());
                }
                System.out.println("wrote " + plot);
            }
            if (out != null) {
                ObjectNode json = results.size() == 1 ? toJson(first, millis.get(0)) : all(results, millis);
                write(out, json);
                System.out.println("wrote " + out);
            }
            return ExitCodes.OK;
        }

        private int time() {
            if (jobs.isEmpty() || format == null || gpus == null) {
                throw new CliException(ExitCodes.USAGE, "error: --mode time needs --jobs FILE (one per tenant), --format itp|philly-vc and --gpus N");
            }
            if (!policy.equals(TimeReplay.ALL) && !TimeReplay.policies().contains(policy)) {
                throw new CliException(ExitCodes.USAGE, "error: unknown policy \"" + policy + "\"; use one of "
                        + String.join(", ", TimeReplay.policies()) + " or all");
            }
            TraceFormat traceFormat;
            try {
                traceFormat = TraceFormat.of(format);
            } catch (dev.millwright.resource.MillwrightException e) {
                throw new CliException(ExitCodes.USAGE, "error: --format must be itp or philly-vc, not \"" + format + "\"");
            }
            java.util.Map<String, Integer> quota = new java.util.LinkedHashMap<>();
            for (String q : quotas) {
                int eq = q.lastIndexOf('=');
                try {
                    if (eq <= 0) throw new NumberFormatException();
                    quota.put(q.substring(0, eq), Integer.parseInt(q.substring(eq + 1).trim()));
                } catch (NumberFormatException e) {
                    throw new CliException(ExitCodes.USAGE, "error: --quota \"" + q + "\" is not FILE=GPUS");
                }
            }
            List<TimeReplay.Result> results;
            long start = System.nanoTime();
            try {
                TimeReplay.Options o = TimeReplay.Options.of(jobs, traceFormat, gpus).withGpusPerNode(gpusPerNode)
                        .withQuotas(quota).withPolicy(policy.equals(TimeReplay.ALL) ? TimeReplay.DEFAULT_POLICY : policy);
                if (System.console() != null) System.err.print("replaying " + jobs.size() + " job files ...\r");
                results = policy.equals(TimeReplay.ALL) ? TimeReplay.runAll(o) : List.of(TimeReplay.run(o));
            } catch (TraceException | dev.millwright.resource.MillwrightException e) {
                throw new CliException(ExitCodes.INVALID, "error: " + e.getMessage());
            } catch (UncheckedIOException e) {
                throw new CliException(ExitCodes.INVALID, "error: cannot read a jobs file: " + e.getCause().getMessage());
            }
            System.out.print(TimeReplay.table(results));
            if (out != null) {
                ObjectNode json = results.size() == 1 ? results.get(0).toJson() : TimeReplay.toJson(results);
                json.put("mode", "time");
                json.put("elapsedMillis", (System.nanoTime() - start) / 1_000_000);
                write(out, json);
                System.out.println("wrote " + out);
            }
            return ExitCodes.OK;
        }

        private <T> List<T> read(Path file, BiFunction<String, Reader, List<T>> reader) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return reader.apply(file.toString(), in);
            } catch (TraceException e) {
                throw new CliException(ExitCodes.INVALID, "error: " + e.getMessage());
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCodes.INVALID, "error: " + file + ": no such file");
            } catch (IOException | UncheckedIOException e) {
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                throw new CliException(ExitCodes.INVALID, "error: cannot read " + file + ": " + cause);
            }
        }

        private ObjectNode toJson(PackingResult r, long elapsedMillis) {
            ObjectNode o = Json.object();
            o.put("mode", "packing");
            o.put("policy", r.policy());
            o.put("seed", r.seed());
            o.put("targetLoad", r.targetLoad());
            o.put("nodesFile", nodes.toString());
            o.put("podsFile", pods.toString());
            o.put("nodes", r.nodes());
            o.put("totalGpus", r.totalGpus());
            o.put("tracePods", r.tracePods());
            o.put("pods", r.pods());
            o.put("scheduledPods", r.scheduledPods());
            o.put("failedPods", r.failedPods());
            o.put("allocationAtEndPercent", round(r.allocationAtEndPercent()));
            o.put("arrivedPercentAtEnd", round(r.arrivedPercentAtEnd()));
            o.put("sampling", "allocationByArrivedPercent[p], p = 0..130: GPU allocation in percent of capacity right after the last pod "
                    + "whose cumulative GPU request (placed or failed) is at most p% of capacity; 0 before any, the final value after the last");
            ArrayNode curve = o.putArray("allocationByArrivedPercent");
            r.allocationByArrivedPercent().forEach(v -> curve.add(round(v)));
            o.put("elapsedMillis", elapsedMillis);
            return o;
        }

        private ObjectNode all(List<PackingResult> results, List<Long> millis) {
            PackingResult first = results.get(0);
            ObjectNode o = Json.object();
            o.put("mode", "packing");
            o.put("policy", "all");
            o.put("seed", seed);
            o.put("targetLoad", targetLoad);
            o.put("nodesFile", nodes.toString());
            o.put("podsFile", pods.toString());
            o.put("nodes", first.nodes());
            o.put("totalGpus", first.totalGpus());
            o.put("tracePods", first.tracePods());
            o.put("pods", first.pods());
            ArrayNode list = o.putArray("policies");
            for (int i = 0; i < results.size(); i++) list.add(toJson(results.get(i), millis.get(i)));
            o.put("elapsedMillis", millis.stream().mapToLong(Long::longValue).sum());
            return o;
        }

        private static void write(Path file, ObjectNode json) {
            try {
                Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException(ExitCodes.ERROR, "error: cannot write " + file + ": " + e);
            }
        }

        private static double round(double v) {
            return Math.round(v * 10_000) / 10_000.0;
        }

        private static String percent(double v) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
