package dev.millwright.resource;

import java.util.Objects;

/**
 * Identifies one object: kind, tenant and name. Platform-scoped objects have the empty tenant, which keeps
 * the key a plain value (and the store's primary key free of NULLs).
 */
public record ResourceKey(String kind, String tenant, String name) implements Comparable<ResourceKey> {
    public ResourceKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
    }

    public static ResourceKey platform(String kind, String name) {
        return new ResourceKey(kind, "", name);
    }

    public boolean isPlatformScoped() {
        return tenant.isEmpty();
    }

    /** "Project acme/vision" or "Tenant acme": how messages name an object. */
    public String describe() {
        return kind + " " + (tenant.isEmpty() ? name : tenant + "/" + name);
    }

    @Override
    public int compareTo(ResourceKey o) {
        int c = kind.compareTo(o.kind);
        if (c != 0) return c;
        c = tenant.compareTo(o.tenant);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return describe();
    }
}
