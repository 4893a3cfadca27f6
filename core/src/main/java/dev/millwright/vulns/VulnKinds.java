package dev.millwright.vulns;

import static dev.millwright.resource.KindDefinition.columns;

import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The vulnerability kinds: Advisory (one OSV record, imported by the platform team). */
public final class VulnKinds {
    public static final String ADVISORY = "Advisory";

    private VulnKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(new KindDefinition(ADVISORY, "advisories", "One OSV vulnerability record; its name is its id in lower case.",
                Scope.PLATFORM, Visibility.ALL_AUTHENTICATED, Set.of(),
                SpecSchema.classpath(VulnKinds.class, "Advisory.json"), VulnKinds::rules,
                columns("ID", "spec.id", "ALIASES", "spec.aliases", "SUMMARY", "spec.summary")));
    }

    /** The object's name for a record id: "GHSA-rh4j-5rhw-hr54" is advisory "ghsa-rh4j-5rhw-hr54". */
    public static String nameOf(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    }

    /** The record reads as OSV (every problem under its spec path), and the object is named after its id. */
    private static Map<String, List<String>> rules(Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        OsvReader.read(r.spec()).problems().forEach((path, reasons) -> errors.put(path.isEmpty() ? "spec" : "spec." + path, reasons));
        String id = r.spec().path("id").asText("");
        if (!id.isEmpty() && !nameOf(id).equals(r.name())) {
            errors.computeIfAbsent("metadata.name", k -> new ArrayList<>()).add("must be " + nameOf(id) + ", the record's id in lower case");
        }
        return errors;
    }
}
