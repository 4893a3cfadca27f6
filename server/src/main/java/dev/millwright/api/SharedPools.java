package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.CatalogKinds;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules of node pools shared between tenants. A shared pool's stack is the platform's (its
 * {@code spec.shared.template}); an environment on it binds that version, so no tenant's template change can
 * touch nodes another tenant runs on. A pool is either shared or some environment's own, never both.
 */
final class SharedPools {
    private SharedPools() {
    }

    static void checkEnvironment(ResourceStore store, Resource env, Map<String, List<String>> errors) {
        JsonNode pools = env.spec().path("nodePools");
        for (int i = 0; i < pools.size(); i++) {
            String name = pools.get(i).asText();
            store.get(ResourceKey.platform(FleetKinds.NODE_POOL, name)).filter(p -> p.spec().has("shared")).ifPresent(p ->
                    add(errors, "spec.nodePools", "node pool " + name + " is shared between tenants; name it as spec.sharedNodePool"));
        }
        if (!env.spec().hasNonNull("sharedNodePool")) return;
        String name = env.spec().path("sharedNodePool").asText();
        store.get(ResourceKey.platform(FleetKinds.NODE_POOL, name)).ifPresent(pool -> {
            JsonNode runs = pool.spec().path("shared").path("template");
            if (!runs.isObject()) {
                add(errors, "spec.sharedNodePool", "node pool " + name + " is not shared (it has no spec.shared); name it in spec.nodePools");
                return;
            }
            JsonNode binds = env.spec().path("template");
            if (!CatalogKinds.sameTemplate(runs, binds)) {
                add(errors, "spec.template", "shared node pool " + name + " runs " + runs.path("name").asText() + "@" + runs.path("version").asText()
                        + "; an environment on it binds that template version");
            }
        });
    }

    /** A pool that becomes shared must not be an environment's own. */
    static void checkPool(ResourceStore store, Resource pool, Map<String, List<String>> errors) {
        if (!pool.spec().has("shared")) return;
        for (Resource env : store.listAll(ListOptions.all(CatalogKinds.ENVIRONMENT)).items()) {
            for (JsonNode p : env.spec().path("nodePools")) {
                if (p.asText().equals(pool.name())) {
                    add(errors, "spec.shared", "environment " + env.tenant() + "/" + env.name() + " has this pool as its own; it cannot be shared");
                }
            }
        }
    }

    private static void add(Map<String, List<String>> errors, String field, String reason) {
        errors.computeIfAbsent(field, k -> new ArrayList<>()).add(reason);
    }
}
