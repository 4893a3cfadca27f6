package dev.millwright.control.vulns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.control.catalog.PackCatalog;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.vulns.Cvss;
import dev.millwright.vulns.Exposure;
import dev.millwright.vulns.Remediation;
import dev.millwright.vulns.VulnKinds;
import dev.millwright.watch.Change;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Keeps every environment's exposure on its status ({@code status.vulnerabilities}): the findings its stack's
 * packages are affected by, most severe first, each with what fixes it (see {@link Remediation}), and how many of
 * each rating. One pass over all environments,
 * set off by any change to advisories, templates, packs or environments; changes coalesce.
 */
public final class ExposureController implements Controller {
    static final ResourceKey PASS = ResourceKey.platform(VulnKinds.ADVISORY, "*exposure*");
    /** The catalog's own packs change only with a new version of Millwright; this is a safety net. */
    static final Duration RESYNC = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "exposure";
    }

    @Override
    public String kind() {
        return VulnKinds.ADVISORY;
    }

    @Override
    public ResourceKey singleton() {
        return PASS;
    }

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        Function<Change, List<ResourceKey>> pass = c -> List.of(PASS);
        return Map.of(CatalogKinds.ENVIRONMENT, pass, CatalogKinds.STACK_TEMPLATE, pass, CatalogKinds.PACK, pass);
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        AdvisoryIndex index = AdvisoryIndex.load(ctx.store());
        Catalog catalog = PackCatalog.load(ctx.store());
        Map<String, List<Exposure.Package>> packages = new LinkedHashMap<>();
        Map<String, Resource> environments = new LinkedHashMap<>();
        Map<ResourceKey, Optional<Resource>> templates = new HashMap<>();
        Map<ResourceKey, Optional<List<Pack>>> stacks = new HashMap<>();
        for (Resource env : ctx.store().listAll(ListOptions.all(CatalogKinds.ENVIRONMENT)).items()) {
            ResourceKey template = CatalogKinds.templateOf(env.spec());
            Optional<Resource> spec = templates.computeIfAbsent(template, ctx::get);
            Optional<List<Pack>> packs = stacks.computeIfAbsent(template, t -> spec.flatMap(o -> TemplateCheck.packs(catalog, o.spec())));
            List<Exposure.Package> list = new ArrayList<>();
            packs.ifPresent(ps -> ps.forEach(p -> p.packages().forEach(sp -> list.add(new Exposure.Package(sp.ecosystem(), sp.name(), sp.version())))));
            String id = env.tenant() + "/" + env.name();
            packages.put(id, list);
            environments.put(id, env);
        }
        Map<String, List<Exposure.Hit>> exposed = Exposure.of(index.matcher(), index.findings(), packages);
        List<JsonNode> published = null;
        Remediation remediation = new Remediation(catalog, index.matcher(), LocalDate.ofInstant(ctx.clock().instant(), ZoneOffset.UTC));
        Map<String, ObjectNode> remedies = new HashMap<>(); // environments on one template version share their answers
        for (Map.Entry<String, List<Exposure.Hit>> e : exposed.entrySet()) {
            Resource env = environments.get(e.getKey());
            Optional<Resource> running = templates.get(CatalogKinds.templateOf(env.spec()));
            if (!e.getValue().isEmpty() && published == null) published = publishedTemplates(ctx);
            List<JsonNode> all = published;
            write(ctx, env, e.getValue(), index.advisories().size(), h -> running.map(t -> remedies.computeIfAbsent(
                    t.name() + "|" + h.finding().name() + "|" + h.pkg(), k -> RemediationJson.of(remediation.fix(t.spec(), List.of(h), all)))).orElse(null));
        }
        return Result.requeueAfter(RESYNC);
    }

    static List<JsonNode> publishedTemplates(ControllerContext ctx) {
        return ctx.store().listAll(ListOptions.all(CatalogKinds.STACK_TEMPLATE)).items().stream().<JsonNode>map(Resource::spec).toList();
    }

    private static void write(ControllerContext ctx, Resource env, List<Exposure.Hit> hits, int advisories, Function<Exposure.Hit, ObjectNode> remedy) {
        Map<String, Integer> counts = new TreeMap<>();
        ArrayNode findings = Json.MAPPER.createArrayNode();
        for (Exposure.Hit h : hits) {
            String rating = h.finding().rating().map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("unscored");
            counts.merge(rating, 1, Integer::sum);
            ObjectNode f = findings.addObject().put("name", h.finding().name()).put("rating", rating)
                    .put("package", h.pkg().ecosystem() + " " + h.pkg().name() + " " + h.pkg().version());
            h.finding().score().ifPresent(s -> f.put("score", s));
            if (h.fixedIn() != null) f.put("fixedIn", h.fixedIn());
            else f.put("fix", "no fixed version is known");
            ArrayNode ids = f.putArray("ids");
            h.finding().ids().forEach(ids::add);
            ObjectNode remediation = remedy.apply(h);
            if (remediation != null) f.set("remediation", remediation);
        }
        List<String> parts = new ArrayList<>();
        for (Cvss.Rating r : List.of(Cvss.Rating.CRITICAL, Cvss.Rating.HIGH, Cvss.Rating.MEDIUM, Cvss.Rating.LOW)) {
            int n = counts.getOrDefault(r.name().toLowerCase(Locale.ROOT), 0);
            if (n > 0) parts.add(n + " " + r.name().toLowerCase(Locale.ROOT));
        }
        if (counts.containsKey("unscored")) parts.add(counts.get("unscored") + " unscored");
        String summary = hits.isEmpty() ? "none known (" + advisories + " advisories)" : String.join(", ", parts);
        ctx.updateStatus(env.key(), s -> {
            ObjectNode v = s.putObject("vulnerabilities");
            v.put("summary", summary);
            v.set("counts", Json.MAPPER.valueToTree(counts));
            v.set("findings", findings);
            return s;
        });
    }
}
