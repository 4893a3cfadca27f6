package dev.millwright.resource;

import java.util.Objects;

/**
 * A field of one object that names another object, which must exist when the first is written.
 *
 * @param field the field path, for the error ("spec.site", "spec.machines[3]")
 * @param tenant empty for platform-scoped kinds
 */
public record Reference(String field, String kind, String tenant, String name) {
    public Reference {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
    }

    public ResourceKey key() {
        return new ResourceKey(kind, tenant, name);
    }
}
