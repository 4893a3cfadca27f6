package dev.millwright.control.vulns;

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
import dev.millwright.vulns.Advisory;
import dev.millwright.vulns.Cvss;
import dev.millwright.vulns.Exposure;
import dev.millwright.vulns.Findings;
import dev.millwright.vulns.Matcher;
import dev.millwright.vulns.OsvReader;
import dev.millwright.vulns.VulnKinds;
import dev.millwright.watch.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Keeps every environment's exposure on its status ({@code status.vulnerabilities}): the findings its stack's
 * packages are affected by, most severe first, and how many of each rating. One pass over all environments,
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
        List<Advisory> advisories = new ArrayList<>();
        for (Resource r : ctx.store().listAll(ListOptions.all(VulnKinds.ADVISORY)).items()) {
            OsvReader.Result read = OsvReader.read(r.spec());
            if (read.ok()) advisories.add(read.advisory()); // admission refused the others
        }
        Matcher matcher = new Matcher(advisories);
        Findings findings = new Findings(advisories);
        Catalog catalog = PackCatalog.load(ctx.store());
        Map<String, List<Exposure.Package>> packages = new LinkedHashMap<>();
        Map<String, Resource> environments = new LinkedHashMap<>();
        Map<ResourceKey, Optional<List<Pack>>> stacks = new java.util.HashMap<>();
        for (Resource env : ctx.store().listAll(ListOptions.all(CatalogKinds.ENVIRONMENT)).items()) {
            ResourceKey template = CatalogKinds.templateOf(env.spec());
            Optional<List<Pack>> packs = stacks.computeIfAbsent(template, t -> ctx.get(t).flatMap(o -> TemplateCheck.packs(catalog, o.spec())));
            List<Exposure.Package> list = new ArrayList<>();
            packs.ifPresent(ps -> ps.forEach(p -> p.packages().forEach(sp -> list.add(new Exposure.Package(sp.ecosystem(), sp.name(), sp.version())))));
            String id = env.tenant() + "/" + env.name();
            packages.put(id, list);
            environments.put(id, env);
        }
        Map<String, List<Exposure.Hit>> exposed = Exposure.of(matcher, findings, packages);
        exposed.forEach((id, hits) -> write(ctx, environments.get(id), hits, advisories.size()));
        return Result.requeueAfter(RESYNC);
    }

    private static void write(ControllerContext ctx, Resource env, List<Exposure.Hit> hits, int advisories) {
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
