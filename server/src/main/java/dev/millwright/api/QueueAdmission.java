package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.fleet.GpuModels;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.sched.SchedKinds;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a Queue against its relatives: its parent chain ends at a root (no cycle), and what the
 * children of a queue are guaranteed fits in what it is guaranteed, per GPU model, CPU and memory.
 */
final class QueueAdmission {
    private QueueAdmission() {
    }

    static void check(ResourceStore store, Resource queue, Map<String, List<String>> errors) {
        String parent = queue.spec().path("parent").asText("");
        Set<String> seen = new HashSet<>(List.of(queue.name()));
        String at = parent;
        while (!at.isEmpty()) {
            if (!seen.add(at)) {
                add(errors, "spec.parent", "queue " + parent + " descends from " + queue.name() + ": the hierarchy would be a cycle");
                return;
            }
            at = store.get(new ResourceKey(SchedKinds.QUEUE, queue.tenant(), at)).map(q -> q.spec().path("parent").asText("")).orElse("");
        }
        List<Resource> all = store.listAll(new ListOptions(SchedKinds.QUEUE, Set.of(queue.tenant()), null, ListOptions.MAX_LIMIT, null)).items();
        if (!parent.isEmpty()) {
            store.get(new ResourceKey(SchedKinds.QUEUE, queue.tenant(), parent)).ifPresent(p -> {
                List<JsonNode> siblings = new ArrayList<>();
                for (Resource q : all) {
                    if (!q.name().equals(queue.name()) && q.spec().path("parent").asText("").equals(parent)) siblings.add(q.spec());
                }
                siblings.add(queue.spec());
                fits(p.name(), p.spec(), siblings, "spec", errors);
            });
        }
        List<JsonNode> children = new ArrayList<>();
        for (Resource q : all) if (q.spec().path("parent").asText("").equals(queue.name())) children.add(q.spec());
        if (!children.isEmpty()) fits(queue.name(), queue.spec(), children, "spec", errors);
    }

    /** The children's guarantees, summed, within the parent's, for every resource the parent guarantees or they ask. */
    private static void fits(String parentName, JsonNode parent, List<JsonNode> children, String path, Map<String, List<String>> errors) {
        Map<String, Long> asked = new java.util.TreeMap<>();
        for (JsonNode c : children) {
            // "H100 80GB" and "NVIDIA H100 80GB HBM3" are one model
            c.path("gpus").fields().forEachRemaining(e -> asked.merge("gpus:" + GpuModels.shortName(e.getKey()), e.getValue().path("guaranteed").asLong(), Long::sum));
            if (c.has("cpu")) asked.merge("cpu", c.path("cpu").path("guaranteed").asLong(), Long::sum);
            if (c.has("memoryGiB")) asked.merge("memoryGiB", c.path("memoryGiB").path("guaranteed").asLong(), Long::sum);
        }
        asked.forEach((resource, sum) -> {
            long has;
            String what;
            if (resource.startsWith("gpus:")) {
                String model = resource.substring(5);
                has = 0;
                for (var it = parent.path("gpus").fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (GpuModels.shortName(e.getKey()).equalsIgnoreCase(model)) {
                        has = e.getValue().path("guaranteed").asLong();
                    }
                }
                what = model + " GPUs";
            } else {
                has = parent.path(resource).path("guaranteed").asLong();
                what = resource.equals("cpu") ? "CPU cores" : "GiB of memory";
            }
            if (sum > has) {
                add(errors, path, "the queues under " + parentName + " would be guaranteed " + sum + " " + what + ", more than its " + has);
            }
        });
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
