package dev.millwright.api;

import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.control.workload.EnvironmentSnapshot;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.sbom.EnvironmentSbom;
import dev.millwright.store.ListOptions;
import dev.millwright.tenancy.Verb;
import dev.millwright.workload.ResolvedWorkload;
import dev.millwright.workload.WorkloadCheck;
import dev.millwright.workload.WorkloadKinds;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/tenants/{tenant}/environments/{name}/sbom}: the environment's software bill of materials
 * as CycloneDX 1.6 JSON: its template's packs with the packages they contain, and its workloads' images.
 */
final class SbomHandlers {
    private final ApiContext api;
    private final Gate gate;

    SbomHandlers(ApiContext api, Gate gate) {
        this.api = api;
        this.gate = gate;
    }

    void sbom(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        String name = ctx.pathParam("name");
        gate.authorize(ctx, new Target(Verb.GET, api.kinds().require(CatalogKinds.ENVIRONMENT), tenant, name));
        ResourceKey key = new ResourceKey(CatalogKinds.ENVIRONMENT, tenant, name);
        Resource env = api.store().get(key).orElseThrow(() -> NotFoundException.of(key));
        Resource template = api.store().get(CatalogKinds.templateOf(env.spec())).orElseThrow(() -> InvalidResourceException.of(key.describe(),
                "spec.template", "the template version the environment binds is no longer published"));
        List<Pack> packs = TemplateCheck.packs(PackCatalog.load(api.store()), template.spec()).orElseThrow(() -> InvalidResourceException.of(
                key.describe(), "spec.template", "the template names a pack version the catalog no longer has"));
        List<ResolvedWorkload> workloads = new ArrayList<>();
        EnvironmentSnapshot.load(api.store(), tenant, name).ifPresent(snapshot -> {
            for (Resource w : api.store().listAll(ListOptions.all(WorkloadKinds.WORKLOAD)).items()) {
                if (!w.tenant().equals(tenant) || !w.spec().path("environment").asText().equals(name)) continue;
                api.store().get(ResourceKey.platform(WorkloadKinds.APP_TEMPLATE, w.spec().path("app").asText())).ifPresent(app -> {
                    WorkloadCheck.Result r = WorkloadCheck.check(w, app.name(), app.spec(), snapshot.view(), snapshot.inUse(w.name()));
                    if (r.admitted()) workloads.add(r.workload());
                });
            }
        });
        String version = env.spec().path("template").path("name").asText() + "@" + env.spec().path("template").path("version").asText();
        ctx.contentType(EnvironmentSbom.MEDIA_TYPE);
        ctx.result(dev.millwright.resource.Json.string(EnvironmentSbom.build(tenant, name, version, packs, workloads, api.clock().instant())));
    }
}
