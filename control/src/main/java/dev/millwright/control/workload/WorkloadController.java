package dev.millwright.control.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.fleet.GpuModels;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Operation;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.sched.GangPlacement;
import dev.millwright.workload.ResolvedWorkload;
import dev.millwright.workload.WorkloadCheck;
import dev.millwright.workload.WorkloadKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs workloads: resolves each against its AppTemplate and environment, places all its replicas on the
 * environment's nodes or none ({@link GangPlacement}), starts them through the infrastructure port and
 * follows them to Running, Succeeded or Failed. A job whose replica fails restarts as a whole (a gang); a
 * service re-places only the replica it lost. Placements are written on the status before anything starts,
 * so a pass after a crash finds them and does not place twice.
 */
public final class WorkloadController implements Controller {
    static final Duration PENDING_POLL = Duration.ofSeconds(3);
    static final Duration STARTING_POLL = Duration.ofSeconds(1);
    static final Duration RUNNING_POLL = Duration.ofSeconds(5);
    /** A job restarts this often before it is given up as Failed. */
    static final int MAX_RESTARTS = 3;

    private final Infrastructure infra;

    public WorkloadController(Infrastructure infra) {
        this.infra = infra;
    }

    @Override
    public String name() {
        return "workloads";
    }

    @Override
    public String kind() {
        return WorkloadKinds.WORKLOAD;
    }

