package dev.millwright.sched;

import static dev.millwright.resource.KindDefinition.columns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Reference;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The governance kinds of the GPU scheduler: Queue (a tenant's or a project's share of the fleet). */
public final class SchedKinds {
    public static final String QUEUE = "Queue";

    private SchedKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(new KindDefinition(QUEUE, "queues",
                "A tenant's or project's share of the fleet: guaranteed, limit and lending limit per GPU model, and a weight for what is left over.",
                Scope.TENANT, Visibility.TENANT_MEMBERS, Set.of("tenant-admin"),
                SpecSchema.classpath(SchedKinds.class, "Queue.json"), SchedKinds::queueRules,
                columns("PARENT", "spec.parent", "PROJECT", "spec.project", "GPUS", "status.gpus", "PENDING", "status.pending"),
                SchedKinds::queueReferences));
    }

    private static List<Reference> queueReferences(Resource r) {
        List<Reference> refs = new ArrayList<>();
        if (r.spec().hasNonNull("parent") && !r.spec().path("parent").asText().isEmpty()) {
            refs.add(new Reference("spec.parent", QUEUE, r.tenant(), r.spec().path("parent").asText()));
        }
        if (r.spec().hasNonNull("project")) {
            refs.add(new Reference("spec.project", dev.millwright.tenancy.TenancyKinds.PROJECT, r.tenant(), r.spec().path("project").asText()));
        }
        return refs;
    }

    /** Each share is consistent in itself: guaranteed within the limit, lending within the guarantee. */
    private static Map<String, List<String>> queueRules(Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        JsonNode s = r.spec();
        if (r.spec().path("parent").asText("").equals(r.name())) add(errors, "spec.parent", "a queue cannot be its own parent");
        s.path("gpus").fields().forEachRemaining(e -> share(e.getValue(), "spec.gpus[" + dev.millwright.resource.Json.string(
                dev.millwright.resource.Json.MAPPER.getNodeFactory().textNode(e.getKey())) + "]", errors));
        if (s.has("cpu")) share(s.get("cpu"), "spec.cpu", errors);
        if (s.has("memoryGiB")) share(s.get("memoryGiB"), "spec.memoryGiB", errors);
        return errors;
    }

    private static void share(JsonNode share, String path, Map<String, List<String>> errors) {
        long guaranteed = share.path("guaranteed").asLong();
        if (share.has("limit") && share.get("limit").asLong() < guaranteed) {
            add(errors, path + ".limit", "is below the guarantee (" + guaranteed + ")");
        }
        if (share.has("lendingLimit") && share.get("lendingLimit").asLong() > guaranteed) {
            add(errors, path + ".lendingLimit", "is above the guarantee (" + guaranteed + "): a queue lends only what it is guaranteed");
        }
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
