package dev.millwright.store;

import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.tenancy.Principal;
import dev.millwright.tenancy.Role;
import dev.millwright.tenancy.TenancyKinds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns a token's subject into a {@link Principal} with its roles, read from the User or ServiceAccount
 * object and from the members lists of every Tenant and Project that name the user.
 */
public final class PrincipalDirectory {
    private final Jdbi jdbi;
    private final ResourceStore store;

    public PrincipalDirectory(Database db, ResourceStore store) {
        this.jdbi = db.jdbi();
        this.store = store;
    }

    /** The principal, or empty when its User or ServiceAccount is gone or disabled. */
    public Optional<Principal> resolve(TokenRecord token) {
        if (token.subjectKind().equals(TenancyKinds.SERVICE_ACCOUNT)) {
            return store.get(new ResourceKey(TenancyKinds.SERVICE_ACCOUNT, token.tenant(), token.subject()))
                    .filter(sa -> sameIncarnation(token, sa))
                    .filter(sa -> !sa.spec().path("disabled").asBoolean(false))
                    .flatMap(sa -> Role.fromWire(sa.spec().path("role").asText()))
                    .map(role -> Principal.serviceAccount(token.tenant(), token.subject(), role));
        }
        return store.get(ResourceKey.platform(TenancyKinds.USER, token.subject()))
                .filter(u -> sameIncarnation(token, u))
                .filter(u -> !u.spec().path("disabled").asBoolean(false))
                .map(u -> Principal.user(u.name(), u.spec().path("platformAdmin").asBoolean(false), memberships(u.name())));
    }

    private static boolean sameIncarnation(TokenRecord token, Resource subject) {
        return token.subjectUid() == null || token.subjectUid().equals(subject.metadata().uid());
    }

    /** The strongest role the user holds in each tenant, through the tenant's members or a project's. */
    public Map<String, Role> memberships(String user) {
        String probe = Json.string(List.of(Map.of("user", user)));
        List<Resource> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT kind, tenant, name, uid, resource_version, generation, created_at, labels, annotations, spec, status
                        FROM resources WHERE kind IN ('Tenant', 'Project') AND spec -> 'members' @> CAST(:probe AS jsonb)""")
                .bind("probe", probe).map((rs, ctx) -> ResourceStore.read(rs)).list());
        Map<String, Role> roles = new HashMap<>();
        for (Resource r : rows) {
            String tenant = r.kind().equals(TenancyKinds.TENANT) ? r.name() : r.tenant();
            Role role = TenancyKinds.memberRole(r.spec(), user);
            if (role != null) roles.merge(tenant, role, Role::stronger);
        }
        return roles;
    }
}
