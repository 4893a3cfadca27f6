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
import dev.millwright.workload.ResolvedWorkload;
import dev.millwright.workload.WorkloadCheck;
import dev.millwright.workload.WorkloadKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Runs workloads through their life: resolves each against its AppTemplate and environment and hands it to
 * the scheduler as a request on its status ({@code status.request}, phase Pending); once the scheduler has
 * written placements, starts the replicas through the infrastructure port and follows them to Running,
 * Succeeded or Failed. A job whose replica fails restarts as a whole (a gang); a service asks the scheduler
 * only for the replica it lost. A preempted workload runs on for its checkpoint grace period, then stops and
 * queues again; a job resumes from the progress it checkpointed.
 *
 * <p>Each placement records whether its replica was started, so a pass after a crash starts what is missing
 * and never starts a replica twice.
 */
public final class WorkloadController implements Controller {
    static final Duration PENDING_POLL = Duration.ofSeconds(3);
    static final Duration STARTING_POLL = Duration.ofSeconds(1);
    static final Duration RUNNING_POLL = Duration.ofSeconds(5);
    /** A job restarts this often before it is given up as Failed. */
    static final int MAX_RESTARTS = 3;
    /** How long a preempted job may run on to checkpoint, unless its spec says otherwise; services stop at once. */
    public static final int DEFAULT_JOB_GRACE_SECONDS = 30;
    /** A stop that was accepted but has not stopped the replica by then is asked for again. */
    static final Duration STOP_AGAIN_AFTER = Duration.ofSeconds(30);

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
    public static String replicaId(ResourceKey key, int replica) {
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
        List<ObjectNode> placements = new ArrayList<>();
        w.status().path("placements").forEach(p -> placements.add(((ObjectNode) p).deepCopy()));
        if (w.status().path("stopping").asBoolean() && !placements.isEmpty()) {
            // a gang stopping to restart holds its GPUs until its replicas have stopped, so that neither a new
            // start on them nor the stop of the old run meets the new one
            Result waiting = stopped(ctx, w, placements);
            if (waiting != null) return waiting;
            w = ctx.get(key).orElse(null);
            if (w == null) return Result.done();
            placements.clear();
        }
        if (phase.equals("Preempting")) {
            Result waiting = preempting(ctx, w, placements);
            if (waiting != null) return waiting;
            w = ctx.get(key).orElse(null);
            if (w == null) return Result.done();
            placements.clear();
        }
        Optional<EnvironmentSnapshot> snapshot = EnvironmentSnapshot.load(ctx.store(), w.tenant(), w.spec().path("environment").asText());
        Optional<Resource> app = ctx.get(ResourceKey.platform(WorkloadKinds.APP_TEMPLATE, w.spec().path("app").asText()));
        if (snapshot.isEmpty() || app.isEmpty()) {
            return queue(ctx, w, "Blocked", snapshot.isEmpty() ? "environment " + w.spec().path("environment").asText() + " does not exist"
                    : "AppTemplate " + w.spec().path("app").asText() + " does not exist", placements, null);
        }
        if (!placements.isEmpty()) {
            Result followed = follow(ctx, w, placements);
            if (followed != null) return followed;
        }
        return request(ctx, w, app.get(), snapshot.get(), placements);
    }

