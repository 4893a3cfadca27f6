package dev.millwright.control.catalog;

import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.resource.Resource;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The catalog templates are checked against: the built-in packs and the platform team's Pack objects. */
public final class PackCatalog {
    private static final Logger log = LoggerFactory.getLogger(PackCatalog.class);

    private PackCatalog() {
    }

    public static Catalog load(ResourceStore store) {
        List<Pack> own = new ArrayList<>();
        for (Resource p : store.listAll(ListOptions.all(CatalogKinds.PACK)).items()) {
            try {
                own.add(TemplateCheck.fromSpec(p.spec()));
            } catch (RuntimeException e) {
                // stored before a rule existed: left out rather than breaking every check
                log.warn("Pack {} is left out of the catalog: {}", p.name(), e.getMessage());
            }
        }
        return TemplateCheck.merged(BuiltInCatalog.load(), own);
    }
}