    /** The name of a replica in the world: unique across tenants. */
    static String replicaId(ResourceKey key, int replica) {
        return key.tenant() + "/" + key.name() + "/" + replica;
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) {
            stopAll(key);
            return Result.done();
        }
        Resource w = found.get();
        String phase = w.status().path("phase").asText("");
        if (EnvironmentSnapshot.FINISHED.contains(phase) && w.status().path("observedGeneration").asLong() == w.metadata().generation()) {
            return Result.done();
        }
        Optional<EnvironmentSnapshot> snapshot = EnvironmentSnapshot.load(ctx.store(), w.tenant(), w.spec().path("environment").asText());
        Optional<Resource> app = ctx.get(ResourceKey.platform(WorkloadKinds.APP_TEMPLATE, w.spec().path("app").asText()));
        if (snapshot.isEmpty() || app.isEmpty()) {
            return pending(ctx, w, "Blocked", snapshot.isEmpty() ? "environment " + w.spec().path("environment").asText() + " does not exist"
                    : "AppTemplate " + w.spec().path("app").asText() + " does not exist", List.of(), null);
        }
        List<ObjectNode> placements = new ArrayList<>();
        w.status().path("placements").forEach(p -> placements.add(((ObjectNode) p).deepCopy()));
        if (!placements.isEmpty()) {
            Result followed = follow(ctx, w, placements);
            if (followed != null) return followed;
        }
        return place(ctx, w, app.get(), snapshot.get(), placements);
    }

    /** Looks at the placed replicas; returns null when some must be placed (again). */
    private Result follow(ControllerContext ctx, Resource w, List<ObjectNode> placements) {
        boolean job = w.status().path("job").asBoolean();
        int running = 0;
        int succeeded = 0;
        double progress = 0;
        List<ObjectNode> lost = new ArrayList<>();
        String lostWhy = null;
        for (ObjectNode p : placements) {
            WorkloadObservation o = infra.workload(replicaId(w.key(), p.path("replica").asInt()));
            switch (o.state()) {
                case RUNNING -> running++;
                case SUCCEEDED -> succeeded++;
                case PENDING -> { }
                case FAILED, STOPPED, UNKNOWN -> {
                    lost.add(p);
                    lostWhy = "replica " + p.path("replica").asInt() + " on " + p.path("machine").asText() + " "
                            + o.state().name().toLowerCase(java.util.Locale.ROOT) + ": " + o.message();
                }
            }
            progress += o.progress();
        }
        if (lost.isEmpty()) {
            String phase = job && succeeded == placements.size() ? "Succeeded" : running + succeeded == placements.size() ? "Running" : "Starting";
            double done = progress / placements.size();
            int ready = running;
            ctx.updateStatus(w.key(), s -> {
                s.put("observedGeneration", w.metadata().generation());
                s.put("phase", phase);
                s.put("reason", phase.equals("Running") ? "" : s.path("reason").asText(""));
                s.put("readyReplicas", ready);
                if (job) s.put("progress", Math.round(done * 1000) / 1000.0);
                if (phase.equals("Succeeded")) s.set("placements", Json.MAPPER.createArrayNode());
                return s;
            });
            if (!phase.equals(w.status().path("phase").asText())) ctx.event(w.key(), "Normal", "Workload" + phase, describe(w, placements));
            return phase.equals("Succeeded") ? Result.done() : Result.requeueAfter(phase.equals("Running") ? RUNNING_POLL : STARTING_POLL);
        }
        ctx.event(w.key(), "Warning", "ReplicaLost", lostWhy);
        if (job) {
            // a gang restarts whole: the surviving replicas cannot go on without the lost one
            placements.forEach(p -> stop(replicaId(w.key(), p.path("replica").asInt())));
            int restarts = w.status().path("restarts").asInt() + 1;
            String why = lostWhy;
            if (restarts > MAX_RESTARTS) {
                ctx.updateStatus(w.key(), s -> {
                    s.put("observedGeneration", w.metadata().generation());
                    s.put("phase", "Failed").put("reason", "restarted " + MAX_RESTARTS + " times; last: " + why).put("restarts", restarts);
                    s.set("placements", Json.MAPPER.createArrayNode());
                    return s;
                });
                ctx.event(w.key(), "Warning", "WorkloadFailed", why);
                return Result.done();
            }
            ctx.updateStatus(w.key(), s -> {
                s.put("restarts", restarts).put("reason", "restarting: " + why);
                s.set("placements", Json.MAPPER.createArrayNode());
                return s;
            });
            placements.clear();
        } else {
            lost.forEach(p -> stop(replicaId(w.key(), p.path("replica").asInt())));
            placements.removeAll(lost);
        }
        return null;
    }

    /** Resolves the workload and places the replicas it lacks, all of them or none. */
    private Result place(ControllerContext ctx, Resource w, Resource app, EnvironmentSnapshot env, List<ObjectNode> kept) {
        WorkloadCheck.Result check = WorkloadCheck.check(w, app.name(), app.spec(), env.view(), env.inUse(w.name()));
        if (!check.admitted()) {
            String reason = check.errors().entrySet().iterator().next().getValue().get(0);
            return pending(ctx, w, "Pending", reason, kept, null);
        }
        ResolvedWorkload r = check.workload();
        Set<Integer> present = new HashSet<>();
        kept.forEach(p -> present.add(p.path("replica").asInt()));
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < r.replicas(); i++) if (!present.contains(i)) missing.add(i);
        if (r.gpusPerReplica() == 0) {
            // no GPUs: nothing to place on GPU nodes; the twin runs only GPU work
            return pending(ctx, w, "Running", "", kept, r);
        }
        List<GangPlacement.Node> nodes = env.schedulableNodes(w.name()).stream().map(n -> {
            Set<Integer> unusable = new HashSet<>(n.unusable());
            kept.stream().filter(p -> p.path("machine").asText().equals(n.name())).forEach(p -> p.path("gpus").forEach(g -> unusable.add(g.asInt())));
            return new GangPlacement.Node(n.name(), n.gpuModel(), n.gpus(), unusable);
        }).toList();
        GangPlacement.Decision d = GangPlacement.place(nodes, new GangPlacement.Request(missing.size(), r.gpusPerReplica(), r.gpuModel()));
        if (!d.placed()) {
            long syncing = env.nodes().keySet().stream().filter(m -> !env.inSync(m)).count();
            String reason = syncing == 0 ? d.reason() : d.reason() + "; " + syncing + " of the environment's " + env.nodes().size()
                    + " nodes do not run " + env.view().template() + " yet";
            return pending(ctx, w, "Pending", reason, kept, r);
        }

        List<ObjectNode> all = new ArrayList<>(kept);
        for (int i = 0; i < d.placements().size(); i++) {
            GangPlacement.Placement p = d.placements().get(i);
            ObjectNode o = Json.object().put("replica", missing.get(i)).put("machine", p.machine());
            ArrayNode gpus = o.putArray("gpus");
            p.gpus().forEach(gpus::add);
            all.add(o);
        }
        all.sort(java.util.Comparator.comparingInt(p -> p.path("replica").asInt()));
        // the placement is recorded before anything starts: a crash in between finds it and starts what is missing
        writeStatus(ctx, w, "Starting", "", all, r);
        double workPerReplica = r.job() ? r.workGpuHours() * 3600 / r.replicas() : 0;
        for (int i = 0; i < d.placements().size(); i++) {
            GangPlacement.Placement p = d.placements().get(i);
            String id = replicaId(w.key(), missing.get(i));
            Operation op = infra.startWorkload(new WorkloadPlacement(id, p.machine(), p.gpus(), 1000, workPerReplica));
            if (op.state() == Operation.State.FAILED) ctx.event(w.key(), "Warning", "StartFailed", id + " on " + p.machine() + ": " + op.message());
        }
        ctx.event(w.key(), "Normal", "Placed", describe(w, all));
        return Result.requeueAfter(STARTING_POLL);
    }

    private Result pending(ControllerContext ctx, Resource w, String phase, String reason, List<ObjectNode> kept, ResolvedWorkload r) {
        String before = w.status().path("reason").asText("");
        writeStatus(ctx, w, phase, reason, kept, r);
        if (!reason.isEmpty() && !reason.equals(before)) ctx.event(w.key(), "Normal", "Waiting", reason);
        return Result.requeueAfter(PENDING_POLL);
    }

    private static void writeStatus(ControllerContext ctx, Resource w, String phase, String reason, List<ObjectNode> placements, ResolvedWorkload r) {
        ctx.updateStatus(w.key(), s -> {
            s.put("observedGeneration", w.metadata().generation());
            s.put("phase", phase);
            s.put("reason", reason);
            ArrayNode p = s.putArray("placements");
            placements.forEach(p::add);
            if (r != null) {
                s.put("job", r.job());
                s.put("namespace", r.namespace());
                s.put("totalGpus", r.totalGpus());
                if (r.gpuModel() != null) {
                    s.put("gpuModel", r.gpuModel());
                    s.put("gpus", r.totalGpus() + "x " + GpuModels.shortName(r.gpuModel()));
                } else {
                    s.put("gpus", "none");
                }
                if (r.frameworkVersion() != null) s.put("framework", r.frameworkPack() + " " + r.frameworkVersion());
            }
            return s;
        });
    }

    private static String describe(Resource w, List<ObjectNode> placements) {
        List<String> parts = new ArrayList<>();
        placements.forEach(p -> parts.add(p.path("machine").asText() + p.path("gpus").toString()));
        return w.spec().path("app").asText() + " on " + String.join(", ", parts);
    }

    /** Stops every replica of a deleted workload: replicas are numbered from 0 and were placed in order. */
    private void stopAll(ResourceKey key) {
        for (int r = 0; r < 1000; r++) {
            String id = replicaId(key, r);
            WorkloadObservation o = infra.workload(id);
            if (o.state() == WorkloadObservation.State.UNKNOWN) break;
            if (o.state() == WorkloadObservation.State.RUNNING || o.state() == WorkloadObservation.State.PENDING) stop(id);
        }
    }

    private void stop(String id) {
        try {
            infra.stopWorkload(id);
        } catch (UnreachableException e) {
            // already gone: nothing to stop
        }
    }
}
