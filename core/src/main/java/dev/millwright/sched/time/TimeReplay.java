package dev.millwright.sched.time;

import dev.millwright.sched.trace.TraceException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Time replay of job traces: the engine behind {@code millwright sched replay --mode time}.
 *
 * <p>Each jobs file is one tenant (named after the file, without its extension). Jobs arrive at their
 * submission time, wait, run on whole GPUs of nodes of {@code gpusPerNode} GPUs (a gang: all GPUs at once; a job
 * of at most one node's GPUs on one node, a larger one on the fewest nodes: whole idle nodes plus one for the
 * remainder), may be preempted and resumed with the service they attained, and finish after {@code duration}
 * seconds of service. Figures: job completion time (finish - submission), queueing delay (first start -
 * submission), GPU utilization (GPU-seconds held / (GPUs x makespan)), Jain's fairness index over tenants, the
 * same per tenant, and, for each tenant with a guaranteed quota, the same figures when it runs alone on a
 * fleet of its quota under the same policy (the strict partition its guarantee is judged against).
 *
 * <p>Bad input (a missing column, a negative duration, a job larger than the fleet, a quota naming no tenant,
 * quotas adding up to more than the fleet) is refused before anything runs, with a {@link TraceException} or a
 * {@link BadRequestException} whose message names the file, the line and the field.
 */
public final class TimeReplay {
    /** The {@code --policy} value that runs every policy on the same input. */
    public static final String ALL = "all";
    /** The policy used when none is named. */
    public static final String DEFAULT_POLICY = "millwright";
    /** GPUs per node when none is given. */
    public static final int DEFAULT_GPUS_PER_NODE = 8;
    /**
     * Slack allowed when judging a guarantee, seconds: a tenant keeps it when its average queueing delay is at
     * most its strict-partition delay plus this (the two runs start jobs at event times that can differ by
     * rounding).
     */
    public static final double GUARANTEE_SLACK_SECONDS = 1;

    private TimeReplay() {
    }

    /** One tenant's jobs file. */
    public record JobFile(String tenant, Path path) {
        public JobFile {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(path, "path");
        }

        /** The file {@code path}, for the tenant named after it without its extension ({@code cluster01.csv} -> {@code cluster01}). */
        public static JobFile of(Path path) {
            String name = path.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return new JobFile(dot > 0 ? name.substring(0, dot) : name, path);
        }
    }

    /**
     * What to replay.
     *
     * @param jobs                  one file per tenant
     * @param format                their format
     * @param gpus                  GPUs in the fleet
     * @param gpusPerNode           GPUs per node ({@value #DEFAULT_GPUS_PER_NODE} by default)
     * @param quotas                guaranteed GPUs per tenant, keyed by tenant name, file name or path as given;
     *                              tenants not named have none
     * @param policy                a name from {@link #policies()}, or {@link #ALL}
     * @param restartPenaltySeconds overhead a preempted job pays on its GPUs each time it resumes (0 by default)
     * @param comparePartition      also replay each tenant with a quota alone on its quota (on by default)
     */
    public record Options(List<JobFile> jobs, TraceFormat format, int gpus, int gpusPerNode,
                          Map<String, Integer> quotas, String policy, double restartPenaltySeconds,
                          boolean comparePartition) {
        public Options {
            Objects.requireNonNull(format, "format");
            jobs = List.copyOf(jobs);
            quotas = Map.copyOf(quotas);
            Objects.requireNonNull(policy, "policy");
            if (jobs.isEmpty()) throw new BadRequestException("--jobs", "at least one jobs file is needed");
            if (gpus < 1) throw new BadRequestException("--gpus", "must be at least 1 (got " + gpus + ")");
            if (gpusPerNode < 1) throw new BadRequestException("--gpus-per-node", "must be at least 1 (got " + gpusPerNode + ")");
            if (!(restartPenaltySeconds >= 0) || Double.isInfinite(restartPenaltySeconds)) {
                throw new BadRequestException("restartPenaltySeconds", "must be a finite number of seconds, at least 0");
            }
            if (!policy.equals(ALL)) Policy.of(policy);
        }

        /** These files in {@code format} on {@code gpus} GPUs, with every other setting at its default. */
        public static Options of(List<Path> files, TraceFormat format, int gpus) {
            return new Options(files.stream().map(JobFile::of).toList(), format, gpus, DEFAULT_GPUS_PER_NODE,
                    Map.of(), DEFAULT_POLICY, 0, true);
        }

        public Options withGpusPerNode(int n) {
            return new Options(jobs, format, gpus, n, quotas, policy, restartPenaltySeconds, comparePartition);
        }

        public Options withQuotas(Map<String, Integer> q) {
            return new Options(jobs, format, gpus, gpusPerNode, q, policy, restartPenaltySeconds, comparePartition);
        }

        public Options withPolicy(String p) {
            return new Options(jobs, format, gpus, gpusPerNode, quotas, p, restartPenaltySeconds, comparePartition);
        }

        public Options withRestartPenaltySeconds(double s) {
            return new Options(jobs, format, gpus, gpusPerNode, quotas, policy, s, comparePartition);
        }

        public Options withComparePartition(boolean on) {
            return new Options(jobs, format, gpus, gpusPerNode, quotas, policy, restartPenaltySeconds, on);
        }
    }

