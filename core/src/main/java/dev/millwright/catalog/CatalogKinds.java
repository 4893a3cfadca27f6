package dev.millwright.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.KindDefinition;
import static dev.millwright.resource.KindDefinition.columns;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The kinds of the stack catalog: Pack (a component a platform team adds beside the built-in ones) and
 * StackTemplate (one immutable published version of a stack). Both are readable by every authenticated
 * caller, since tenants choose the template versions their environments run.
 */
public final class CatalogKinds {
    public static final String PACK = "Pack";
    public static final String STACK_TEMPLATE = "StackTemplate";
    public static final String ENVIRONMENT = "Environment";

    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern CIDR = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)$");

    private CatalogKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(
                new KindDefinition(PACK, "packs", "One versioned stack component added to the built-in catalog.",
                        Scope.PLATFORM, Visibility.ALL_AUTHENTICATED, Set.of(),
                        SpecSchema.classpath(CatalogKinds.class, "Pack.json"), CatalogKinds::packRules,
                        columns("LAYER", "spec.layer", "PACK", "spec.name", "VERSION", "spec.version", "EOL", "spec.endOfLife")),
                new KindDefinition(STACK_TEMPLATE, "stacktemplates", "One immutable published version of a stack: ordered layers of packs and typed variables.",
                        Scope.PLATFORM, Visibility.ALL_AUTHENTICATED, Set.of(),
                        SpecSchema.classpath(CatalogKinds.class, "StackTemplate.json"), CatalogKinds::templateRules,
                        columns("TEMPLATE", "spec.template", "VERSION", "spec.version", "LAYERS", "spec.layers#", "VALID", "status.valid")),
                new KindDefinition(ENVIRONMENT, "environments", "A tenant's dev, staging or prod: one template version, its node pools, quota and policies.",
                        Scope.TENANT, Visibility.TENANT_MEMBERS, Set.of("tenant-admin"),
                        SpecSchema.classpath(CatalogKinds.class, "Environment.json"), CatalogKinds::environmentRules,
                        columns("STAGE", "spec.stage", "TEMPLATE", "spec.template.name", "VERSION", "spec.template.version",
                                "NODES", "status.nodes", "IN-SYNC", "status.nodesInSync", "GPUS", "status.gpus", "PHASE", "status.phase"),
                        CatalogKinds::environmentReferences, CatalogKinds::environmentClaims));
    }

    private static List<dev.millwright.resource.Reference> environmentReferences(Resource r) {
        List<dev.millwright.resource.Reference> refs = new ArrayList<>();
        JsonNode t = r.spec().path("template");
        refs.add(new dev.millwright.resource.Reference("spec.template", STACK_TEMPLATE, "",
                templateObjectName(t.path("name").asText(), t.path("version").asText())));
        JsonNode pools = r.spec().path("nodePools");
        for (int i = 0; i < pools.size(); i++) {
            refs.add(new dev.millwright.resource.Reference("spec.nodePools[" + i + "]", "NodePool", "", pools.get(i).asText()));
        }
        if (r.spec().hasNonNull("sharedNodePool")) {
            refs.add(new dev.millwright.resource.Reference("spec.sharedNodePool", "NodePool", "", r.spec().path("sharedNodePool").asText()));
        }
        return refs;
    }

    /** Its own pools or one shared pool: a request is placed in one set of nodes. */
    private static java.util.Map<String, List<String>> environmentRules(Resource r) {
        if (r.spec().hasNonNull("sharedNodePool") && !r.spec().path("nodePools").isEmpty()) {
            return java.util.Map.of("spec.sharedNodePool", List.of("an environment runs on its own node pools or on one shared pool, not both"));
        }
        // whether a window still opens depends on the day: admission checks that against its clock
        return dev.millwright.rollout.MaintenanceWindow.check(r.spec().path("maintenanceWindows"), "spec.maintenanceWindows", java.time.Instant.EPOCH);
    }

    /** A node pool serves one environment: what one environment changes on its nodes no other runs on. */
    private static List<dev.millwright.resource.Claim> environmentClaims(Resource r) {
        List<dev.millwright.resource.Claim> claims = new ArrayList<>();
        JsonNode pools = r.spec().path("nodePools");
        for (int i = 0; i < pools.size(); i++) {
            claims.add(new dev.millwright.resource.Claim("spec.nodePools[" + i + "]", "nodepool", pools.get(i).asText()));
        }
        return claims;
    }

    /** Whether two {@code {name, version}} template references name the same template version. */
    public static boolean sameTemplate(JsonNode a, JsonNode b) {
        return a.path("name").asText().equals(b.path("name").asText()) && a.path("version").asText().equals(b.path("version").asText());
    }

    /** The StackTemplate object an environment's {@code spec.template} names (or any spec with a {@code template} reference). */
    public static dev.millwright.resource.ResourceKey templateOf(JsonNode environmentSpec) {
        JsonNode t = environmentSpec.path("template");
        return dev.millwright.resource.ResourceKey.platform(STACK_TEMPLATE, templateObjectName(t.path("name").asText(), t.path("version").asText()));
    }

    /** The object name a template version must have: family and version, dots as dashes ("gpu-base-1-2-0"). */
    public static String templateObjectName(String template, String version) {
        return template + "-" + version.replace('.', '-');
    }

    private static Map<String, List<String>> packRules(Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        JsonNode s = r.spec();
        version(s.path("version").asText(), "spec.version", errors);
        if (s.hasNonNull("endOfLife")) {
            try {
                java.time.LocalDate.parse(s.get("endOfLife").asText());
            } catch (java.time.format.DateTimeParseException e) {
                add(errors, "spec.endOfLife", "is not a calendar date: " + s.get("endOfLife").asText());
            }
        }
        for (String list : new String[] {"requires", "conflicts"}) {
            JsonNode rules = s.path(list);
            for (int i = 0; i < rules.size(); i++) range(rules.get(i).path("range").asText(), "spec." + list + "[" + i + "].range", errors);
        }
        return errors;
    }

    private static Map<String, List<String>> templateRules(Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        JsonNode s = r.spec();
        String expected = templateObjectName(s.path("template").asText(), s.path("version").asText());
        if (!r.name().equals(expected)) add(errors, "metadata.name", "must be " + expected + " (template and version), so each version is its own object");
        Set<String> packs = new HashSet<>();
        JsonNode layers = s.path("layers");
        for (int i = 0; i < layers.size(); i++) {
            String pack = layers.get(i).path("pack").asText();
            if (!packs.add(pack)) add(errors, "spec.layers[" + i + "].pack", "pack " + pack + " is listed twice");
            version(layers.get(i).path("version").asText(), "spec.layers[" + i + "].version", errors);
        }
        Set<String> names = new HashSet<>();
        JsonNode vars = s.path("variables");
        for (int i = 0; i < vars.size(); i++) {
            JsonNode v = vars.get(i);
            String path = "spec.variables[" + i + "]";
            if (!names.add(v.path("name").asText())) add(errors, path + ".name", "variable " + v.path("name").asText() + " is declared twice");
            Pattern regex = null;
            if (v.has("regex")) {
                try {
                    regex = Pattern.compile(v.get("regex").asText());
                } catch (PatternSyntaxException e) {
                    add(errors, path + ".regex", "is not a valid regular expression: " + e.getDescription());
                }
            }
            if (v.has("default")) {
                String why = typeError(v.path("type").asText(), v.get("default"), regex);
                if (why != null) add(errors, path + ".default", why);
            }
        }
        return errors;
    }

    /** Why {@code value} is not of variable type {@code type} (or fails {@code regex}), or null when it fits. */
    public static String typeError(String type, JsonNode value, Pattern regex) {
        String why = switch (type) {
            case "string" -> value.isTextual() ? null : "must be a string";
            case "number" -> value.isNumber() ? null : "must be a number";
            case "bool" -> value.isBoolean() ? null : "must be true or false";
            case "version" -> {
                if (!value.isTextual()) yield "must be a version string";
                try {
                    Version.of(value.asText());
                    yield null;
                } catch (IllegalArgumentException e) {
                    yield e.getMessage();
                }
            }
            case "ipv4" -> value.isTextual() && IPV4.matcher(value.asText()).matches() ? null : "must be an IPv4 address";
            case "cidr" -> value.isTextual() && CIDR.matcher(value.asText()).matches() ? null : "must be an IPv4 CIDR block such as 10.0.0.0/16";
            default -> "has an unknown type " + type;
        };
        if (why == null && regex != null && !regex.matcher(value.asText()).matches()) why = "does not match " + regex.pattern();
        return why;
    }

    private static void version(String text, String path, Map<String, List<String>> errors) {
        try {
            Version.of(text);
        } catch (IllegalArgumentException e) {
            add(errors, path, e.getMessage());
        }
    }

    private static void range(String text, String path, Map<String, List<String>> errors) {
        try {
            VersionRange.of(text);
        } catch (IllegalArgumentException e) {
            add(errors, path, e.getMessage());
        }
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }

}