    /** Starts placed replicas not yet started and looks at them all; returns null when some must be placed (again). */
    private Result follow(ControllerContext ctx, Resource w, List<ObjectNode> placements) {
        boolean job = w.status().path("job").asBoolean();
        double carried = w.status().path("checkpointProgress").asDouble(0);
        List<ObjectNode> startFailures = new ArrayList<>();
        int started = startMissing(ctx, w, placements, carried, startFailures);
        if (!startFailures.isEmpty()) {
            // not the workload's fault (its GPUs were not free yet, say): what did not start queues again, a job's
            // whole gang, a service's missing replicas; no restart is counted
            Set<Integer> failedReplicas = new HashSet<>();
            startFailures.forEach(f -> failedReplicas.add(f.path("replica").asInt()));
            List<ObjectNode> dropped = job ? List.copyOf(placements)
                    : placements.stream().filter(p -> failedReplicas.contains(p.path("replica").asInt())).toList();
            dropped.forEach(p -> stop(replicaId(w.key(), p.path("replica").asInt())));
            String why = startFailures.get(0).path("why").asText() + "; queued again";
            if (job) {
                ctx.updateStatus(w.key(), s -> s.put("stopping", true).put("reason", why));
                return Result.requeueAfter(STARTING_POLL);
            }
            placements.removeAll(dropped);
            ctx.updateStatus(w.key(), s -> {
                ArrayNode kept = s.putArray("placements");
                placements.forEach(kept::add);
                if (placements.isEmpty()) s.put("phase", "Pending");
                s.put("reason", why);
                return s;
            });
            return null;
        }
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
                            + o.state().name().toLowerCase(Locale.ROOT) + ": " + o.message();
                }
            }
            progress += o.progress();
        }
        int expected = w.status().path("replicas").asInt(placements.size());
        long staying = placements.stream().filter(p -> !p.path("moving").asBoolean()).count();
        if (lost.isEmpty() && !job && staying < expected && !w.status().path("request").has("gpusPerReplica")) {
            // a service short of replicas, or with replicas that must move off a node being emptied, whose request
            // is not out yet: ask for them (a moving replica keeps serving until its replacement runs)
            return null;
        }
        if (lost.isEmpty() && !job && staying < placements.size()) running -= retireMoved(ctx, w, placements, expected);
        if (lost.isEmpty()) {
            boolean whole = placements.size() >= expected;
            String phase = job && succeeded == placements.size() ? "Succeeded"
                    : running + succeeded == placements.size() || (!job && running >= expected) ? "Running" : "Starting";
            double done = carried + (1 - carried) * progress / placements.size();
            int ready = running;
            ctx.updateStatus(w.key(), s -> {
                // the scheduler may have preempted it since it was read: that phase is not this pass's to undo
                if (s.path("phase").asText().equals("Preempting")) return s;
                s.put("observedGeneration", w.metadata().generation());
                s.put("phase", phase);
                if (phase.equals("Running") && whole) s.put("reason", "");
                s.put("readyReplicas", ready);
                if (job) s.put("progress", Math.round(done * 1000) / 1000.0);
                if (phase.equals("Succeeded")) {
                    s.set("placements", Json.MAPPER.createArrayNode());
                    s.remove("request");
                }
                return s;
            });
            if (!phase.equals(w.status().path("phase").asText())) ctx.event(w.key(), "Normal", "Workload" + phase, describe(w, placements));
            if (phase.equals("Succeeded")) return Result.done();
            return Result.requeueAfter(phase.equals("Running") && started == 0 ? RUNNING_POLL : STARTING_POLL);
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
                    s.remove("request");
                    return s;
                });
                ctx.event(w.key(), "Warning", "WorkloadFailed", why);
                return Result.done();
            }
            ctx.updateStatus(w.key(), s -> s.put("restarts", restarts).put("reason", "restarting: " + why).put("stopping", true));
            return Result.requeueAfter(STARTING_POLL);
        } else {
            lost.forEach(p -> stop(replicaId(w.key(), p.path("replica").asInt())));
            placements.removeAll(lost);
        }
        return null;
    }

    /**
     * Stops a service's moving replicas once as many others run as it should have, and drops their placements;
     * returns how many running replicas it stopped. Until then a moving replica keeps serving.
     */
    private int retireMoved(ControllerContext ctx, Resource w, List<ObjectNode> placements, int expected) {
        int runningStaying = 0;
        for (ObjectNode p : placements) {
            if (p.path("moving").asBoolean()) continue;
            if (infra.workload(replicaId(w.key(), p.path("replica").asInt())).state() == WorkloadObservation.State.RUNNING) runningStaying++;
        }
        if (runningStaying < expected) return 0;
        List<ObjectNode> moved = placements.stream().filter(p -> p.path("moving").asBoolean()).toList();
        moved.forEach(p -> stop(replicaId(w.key(), p.path("replica").asInt())));
        placements.removeAll(moved);
        ctx.updateStatus(w.key(), s -> {
            ArrayNode kept = s.putArray("placements");
            placements.forEach(kept::add);
            return s;
        });
        List<String> where = new ArrayList<>();
        moved.forEach(p -> where.add("replica " + p.path("replica").asInt() + " on " + p.path("machine").asText()));
        ctx.event(w.key(), "Normal", "Moved", String.join(", ", where) + " stopped: its replacement runs");
        return moved.size();
    }

    /** Starts the replicas the scheduler placed that were not started yet, and records each as started. */
    private int startMissing(ControllerContext ctx, Resource w, List<ObjectNode> placements, double carried, List<ObjectNode> failed) {
        List<ObjectNode> fresh = placements.stream().filter(p -> !p.path("started").asBoolean()).toList();
        if (fresh.isEmpty()) return 0;
        JsonNode request = w.status().path("placed");
        int share = request.path("gpuShare").asInt(1000);
        double workPerReplica = request.path("workSeconds").asDouble(0) * (1 - carried) / Math.max(1, placements.size());
        for (ObjectNode p : fresh) {
            String id = replicaId(w.key(), p.path("replica").asInt());
            List<Integer> gpus = new ArrayList<>();
            p.path("gpus").forEach(g -> gpus.add(g.asInt()));
            // a replica alive in the world (started before a crash) is not started twice; one that ended (an
            // earlier run of a gang, or of a namesake) starts afresh
            WorkloadObservation.State state = infra.workload(id).state();
            if (state == WorkloadObservation.State.RUNNING || state == WorkloadObservation.State.PENDING) {
                p.put("started", true);
                continue;
            }
            Operation op = infra.startWorkload(new WorkloadPlacement(id, p.path("machine").asText(), gpus, share, workPerReplica));
            if (op.state() == Operation.State.FAILED) {
                ctx.event(w.key(), "Warning", "StartFailed", id + " on " + p.path("machine").asText() + ": " + op.message());
                failed.add(p.deepCopy().put("why", "replica " + p.path("replica").asInt() + " on " + p.path("machine").asText()
                        + " did not start: " + op.message()));
            }
            p.put("started", true);
        }
        ctx.updateStatus(w.key(), s -> {
            ArrayNode out = s.putArray("placements");
            placements.forEach(out::add);
            return s;
        });
        return fresh.size();
    }

    /**
     * A gang that stops to restart: null once no replica runs any more (its placements are then cleared and it
     * queues again), a requeue until then; a stop that did not take is asked again.
     */
    private Result stopped(ControllerContext ctx, Resource w, List<ObjectNode> placements) {
        long now = ctx.clock().millis();
        boolean running = false;
        boolean asked = false;
        for (ObjectNode pl : placements) {
            String id = replicaId(w.key(), pl.path("replica").asInt());
            WorkloadObservation.State state = infra.workload(id).state();
            if (state == WorkloadObservation.State.RUNNING || state == WorkloadObservation.State.PENDING) {
                running = true;
                if (now - w.status().path("stopAskedAt").asLong(0) > STOP_AGAIN_AFTER.toMillis() && stop(id)) asked = true;
            }
        }
        if (running) {
            if (asked) ctx.updateStatus(w.key(), s -> s.put("stopAskedAt", now));
            return Result.requeueAfter(STARTING_POLL);
        }
        ctx.updateStatus(w.key(), s -> {
            s.set("placements", Json.MAPPER.createArrayNode());
            s.remove("stopping");
            s.remove("stopAskedAt");
            if (!"Preempting".equals(s.path("phase").asText())) s.put("phase", "Pending");
            return s;
        });
        return null;
    }

    /**
     * A workload the scheduler preempted runs on until its grace period ends (a job checkpoints meanwhile), then
     * stops and goes back to Pending; null once it has, a requeue while the grace period lasts.
     */
    private Result preempting(ControllerContext ctx, Resource w, List<ObjectNode> placements) {
        JsonNode p = w.status().path("preemption");
        // the grace runs on the world's clock, as the work it protects does (a twin may run faster than the wall)
        long worldNow = infra.clock().millis();
        if (!p.has("graceEndsAt")) {
            long ends = worldNow + p.path("graceSeconds").asLong() * 1000;
            ctx.updateStatus(w.key(), s -> {
                if (s.path("preemption").isObject()) ((ObjectNode) s.get("preemption")).put("graceEndsAt", ends);
                return s;
            });
            return Result.requeueAfter(STARTING_POLL);
        }
        long deadline = p.path("graceEndsAt").asLong();
        long now = ctx.clock().millis();
        if (worldNow < deadline) return Result.requeueAfter(Duration.ofMillis(Math.min(deadline - worldNow, RUNNING_POLL.toMillis())));
        // its GPUs are free only once its replicas have stopped: until then it stays Preempting and holds them
        boolean stopping = false;
        boolean stopsAsked = false;
        double progress = 0;
        for (ObjectNode pl : placements) {
            String id = replicaId(w.key(), pl.path("replica").asInt());
            WorkloadObservation o = infra.workload(id);
            progress += o.progress();
            if (o.state() == WorkloadObservation.State.RUNNING || o.state() == WorkloadObservation.State.PENDING) {
                stopping = true;
                // asked once; asked again when a stop that was accepted has not taken effect in a while
                if (now - p.path("stopRequestedAt").asLong(0) > STOP_AGAIN_AFTER.toMillis() && stop(id)) stopsAsked = true;
            }
        }
        if (stopping) {
            if (stopsAsked) {
                ctx.updateStatus(w.key(), s -> {
                    if (s.path("preemption").isObject()) ((ObjectNode) s.get("preemption")).put("stopRequestedAt", now);
                    return s;
                });
            }
            return Result.requeueAfter(STARTING_POLL);
        }
        double carried = w.status().path("checkpointProgress").asDouble(0);
        // a job that had a grace period checkpointed: it resumes from there; without one, what it did since is lost
        double checkpoint = p.path("graceSeconds").asLong() > 0 && !placements.isEmpty()
                ? carried + (1 - carried) * progress / placements.size() : carried;
        String why = "preempted by " + p.path("by").asText() + ": " + p.path("reason").asText();
        ctx.updateStatus(w.key(), s -> {
            s.put("phase", "Pending").put("reason", why);
            s.put("preemptions", s.path("preemptions").asInt() + 1);
            if (s.path("job").asBoolean()) s.put("checkpointProgress", Math.round(checkpoint * 1000) / 1000.0);
            s.set("placements", Json.MAPPER.createArrayNode());
            s.remove("preemption");
            return s;
        });
        ctx.event(w.key(), "Warning", "Preempted", why + (w.status().path("job").asBoolean()
                ? String.format(Locale.ROOT, "; resumes from %.0f%%", checkpoint * 100) : ""));
        return null;
    }

    /** Resolves the workload and asks the scheduler for the replicas it lacks, all of them or none. */
    private Result request(ControllerContext ctx, Resource w, Resource app, EnvironmentSnapshot env, List<ObjectNode> kept) {
        WorkloadCheck.Result check = WorkloadCheck.check(w, app.name(), app.spec(), env.view(), env.inUse(w.name()));
        if (!check.admitted()) {
            String reason = check.errors().entrySet().iterator().next().getValue().get(0);
            return queue(ctx, w, "Pending", reason, kept, null);
        }
        ResolvedWorkload r = check.workload();
        if (r.gpusPerReplica() == 0) {
            // no GPUs: nothing to place on GPU nodes; the twin runs only GPU work
            return queue(ctx, w, "Running", "", kept, r);
        }
        Set<Integer> present = new HashSet<>();
        kept.forEach(p -> present.add(p.path("replica").asInt()));
        ObjectNode req = Json.object();
        req.put("gpuModel", r.gpuModel()).put("gpusPerReplica", r.gpusPerReplica()).put("gpuShare", r.gpuShare())
                .put("priorityClass", w.spec().path("priorityClass").asText("batch")).put("spread", !r.job())
                .put("job", r.job()).put("workSeconds", r.job() ? r.workGpuHours() * 3600 : 0)
                .put("graceSeconds", w.spec().path("checkpointGraceSeconds").asInt(r.job() ? DEFAULT_JOB_GRACE_SECONDS : 0))
                .put("cpuMillis", Quantities.millicores(r.cpu())).put("memoryMiB", Quantities.mebibytes(r.memory()))
                .put("generation", w.metadata().generation());
        ArrayNode missing = req.putArray("replicaIndexes");
        // as many as it lacks, under the lowest numbers not in use: a moving replica's replacement gets a number of its own
        long staying = kept.stream().filter(p -> !p.path("moving").asBoolean()).count();
        for (int i = 0; staying + missing.size() < r.replicas(); i++) if (!present.contains(i)) missing.add(i);
        String phase = kept.isEmpty() ? "Pending" : "Running";
        String reason = kept.isEmpty() ? "queued" : missing.size() + " of " + r.replicas() + " replicas queued to be placed again";
        boolean same = Json.equivalent(req, w.status().path("request"));
        return queue(ctx, w, phase, same ? null : reason, kept, r, req);
    }

    private Result queue(ControllerContext ctx, Resource w, String phase, String reason, List<ObjectNode> kept, ResolvedWorkload r) {
        return queue(ctx, w, phase, reason, kept, r, null);
    }

    private Result queue(ControllerContext ctx, Resource w, String phase, String reason, List<ObjectNode> kept, ResolvedWorkload r,
                         ObjectNode request) {
        String before = w.status().path("reason").asText("");
        List<String> readPlacements = where(w.status().path("placements"));
        String readPhase = w.status().path("phase").asText("");
        ctx.updateStatus(w.key(), s -> {
            // the scheduler bound or preempted it since it was read: that is not this pass's to undo; the next one decides
            if (!s.path("phase").asText("").equals(readPhase) || !where(s.path("placements")).equals(readPlacements)) return s;
            s.put("observedGeneration", w.metadata().generation());
            s.put("phase", phase);
            if (reason != null) s.put("reason", reason); // null: the request is out; why it waits is the scheduler's to say
            ArrayNode p = s.putArray("placements");
            kept.forEach(p::add);
            if (request != null) s.set("request", request);
            else s.remove("request");
            if (r != null) {
                s.put("job", r.job());
                s.put("namespace", r.namespace());
                s.put("replicas", r.replicas());
                s.put("totalGpus", r.totalGpus());
                if (r.gpuModel() != null) {
                    s.put("gpuModel", r.gpuModel());
                    String each = r.migProfile() != null ? " (MIG " + r.migProfile() + " each)"
                            : r.fractional() ? String.format(Locale.ROOT, " (%.2f each)", r.gpuShare() / 1000.0) : "";
                    s.put("gpus", r.totalGpus() + "x " + GpuModels.shortName(r.gpuModel()) + each);
                } else {
                    s.put("gpus", "none");
                }
                if (r.frameworkVersion() != null) s.put("framework", r.frameworkPack() + " " + r.frameworkVersion());
            }
            return s;
        });
        if (reason != null && !reason.isEmpty() && !reason.equals(before) && !reason.equals("queued")) ctx.event(w.key(), "Normal", "Waiting", reason);
        return Result.requeueAfter(PENDING_POLL);
    }

    /** Where placements put the replicas, without whether they were started yet. */
    private static List<String> where(JsonNode placements) {
        List<String> out = new ArrayList<>();
        placements.forEach(p -> out.add(p.path("replica").asInt() + "@" + p.path("machine").asText() + p.path("gpus")));
        return out;
    }

    private static String describe(Resource w, List<ObjectNode> placements) {
        List<String> parts = new ArrayList<>();
        placements.forEach(p -> parts.add(p.path("machine").asText() + p.path("gpus").toString()));
        return w.spec().path("app").asText() + " on " + String.join(", ", parts);
    }

    /**
     * Stops every replica of a deleted workload. Replicas are numbered from 0; one may be gone (a service that lost
     * it), so the search ends only after several unknown numbers in a row.
     */
    private void stopAll(ResourceKey key) {
        int unknown = 0;
        for (int r = 0; r < 1000 && unknown < 8; r++) {
            String id = replicaId(key, r);
            WorkloadObservation o = infra.workload(id);
            unknown = o.state() == WorkloadObservation.State.UNKNOWN ? unknown + 1 : 0;
            if (o.state() == WorkloadObservation.State.RUNNING || o.state() == WorkloadObservation.State.PENDING) stop(id);
        }
    }

    /** Asks the world to stop a replica; false when it could not be asked (the machine is unreachable, say). */
    private boolean stop(String id) {
        try {
            return infra.stopWorkload(id).state() != Operation.State.FAILED;
        } catch (UnreachableException e) {
            return false; // gone, or not reachable now: looked at again by the next pass
        }
    }
}
