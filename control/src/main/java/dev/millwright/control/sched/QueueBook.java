package dev.millwright.control.sched;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.fleet.GpuModels;
import dev.millwright.resource.Resource;
import dev.millwright.sched.Scheduler;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Queue objects as the scheduler engine takes them, and which queue each workload counts against.
 *
 * <p>A queue's engine name is {@code tenant/name}. Project queues divide their tenant's root queue: each is
 * guaranteed its own share, and the root keeps what its projects are not given for work of no project; the
 * root's limit bounds the tenant's use with its projects. Shares are per GPU model as machines report them;
 * a queue may name a model short ("H100 80GB").
 */
final class QueueBook {
    /** The engine queue of a tenant with no Queue: no guarantee, it borrows what is idle. */
    static final String DEFAULT = "(default)";

    private final Map<String, Resource> byName = new TreeMap<>();

    QueueBook(Collection<Resource> queues) {
        for (Resource q : queues) byName.put(q.tenant() + "/" + q.name(), q);
    }

    /** Tells the engine every queue, with its shares of each GPU model in {@code models}. */
    void register(Scheduler engine, Collection<String> models, Collection<String> tenants) {
        Map<String, Map<String, Integer>> childGuarantees = new HashMap<>();
        byName.forEach((name, q) -> {
            String parent = parentOf(q);
            if (parent == null) return;
            for (String m : models) childGuarantees.computeIfAbsent(parent, k -> new HashMap<>()).merge(m, guaranteed(q, m), Integer::sum);
        });
        byName.forEach((name, q) -> {
            Map<String, Scheduler.Share> shares = new HashMap<>();
            for (String model : models) {
                JsonNode share = shareOf(q, model);
                if (share == null) continue;
                int guaranteed = share.path("guaranteed").asInt();
                int own = Math.max(0, guaranteed - childGuarantees.getOrDefault(name, Map.of()).getOrDefault(model, 0));
                int limit = share.has("limit") ? share.get("limit").asInt() : Integer.MAX_VALUE;
                int lending = Math.min(own, share.has("lendingLimit") ? share.get("lendingLimit").asInt() : own);
                shares.put(model, new Scheduler.Share(own, limit, lending));
            }
            // CPU in cores and memory in GiB on the Queue; millicores and MiB in the engine
            resourceShare(q.spec().path("cpu"), 1000).ifPresent(sh -> shares.put(Scheduler.CPU, sh));
            resourceShare(q.spec().path("memoryGiB"), 1024).ifPresent(sh -> shares.put(Scheduler.MEMORY, sh));
            engine.setQueue(name, parentOf(q), shares, q.spec().path("overQuotaWeight").asDouble(1));
        });
        for (String tenant : tenants) {
            if (rootOf(tenant) == null) engine.setQueue(tenant + "/" + DEFAULT, Map.of(), 1);
        }
    }

    private static java.util.Optional<Scheduler.Share> resourceShare(JsonNode share, long unit) {
        if (!share.isObject()) return java.util.Optional.empty();
        int guaranteed = FleetView.clamp(share.path("guaranteed").asLong() * unit);
        int limit = share.has("limit") ? FleetView.clamp(share.get("limit").asLong() * unit) : Integer.MAX_VALUE;
        int lending = share.has("lendingLimit") ? FleetView.clamp(share.get("lendingLimit").asLong() * unit) : guaranteed;
        return java.util.Optional.of(new Scheduler.Share(guaranteed, limit, Math.min(lending, guaranteed)));
    }

    /** The engine queue a workload counts against: the one it names, its project's, its tenant's root, or the default. */
    String queueOf(Resource workload) {
        String tenant = workload.tenant();
        String named = workload.spec().path("queue").asText("");
        if (!named.isEmpty() && byName.containsKey(tenant + "/" + named)) return tenant + "/" + named;
        String project = workload.spec().path("project").asText("");
        if (!project.isEmpty()) {
            for (var e : byName.entrySet()) {
                Resource q = e.getValue();
                if (q.tenant().equals(tenant) && project.equals(q.spec().path("project").asText())) return e.getKey();
            }
        }
        String root = rootOf(tenant);
        return root != null ? root : tenant + "/" + DEFAULT;
    }

    /** The Queue object behind an engine queue, or null for a default one. */
    Resource queue(String name) {
        return byName.get(name);
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private String rootOf(String tenant) {
        for (var e : byName.entrySet()) {
            if (e.getValue().tenant().equals(tenant) && parentOf(e.getValue()) == null) return e.getKey();
        }
        return null;
    }

    private static String parentOf(Resource q) {
        String parent = q.spec().path("parent").asText("");
        return parent.isEmpty() ? null : q.tenant() + "/" + parent;
    }

    static int guaranteed(Resource q, String model) {
        JsonNode share = shareOf(q, model);
        return share == null ? 0 : share.path("guaranteed").asInt();
    }

    /** The queue's share of a model, named in full or short; null when it names none. */
    static JsonNode shareOf(Resource q, String model) {
        var it = q.spec().path("gpus").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (GpuModels.matches(e.getKey(), model)) return e.getValue();
        }
        return null;
    }
}
