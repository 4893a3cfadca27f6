package dev.millwright.tenancy;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who is calling: a user or a service account, with the role it holds in each tenant it belongs to.
 *
 * @param name the user's name, or the service account's name inside its tenant
 * @param serviceAccountTenant the tenant of a service account; empty for users
 * @param platformAdmin whether the principal administers the whole platform
 * @param tenantRoles the role held in each tenant, strongest first
 */
public record Principal(String name, String serviceAccountTenant, boolean platformAdmin, Map<String, Role> tenantRoles) {
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serviceAccountTenant, "serviceAccountTenant");
        tenantRoles = Map.copyOf(new TreeMap<>(tenantRoles));
    }

    public static Principal user(String name, boolean platformAdmin, Map<String, Role> tenantRoles) {
        return new Principal(name, "", platformAdmin, tenantRoles);
    }

    public static Principal serviceAccount(String tenant, String name, Role role) {
        return new Principal(name, tenant, false, Map.of(tenant, role));
    }

    public boolean isServiceAccount() {
        return !serviceAccountTenant.isEmpty();
    }

    /** "user:alice" or "serviceaccount:acme/ci": how audit records and events name the caller. */
    public String identity() {
        return isServiceAccount() ? "serviceaccount:" + serviceAccountTenant + "/" + name : "user:" + name;
    }

    /** The role in {@code tenant}, or null when the principal is no member of it (platform admins are members of all). */
    public Role roleIn(String tenant) {
        if (platformAdmin) return Role.PLATFORM_ADMIN;
        return tenantRoles.get(tenant);
    }

    public Set<String> tenants() {
        return tenantRoles.keySet();
    }
}
