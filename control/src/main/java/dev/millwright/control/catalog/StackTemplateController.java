package dev.millwright.control.catalog;

import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.catalog.Warning;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.watch.Change;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Re-checks each published template against the current catalog and writes the verdict on its status:
 * valid or not (a Pack it relied on may have been deleted or changed), the broken rules, and its components
 * past or near their end of life. End of life moves with the calendar, so templates are looked at daily too.
 */
public final class StackTemplateController implements Controller {
    /** How often a template is re-checked without any change: end-of-life warnings follow the date. */
    static final Duration RECHECK = Duration.ofHours(12);

    @Override
    public String name() {
        return "stacktemplates";
    }

    @Override
    public String kind() {
        return CatalogKinds.STACK_TEMPLATE;
    }

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        return Map.of(); // a Pack change reaches templates at the resync; packs change rarely
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) return Result.done();
        Resource template = found.get();
        LocalDate today = LocalDate.ofInstant(ctx.clock().instant(), ZoneOffset.UTC);
        TemplateCheck.Result r = TemplateCheck.check(PackCatalog.load(ctx.store()), template.spec(), today);
        long generation = template.metadata().generation();
        boolean wasValid = template.status().path("valid").asBoolean(true);
        ctx.updateStatus(key, s -> {
            s.put("observedGeneration", generation);
            s.put("valid", r.valid());
            s.set("conflicts", Json.MAPPER.valueToTree(r.errors()));
            s.set("warnings", Json.MAPPER.valueToTree(r.warnings().stream().map(Warning::message).toList()));
            return s;
        });
        if (wasValid && !r.valid()) {
            ctx.event(key, "Warning", "TemplateInvalid", "no longer valid against the catalog: " + r.errors());
        }
        return Result.requeueAfter(RECHECK);
    }
}
