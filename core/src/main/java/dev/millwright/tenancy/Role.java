package dev.millwright.tenancy;

import java.util.Arrays;
import java.util.Optional;

/** What a principal may do. Platform admins act on everything; the other roles apply inside one tenant. */
public enum Role {
    PLATFORM_ADMIN("platform-admin"),
    TENANT_ADMIN("tenant-admin"),
    PRACTITIONER("practitioner"),
    VIEWER("viewer");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in specs, tokens and audit records ("tenant-admin"). */
    public String wireName() {
        return wireName;
    }

    public static Optional<Role> fromWire(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }

    /** The stronger of two roles (platform-admin > tenant-admin > practitioner > viewer). */
    public static Role stronger(Role a, Role b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
