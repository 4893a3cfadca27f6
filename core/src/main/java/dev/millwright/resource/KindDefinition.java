package dev.millwright.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A kind of resource: its names, scope, who may write it, and how its spec is validated.
 *
 * @param kind the singular, capitalised name used in {@code kind:} ("Project")
 * @param plural the lower-case plural used in URLs and the CLI ("projects")
 * @param scope platform or tenant
 * @param visibility who may read a platform-scoped object (tenant-scoped objects are visible to the tenant's members)
 * @param writers the tenant roles that may create, update and delete objects of a tenant-scoped kind;
 *                platform admins may always write
 * @param spec the JSON Schema of {@code spec}, served in the OpenAPI document too
 * @param rules checks that a schema cannot express; returns errors keyed by field path
 * @param printColumns spec or status fields shown by {@code millwright get} as columns, by header
 * @param references the other objects an object names, which must exist when it is written
 * @param claims what an object holds exclusively (see {@link Claim}); checked and recorded by the store
 */
public record KindDefinition(String kind, String plural, String description, Scope scope, Visibility visibility,
                             Set<String> writers, SpecSchema spec,
                             Function<Resource, Map<String, List<String>>> rules,
                             Map<String, String> printColumns,
                             Function<Resource, List<Reference>> references,
                             Function<Resource, List<Claim>> claims) {
    /** Who may read objects of a platform-scoped kind. */
    public enum Visibility {
        /** Every authenticated caller (catalog-like kinds). */
        ALL_AUTHENTICATED,
        /** The members of the tenant the object is named after (the Tenant kind itself). */
        MEMBERS_OF_NAMED_TENANT,
        /** Only the principal the object describes (the User kind). */
        SELF,
        /** Platform admins only. */
        PLATFORM_ADMINS,
        /** Members of the object's tenant; the setting of every tenant-scoped kind. */
        TENANT_MEMBERS
    }

    public KindDefinition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(spec, "spec");
        if (scope == Scope.TENANT && visibility != Visibility.TENANT_MEMBERS) {
            throw new IllegalArgumentException(kind + ": a tenant-scoped kind is visible to its tenant's members");
        }
        writers = Set.copyOf(writers);
        rules = rules == null ? r -> Map.of() : rules;
        printColumns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(printColumns)); // keeps column order
        references = references == null ? r -> List.of() : references;
        claims = claims == null ? r -> List.of() : claims;
    }

    /** A kind whose objects claim nothing. */
    public KindDefinition(String kind, String plural, String description, Scope scope, Visibility visibility,
                          Set<String> writers, SpecSchema spec, Function<Resource, Map<String, List<String>>> rules,
                          Map<String, String> printColumns, Function<Resource, List<Reference>> references) {
        this(kind, plural, description, scope, visibility, writers, spec, rules, printColumns, references, null);
    }

    /** A kind whose objects name no others. */
    public KindDefinition(String kind, String plural, String description, Scope scope, Visibility visibility,
                          Set<String> writers, SpecSchema spec, Function<Resource, Map<String, List<String>>> rules,
                          Map<String, String> printColumns) {
        this(kind, plural, description, scope, visibility, writers, spec, rules, printColumns, null, null);
    }

    /** Print columns as header, path, header, path...: the order given is the order shown. */
    public static Map<String, String> columns(String... headerThenPath) {
        if (headerThenPath.length % 2 != 0) throw new IllegalArgumentException("columns come in header, path pairs");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < headerThenPath.length; i += 2) out.put(headerThenPath[i], headerThenPath[i + 1]);
        return out;
    }

    public boolean tenantScoped() {
        return scope == Scope.TENANT;
    }

    public JsonNode specSchemaJson() {
        return spec.json();
    }
}
