package dev.millwright.tenancy;

import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.Resource;

/**
 * Decides whether a principal may apply a verb to an object. Pure: the principal carries its roles.
 *
 * <p>The rule that shapes everything else: a caller never learns that another tenant's object exists.
 * Anything outside the caller's tenants is {@link Decision#HIDDEN} (answered 404, exactly like a missing
 * object); {@link Decision#FORBIDDEN} (403) is reserved for objects the caller can already see.
 */
public final class AccessPolicy {
    /** The outcome of one check. */
    public enum Decision { ALLOW, FORBIDDEN, HIDDEN }

    private AccessPolicy() {
    }

    /**
     * @param tenant the object's tenant (empty for platform-scoped kinds)
     * @param name the object's name; for LIST and WATCH of a platform-scoped kind pass null
     */
    public static Decision decide(Principal p, Verb verb, KindDefinition kind, String tenant, String name) {
        if (p.platformAdmin()) return Decision.ALLOW;
        if (kind.tenantScoped()) {
            Role role = p.roleIn(tenant);
            if (role == null) return Decision.HIDDEN;
            if (verb.isRead()) return Decision.ALLOW;
            return kind.writers().contains(role.wireName()) ? Decision.ALLOW : Decision.FORBIDDEN;
        }
        boolean visible = switch (kind.visibility()) {
            case ALL_AUTHENTICATED -> true;
            case MEMBERS_OF_NAMED_TENANT -> name == null || p.roleIn(name) != null;
            case SELF -> name == null || (!p.isServiceAccount() && p.name().equals(name));
            case PLATFORM_ADMINS, TENANT_MEMBERS -> false;
        };
        if (!visible) return Decision.HIDDEN;
        if (verb.isRead()) return Decision.ALLOW;
        return Decision.FORBIDDEN;
    }

    /** Whether an object may appear in the caller's list or watch results. */
    public static boolean canSee(Principal p, KindDefinition kind, Resource r) {
        return decide(p, Verb.GET, kind, r.tenant(), r.name()) == Decision.ALLOW;
    }
}
