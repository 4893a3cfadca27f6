package dev.millwright.provision;

import static dev.millwright.resource.KindDefinition.columns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Reference;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The DockBatch kind: one rack manifest on its way from the loading dock to a node pool. */
public final class DockKinds {
    public static final String DOCK_BATCH = "DockBatch";
    /** The label on every Machine a batch registered, naming the batch. */
    public static final String BATCH_LABEL = "millwright.dev/dock-batch";

    private DockKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(new KindDefinition(DOCK_BATCH, "dockbatches",
                "Machines from a rack manifest taken to a node pool: inspection, burn-in gates, install and join, under concurrency limits.",
                Scope.PLATFORM, Visibility.PLATFORM_ADMINS, Set.of(),
                SpecSchema.classpath(DockKinds.class, "DockBatch.json"), DockKinds::rules,
                columns("SITE", "spec.site", "POOL", "spec.pool", "MACHINES", "spec.machines#", "JOINED", "status.joined",
                        "QUARANTINED", "status.quarantined", "FAILED", "status.failed", "PHASE", "status.phase", "ETA", "status.eta"),
                r -> List.of(new Reference("spec.site", FleetKinds.SITE, "", r.spec().path("site").asText()),
                        new Reference("spec.pool", FleetKinds.NODE_POOL, "", r.spec().path("pool").asText()))));
    }

    /** Duplicate BMC addresses or names are refused naming both rows; settings that cannot work name their field. */
    static Map<String, List<String>> rules(Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        DockSettings.of(r.spec(), errors);
        Map<String, Integer> addresses = new HashMap<>();
        Map<String, Integer> names = new HashMap<>();
        JsonNode rows = r.spec().path("machines");
        for (int i = 0; i < rows.size(); i++) {
            String address = address(rows.get(i).path("bmc").asText());
            Integer first = addresses.putIfAbsent(address, i);
            if (first != null) {
                DockSettings.add(errors, "spec.machines[" + i + "].bmc", "duplicates spec.machines[" + first + "].bmc (" + address
                        + "): one BMC is one machine");
            }
            String name = rows.get(i).path("name").asText();
            Integer named = names.putIfAbsent(name, i);
            if (named != null) DockSettings.add(errors, "spec.machines[" + i + "].name", "duplicates spec.machines[" + named + "].name (" + name + ")");
        }
        return errors;
    }

    /**
     * A BMC's address as compared for duplicates: scheme, default port, path and case do not make two BMCs
     * ({@code https://10.0.1.5/} and {@code https://10.0.1.5:443} are one). A twin endpoint is its whole path.
     */
    public static String address(String endpoint) {
        String e = endpoint.trim().toLowerCase(Locale.ROOT);
        if (e.startsWith("twin://")) {
            int q = e.indexOf('?');
            return q < 0 ? e : e.substring(0, q);
        }
        e = e.replaceFirst("^https?://", "");
        int slash = e.indexOf('/');
        if (slash >= 0) e = e.substring(0, slash);
        return e.replaceFirst(":(443|80)$", "");
    }

    /** The BMC network of a row: its own, else the /24 of an IPv4 address, else the twin's unit, else "default". */
    public static String network(JsonNode row) {
        if (row.hasNonNull("bmcNetwork")) return row.get("bmcNetwork").asText();
        String a = address(row.path("bmc").asText());
        if (a.matches("\\d+\\.\\d+\\.\\d+\\.\\d+(:\\d+)?")) return a.substring(0, a.lastIndexOf('.', a.indexOf(':') < 0 ? a.length() : a.indexOf(':'))) + ".0/24";
        int unit = row.path("bmc").asText().indexOf("unit=");
        if (unit >= 0) return row.path("bmc").asText().substring(unit + 5).split("&")[0];
        return "default";
    }
}
