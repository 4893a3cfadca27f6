package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.control.vulns.AdvisoryIndex;
import dev.millwright.control.vulns.RemediationJson;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.Json;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.tenancy.Verb;
import dev.millwright.vulns.Exposure;
import dev.millwright.vulns.Remediation;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/tenants/{tenant}/environments/{name}/remediation[?finding=ID...]}: what fixes the chosen
 * findings of an environment together (by default every finding with a known fixed version): the published
 * template version to move to, and the smallest compatible change, with the StackTemplate a platform admin
 * would publish for it ({@code newTemplate}). Changes nothing; {@code millwright vulns fix} turns it into an
 * UpgradePlan.
 */
final class RemediationHandlers {
    private final ApiContext api;
    private final Gate gate;

    RemediationHandlers(ApiContext api, Gate gate) {
        this.api = api;
        this.gate = gate;
    }

    void remediation(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        String name = ctx.pathParam("name");
        gate.authorize(ctx, new Target(Verb.GET, api.kinds().require(CatalogKinds.ENVIRONMENT), tenant, name));
        ResourceKey key = new ResourceKey(CatalogKinds.ENVIRONMENT, tenant, name);
        Resource env = api.store().get(key).orElseThrow(() -> NotFoundException.of(key));
        Resource running = api.store().get(CatalogKinds.templateOf(env.spec())).orElseThrow(() -> InvalidResourceException.of(key.describe(),
                "spec.template", "the template version the environment binds is no longer published"));
        Catalog catalog = PackCatalog.load(api.store());
        List<Pack> packs = TemplateCheck.packs(catalog, running.spec()).orElseThrow(() -> InvalidResourceException.of(key.describe(),
                "spec.template", "the template names a pack version the catalog no longer has"));

        AdvisoryIndex index = AdvisoryIndex.load(api.store());
        List<Exposure.Package> contents = new ArrayList<>();
        packs.forEach(p -> p.packages().forEach(sp -> contents.add(new Exposure.Package(sp.ecosystem(), sp.name(), sp.version()))));
        List<Exposure.Hit> hits = Exposure.of(index.matcher(), index.findings(), Map.of(name, contents)).get(name);
        List<Exposure.Hit> chosen = chosen(ctx.queryParams("finding"), hits, key);

        List<JsonNode> published = api.store().listAll(ListOptions.all(CatalogKinds.STACK_TEMPLATE)).items().stream().<JsonNode>map(Resource::spec).toList();
        Remediation.Answer answer = new Remediation(catalog, index.matcher(), LocalDate.ofInstant(api.clock().instant(), ZoneOffset.UTC))
                .fix(running.spec(), chosen, published);

        ObjectNode out = Json.object().put("environment", name);
        out.set("template", env.spec().path("template"));
        ArrayNode findings = out.putArray("findings");
        chosen.stream().map(h -> h.finding().name()).distinct().forEach(findings::add);
        out.set("remediation", RemediationJson.of(answer));
        if (!answer.smallest().isEmpty()) {
            String version = Remediation.nextPatch(running.spec().path("template").asText(), published);
            ObjectNode manifest = out.putObject("newTemplate").put("apiVersion", "millwright.dev/v1").put("kind", CatalogKinds.STACK_TEMPLATE);
            manifest.putObject("metadata").put("name", CatalogKinds.templateObjectName(running.spec().path("template").asText(), version));
            manifest.set("spec", Remediation.newVersion(running.spec(), answer.smallest(), version));
        }
        ResourceHandlers.respond(ctx, 200, out);
    }

    /** The hits of the named findings (by any of their ids), or every one with a known fix when none is named. */
    private static List<Exposure.Hit> chosen(List<String> asked, List<Exposure.Hit> hits, ResourceKey key) {
        if (asked.isEmpty()) return hits.stream().filter(h -> h.fixedIn() != null).toList();
        List<Exposure.Hit> out = new ArrayList<>();
        for (String id : asked) {
            List<Exposure.Hit> of = hits.stream().filter(h -> h.finding().ids().stream().anyMatch(i -> i.equalsIgnoreCase(id.trim()))).toList();
            if (of.isEmpty()) {
                throw InvalidResourceException.of(key.describe(), "finding", id + " is not a finding of " + key.name()
                        + " (see millwright vulns " + key.name() + " -t " + key.tenant() + ")");
            }
            of.stream().filter(h -> !out.contains(h)).forEach(out::add);
        }
        return out;
    }
}
