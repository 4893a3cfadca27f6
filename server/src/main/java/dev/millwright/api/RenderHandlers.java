package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.control.workload.EnvironmentSnapshot;
import dev.millwright.infra.kubernetes.Manifests;
import dev.millwright.infra.kubernetes.QuotaManifests;
import dev.millwright.infra.kubernetes.StackManifests;
import dev.millwright.infra.kubernetes.WorkloadManifests;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.tenancy.Verb;
import dev.millwright.workload.WorkloadCheck;
import dev.millwright.workload.WorkloadKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Millwright's decisions look like to a real cluster, as multi-document YAML:
 * {@code GET /api/v1/tenants/{tenant}/workloads/{name}/manifests} (the workload's objects, pinned to its
 * placement) and {@code .../environments/{name}/manifests} (the GPU Operator objects of its template and the
 * Kueue queues of its quota). Whoever may read the object may read its manifests.
 */
final class RenderHandlers {
    private final ApiContext api;
    private final Gate gate;

    RenderHandlers(ApiContext api, Gate gate) {
        this.api = api;
        this.gate = gate;
    }

    void workload(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        String name = ctx.pathParam("name");
        gate.authorize(ctx, new Target(Verb.GET, api.kinds().require(WorkloadKinds.WORKLOAD), tenant, name));
        ResourceKey key = new ResourceKey(WorkloadKinds.WORKLOAD, tenant, name);
        Resource w = api.store().get(key).orElseThrow(() -> NotFoundException.of(key));
        ResourceKey appKey = ResourceKey.platform(WorkloadKinds.APP_TEMPLATE, w.spec().path("app").asText());
        Resource app = api.store().get(appKey).orElseThrow(() -> InvalidResourceException.of(key.describe(), "spec.app",
                "AppTemplate " + appKey.name() + " no longer exists"));
        EnvironmentSnapshot env = EnvironmentSnapshot.load(api.store(), tenant, w.spec().path("environment").asText())
                .orElseThrow(() -> InvalidResourceException.of(key.describe(), "spec.environment",
                        "environment " + w.spec().path("environment").asText() + " no longer exists"));
        // rendered as it is, not as it would be admitted now: its own GPUs are not counted against it
        WorkloadCheck.Result check = WorkloadCheck.check(w, app.name(), app.spec(), env.view(), Map.of());
        if (!check.admitted()) throw new InvalidResourceException(key.describe(), check.errors());
        List<String> machines = new ArrayList<>();
        for (JsonNode p : w.status().path("placements")) machines.add(p.path("machine").asText());
        yaml(ctx, WorkloadManifests.render(check.workload(), machines));
    }

    void environment(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        String name = ctx.pathParam("name");
        gate.authorize(ctx, new Target(Verb.GET, api.kinds().require(CatalogKinds.ENVIRONMENT), tenant, name));
        ResourceKey key = new ResourceKey(CatalogKinds.ENVIRONMENT, tenant, name);
        EnvironmentSnapshot env = EnvironmentSnapshot.load(api.store(), tenant, name).orElseThrow(() -> NotFoundException.of(key));
        List<HasMetadata> out = new ArrayList<>();
        List<Pack> stack = env.view().stack();
        if (stack.stream().anyMatch(p -> p.name().equals("gpu-operator"))) {
            JsonNode t = env.environment().spec().path("template");
            out.addAll(StackManifests.render(t.path("name").asText(), t.path("version").asText(), stack,
                    Map.of("millwright.dev/environment", WorkloadCheck.namespace(tenant, name))));
        }
        Map<String, Integer> quota = new TreeMap<>();
        env.environment().spec().path("quota").path("gpus").fields().forEachRemaining(e -> quota.put(fullModel(e.getKey(), env), e.getValue().asInt()));
        out.addAll(QuotaManifests.render(tenant, name, quota));
        yaml(ctx, out);
    }

    /** Quotas may name a model short ("H100 80GB"); Kueue's flavors need the name the nodes carry. */
    private static String fullModel(String written, EnvironmentSnapshot env) {
        return env.view().gpus().keySet().stream().filter(m -> dev.millwright.fleet.GpuModels.matches(written, m)).findFirst().orElse(written);
    }

    private static void yaml(Context ctx, List<? extends HasMetadata> objects) {
        ctx.status(200).contentType("application/yaml").result(Manifests.toYaml(objects));
    }
}