    /**
     * Figures over a set of finished jobs. Times in seconds; {@code NaN} when there are no jobs.
     *
     * @param avgWaitSeconds  mean of JCT - duration: all the time a job was not being served, preemptions included
     * @param avgSlowdown     mean of JCT / max(duration, 10 s), at least 1 per job
     * @param gpuUtilization  GPU-seconds held by these jobs / (fleet GPUs x the whole replay's makespan)
     * @param makespanSeconds last finish - first submission of these jobs
     */
    public record Figures(int jobs, double avgJctSeconds, double p50JctSeconds, double p99JctSeconds,
                          double avgQueueSeconds, double p50QueueSeconds, double p99QueueSeconds,
                          double avgWaitSeconds, double avgSlowdown, double gpuUtilization, double makespanSeconds) {
        void write(ObjectNode o) {
            o.put("jobs", jobs);
            put(o, "avgJctSeconds", avgJctSeconds);
            put(o, "p50JctSeconds", p50JctSeconds);
            put(o, "p99JctSeconds", p99JctSeconds);
            put(o, "avgQueueSeconds", avgQueueSeconds);
            put(o, "p50QueueSeconds", p50QueueSeconds);
            put(o, "p99QueueSeconds", p99QueueSeconds);
            put(o, "avgWaitSeconds", avgWaitSeconds);
            put(o, "avgSlowdown", avgSlowdown);
            put(o, "gpuUtilization", gpuUtilization);
            put(o, "makespanSeconds", makespanSeconds);
        }
    }

    /**
     * One tenant's figures in the shared replay, and alone on its quota.
     *
     * @param partition                  the same policy with the tenant alone on a fleet of its quota; null
     *                                   without a quota or when the comparison was not asked for
     * @param partitionUnschedulableJobs jobs larger than the quota, which never run in the partition (they are
     *                                   left out of {@code partition})
     */
    public record TenantResult(String tenant, int quotaGpus, Figures figures, Figures partition,
                               int partitionUnschedulableJobs) {
        /**
         * Whether the tenant waited no longer, on average, than alone on its quota: true or false, or null when
         * there is no partition to compare with. A partition that can never run some of its jobs counts as kept.
         */
        public Boolean guaranteeKept() {
            if (partition == null) return null;
            if (partitionUnschedulableJobs > 0) return true;
            return figures.avgQueueSeconds() <= partition.avgQueueSeconds() + GUARANTEE_SLACK_SECONDS;
        }
    }

