package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.ForbiddenException;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.store.ListOptions;
import dev.millwright.tenancy.Principal;
import io.javalin.http.Context;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/fleet}: the whole fleet in numbers, from the machines' observed status: machines by
 * phase and health, GPUs by model, by site and by state (healthy, failed, in maintenance, unreachable).
 */
final class FleetHandlers {
    private final ApiContext api;
    private final Gate gate;

    FleetHandlers(ApiContext api, Gate gate) {
        this.api = api;
        this.gate = gate;
    }

    void summary(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        if (!p.platformAdmin()) throw new ForbiddenException(p.identity() + " may not read the fleet summary; platform admins only");
        var page = api.store().listAll(ListOptions.all(FleetKinds.MACHINE));
        Map<String, Integer> byPhase = new TreeMap<>();
        Map<String, Integer> byHealth = new TreeMap<>();
        Map<String, int[]> byModel = new TreeMap<>();   // total, healthy, failed, maintenance, unreachable
        Map<String, Map<String, Integer>> bySite = new TreeMap<>();
        int[] all = new int[5];
        for (Resource m : page.items()) {
            JsonNode s = m.status();
            String phase = s.path("phase").asText("Unknown");
            byPhase.merge(phase, 1, Integer::sum);
            byHealth.merge(s.path("health").asText("Unknown"), 1, Integer::sum);
            int failed = s.path("failedGpus").asInt(0);
            boolean maintenance = phase.equals("Maintenance") || phase.equals("Cordoned");
            boolean unreachable = phase.equals("Unreachable") || phase.equals("Failed");
            JsonNode models = s.path("gpusByModel");
            for (var it = models.fields(); it.hasNext(); ) {
                var e = it.next();
                int n = e.getValue().asInt();
                int f = Math.min(n, failed);
                failed -= f;
                int[] c = byModel.computeIfAbsent(e.getKey(), k -> new int[5]);
                add(c, n, f, maintenance, unreachable);
                add(all, n, f, maintenance, unreachable);
                bySite.computeIfAbsent(m.spec().path("site").asText(), k -> new TreeMap<>()).merge(e.getKey(), n, Integer::sum);
            }
        }
        ObjectNode out = Json.object();
        out.put("revision", page.revision());
        ObjectNode machines = out.putObject("machines");
        machines.put("total", page.items().size());
        machines.set("byPhase", Json.MAPPER.valueToTree(byPhase));
        machines.set("byHealth", Json.MAPPER.valueToTree(byHealth));
        ObjectNode gpus = out.putObject("gpus");
        counts(gpus, all);
        ObjectNode models = gpus.putObject("byModel");
        byModel.forEach((model, c) -> counts(models.putObject(model), c));
        gpus.set("bySite", Json.MAPPER.valueToTree(bySite));
        ResourceHandlers.respond(ctx, 200, out);
    }

    private static void add(int[] c, int n, int failed, boolean maintenance, boolean unreachable) {
        c[0] += n;
        c[2] += failed;
        if (maintenance) c[3] += n - failed;
        else if (unreachable) c[4] += n - failed;
        else c[1] += n - failed;
    }

    /** Allocation arrives with the scheduler; until then every healthy GPU is capacity, none allocated. */
    private static void counts(ObjectNode n, int[] c) {
        n.put("total", c[0]).put("healthy", c[1]).put("failed", c[2]).put("maintenance", c[3]).put("unreachable", c[4]);
    }
}
