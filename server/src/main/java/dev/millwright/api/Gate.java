package dev.millwright.api;

import dev.millwright.auth.Authenticator.Caller;
import dev.millwright.resource.ForbiddenException;
import dev.millwright.resource.MillwrightException;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.AuditEntry;
import dev.millwright.tenancy.AccessPolicy;
import dev.millwright.tenancy.Principal;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication, authorization and the audit of refusals, in one place for every handler.
 *
 * <p>Another tenant's objects are answered exactly like missing ones, message included, so that a caller
 * cannot learn which names exist elsewhere.
 */
final class Gate {
    private static final Logger log = LoggerFactory.getLogger(Gate.class);
    static final String CALLER = "millwright.caller";
    private static final String DENIED = "millwright.denied";

    private final ApiContext api;

    Gate(ApiContext api) {
        this.api = api;
    }

    Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c != null) return c;
        c = api.authenticator().authenticate(ctx.header("Authorization"));
        ctx.attribute(CALLER, c);
        return c;
    }

    /** Authenticates, then checks {@code target}; throws 404 for what the caller may not know of, 403 otherwise. */
    Principal authorize(Context ctx, Target target) {
        ctx.attribute(Target.ATTRIBUTE, target);
        Principal p = caller(ctx).principal();
        String name = target.name();
        if (name == null && target.verb().isRead() && (!target.kind().tenantScoped() || target.tenant().isEmpty())) {
            // lists of platform-scoped kinds are filtered item by item; lists of a tenant-scoped kind across
            // tenants (no tenant in the path) are limited by the handler to the caller's own tenants
            return p;
        }
        AccessPolicy.Decision d = AccessPolicy.decide(p, target.verb(), target.kind(), target.tenant(), name);
        switch (d) {
            case ALLOW -> {
                return p;
            }
            case HIDDEN -> {
                ctx.attribute(DENIED, Boolean.TRUE);
                if (target.kind().tenantScoped() && name == null) throw new NotFoundException("Tenant " + target.tenant() + " not found");
                if (target.kind().tenantScoped() && target.verb() == dev.millwright.tenancy.Verb.CREATE) {
                    throw new NotFoundException("Tenant " + target.tenant() + " not found");
                }
                throw NotFoundException.of(new ResourceKey(target.kind().kind(), target.tenant(), name));
            }
            case FORBIDDEN -> {
                ctx.attribute(DENIED, Boolean.TRUE);
                throw new ForbiddenException(p.identity() + " may not " + target.verb().wireName() + " "
                        + target.kind().plural() + (target.tenant().isEmpty() ? "" : " in tenant " + target.tenant()));
            }
            default -> throw new IllegalStateException("unexpected decision " + d);
        }
    }

    private static String auditTenant(Target t) {
        return t.name() != null && !t.kind().tenantScoped()
                ? dev.millwright.store.ResourceStore.auditTenant(new ResourceKey(t.kind().kind(), "", t.name())) : t.tenant();
    }

    /**
     * Audits a request that failed: every refused request, and every failed mutation. Successful mutations
     * are audited by the store in their own transaction.
     */
    void auditFailure(Context ctx, MillwrightException e) {
        Target t = ctx.attribute(Target.ATTRIBUTE);
        boolean refused = e.status() == 401 || e.status() == 403 || Boolean.TRUE.equals(ctx.attribute(DENIED));
        boolean mutation = t != null ? !t.verb().isRead() : !ctx.method().name().equals("GET");
        if (!refused && !mutation) return;
        Caller c = ctx.attribute(CALLER);
        String actor = c == null ? "anonymous" : c.principal().identity();
        String verb = t != null ? t.verb().wireName() : ctx.method().name().toLowerCase();
        String kind = t != null ? t.kind().kind() : ctx.path();
        try {
            api.audit().record(new AuditEntry(api.clock().instant(), actor, verb, kind,
                    t == null ? "" : auditTenant(t), t == null || t.name() == null ? "" : t.name(),
                    e.status(), e.getMessage(), ""));
        } catch (RuntimeException auditFailure) {
            log.error("could not audit a refused request: {}", auditFailure.toString());
        }
    }
}