    /**
     * The outcome of one policy.
     *
     * @param jainFairness  Jain's index over tenants of 1 / their mean slowdown: 1 when every tenant's jobs are
     *                      slowed down alike
     * @param passes        scheduling passes run (one per distinct event time)
     * @param replaySeconds wall time of the shared replay (not the partitions), seconds
     */
    public record Result(String policy, int gpus, int gpusPerNode, int nodes, double restartPenaltySeconds,
                         Figures figures, double jainFairness, long preemptions, long passes,
                         List<TenantResult> tenants, double replaySeconds) {
        public Result {
            tenants = List.copyOf(tenants);
        }

        /** True when every tenant with a partition kept its guarantee; null when none has one. */
        public Boolean guaranteesKept() {
            Boolean all = null;
            for (TenantResult t : tenants) {
                Boolean k = t.guaranteeKept();
                if (k != null) all = (all == null || all) && k;
            }
            return all;
        }

        /** The JSON answer of {@code --mode time}. */
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("mode", "time");
            o.put("policy", policy);
            o.put("gpus", gpus);
            o.put("gpusPerNode", gpusPerNode);
            o.put("nodes", nodes);
            put(o, "restartPenaltySeconds", restartPenaltySeconds);
            figures.write(o);
            put(o, "jainFairness", jainFairness);
            o.put("preemptions", preemptions);
            Boolean kept = guaranteesKept();
            if (kept == null) o.putNull("guaranteesKept");
            else o.put("guaranteesKept", kept);
            ArrayNode ts = o.putArray("tenants");
            for (TenantResult t : tenants) {
                ObjectNode to = ts.addObject();
                to.put("tenant", t.tenant());
                to.put("quotaGpus", t.quotaGpus());
                t.figures().write(to);
                if (t.partition() == null) {
                    to.putNull("partition");
                } else {
                    t.partition().write(to.putObject("partition"));
                    to.put("partitionUnschedulableJobs", t.partitionUnschedulableJobs());
                }
                Boolean k = t.guaranteeKept();
                if (k == null) to.putNull("guaranteeKept");
                else to.put("guaranteeKept", k);
            }
            put(o, "replaySeconds", replaySeconds);
            return o;
        }
    }

    /** The policies {@code --policy} accepts besides {@link #ALL}, in the comparison table's order. */
    public static List<String> policies() {
        return Arrays.stream(Policy.values()).map(p -> p.cliName).toList();
    }

    /**
     * Replays the jobs under {@code o.policy()}. For {@link #ALL} use {@link #runAll}.
     *
     * @throws TraceException      a jobs file cannot be replayed (file, line and field in the message)
     * @throws BadRequestException an option is wrong (its name in the message)
     */
    public static Result run(Options o) {
        if (o.policy().equals(ALL)) throw new BadRequestException("--policy", "'all' answers several results: use runAll");
        Workload w = load(o);
        return Replay.run(w, Policy.of(o.policy()), o.restartPenaltySeconds(), o.comparePartition());
    }

    /** Replays the jobs, read once, under every policy of {@link #policies()} ({@code o.policy()} is ignored). */
    public static List<Result> runAll(Options o) {
        Workload w = load(o);
        List<Result> out = new ArrayList<>();
        for (Policy p : Policy.values()) out.add(Replay.run(w, p, o.restartPenaltySeconds(), o.comparePartition()));
        return out;
    }

    /** The JSON answer of {@code --policy all}: {@code {"mode":"time","policies":[result, ...]}}. */
    public static ObjectNode toJson(List<Result> results) {
        ObjectNode o = Json.object();
        o.put("mode", "time");
        ArrayNode a = o.putArray("policies");
        for (Result r : results) a.add(r.toJson());
        return o;
    }

    /** A fixed-width comparison table, one row per result; times in hours. */
    public static String table(List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-12s %10s %10s %10s %10s %10s %10s %6s %6s %11s %11s%n", "policy",
                "avgJCT(h)", "p50JCT(h)", "p99JCT(h)", "avgQ(h)", "p99Q(h)", "avgWait(h)", "util", "Jain",
                "preemptions", "guarantees"));
        for (Result r : results) {
            Figures f = r.figures();
            b.append(String.format(Locale.ROOT, "%-12s %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f %6.3f %6.3f %11d %11s%n",
                    r.policy(), f.avgJctSeconds() / 3600, f.p50JctSeconds() / 3600, f.p99JctSeconds() / 3600,
                    f.avgQueueSeconds() / 3600, f.p99QueueSeconds() / 3600, f.avgWaitSeconds() / 3600,
                    f.gpuUtilization(), r.jainFairness(), r.preemptions(), kept(r)));
        }
        return b.toString();
    }

    private static String kept(Result r) {
        int n = 0, k = 0;
        for (TenantResult t : r.tenants()) {
            Boolean g = t.guaranteeKept();
            if (g == null) continue;
            n++;
            if (g) k++;
        }
        return n == 0 ? "-" : k + "/" + n;
    }

    /** Reads and checks every file and quota: the workload every policy then replays. */
    static Workload load(Options o) {
        List<String> tenants = new ArrayList<>();
        Map<String, JobFile> byTenant = new LinkedHashMap<>();
        for (JobFile f : o.jobs()) {
            JobFile before = byTenant.putIfAbsent(f.tenant(), f);
            if (before != null) throw new BadRequestException("--jobs", "two files give tenant '" + f.tenant()
                    + "': " + before.path() + " and " + f.path());
            tenants.add(f.tenant());
        }
        int[] quota = new int[tenants.size()];
        String[] quotaKey = new String[tenants.size()];
        long sum = 0;
        for (Map.Entry<String, Integer> e : new TreeMap<>(o.quotas()).entrySet()) {
            int t = resolveTenant(e.getKey(), o.jobs());
            if (t < 0) throw new BadRequestException("--quota " + e.getKey(), "names no tenant (tenants: "
                    + String.join(", ", tenants) + ")");
            if (quotaKey[t] != null) throw new BadRequestException("--quota " + e.getKey(), "tenant '" + tenants.get(t)
                    + "' already has a quota (--quota " + quotaKey[t] + ")");
            quotaKey[t] = e.getKey();
            Integer q = e.getValue();
            if (q == null || q < 0) throw new BadRequestException("--quota " + e.getKey(), "must be a number of GPUs, at least 0");
            quota[t] = q;
        }
        for (int q : quota) sum += q;
        if (sum > o.gpus()) throw new BadRequestException("--quota", "quotas add up to " + sum
                + " GPUs, more than the fleet's " + o.gpus() + " (--gpus)");
        Cluster shape = new Cluster(o.gpus(), o.gpusPerNode(), null);
        List<Job> jobs = new ArrayList<>();
        for (JobFile f : o.jobs()) {
            for (Job j : TraceReader.read(f.tenant(), f.path(), o.format(), o.gpus())) {
                if (!shape.couldEverFit(j.gpus())) {
                    throw new TraceException(f.path().toString(), j.line(),
                            o.format() == TraceFormat.ITP ? "num_gpu" : "num_gpus", "asks for " + j.gpus()
                            + " GPUs, which " + shape.nodes() + " nodes of at most " + o.gpusPerNode()
                            + " GPUs (" + o.gpus() + " in all) cannot hold at once");
                }
                jobs.add(j);
            }
        }
        return new Workload(tenants, quota, jobs, o.gpus(), o.gpusPerNode());
    }

    private static int resolveTenant(String key, List<JobFile> files) {
        for (int i = 0; i < files.size(); i++) {
            JobFile f = files.get(i);
            if (f.tenant().equals(key) || f.path().toString().equals(key)
                    || f.path().getFileName().toString().equals(key)) return i;
        }
        return -1;
    }

    private static void put(ObjectNode o, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) o.putNull(field);
        else o.put(field, Math.round(v * 1000) / 1000.0);
    }
}
