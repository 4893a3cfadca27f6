package dev.millwright.tenancy;

import static dev.millwright.tenancy.AccessPolicy.Decision.ALLOW;
import static dev.millwright.tenancy.AccessPolicy.Decision.FORBIDDEN;
import static dev.millwright.tenancy.AccessPolicy.Decision.HIDDEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.kinds.Kinds;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.tenancy.AccessPolicy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision matrix: every verb, for every kind of caller, on objects of the caller's own tenant and of
 * another one. The caller "alice" belongs to tenant "acme" only; "globex" is the other tenant.
 */
class AccessPolicyTest {
    private static final String OWN = "acme";
    private static final String OTHER = "globex";

    /** Who calls; each holds its role in {@link #OWN} and nothing in {@link #OTHER}. */
    enum Caller {
        PLATFORM_ADMIN(Principal.user("alice", true, Map.of())),
        TENANT_ADMIN(Principal.user("alice", false, Map.of(OWN, Role.TENANT_ADMIN))),
        PRACTITIONER(Principal.user("alice", false, Map.of(OWN, Role.PRACTITIONER))),
        VIEWER(Principal.user("alice", false, Map.of(OWN, Role.VIEWER))),
        NO_MEMBERSHIP(Principal.user("alice", false, Map.of()));

        final Principal principal;

        Caller(Principal principal) {
            this.principal = principal;
        }
    }

    /** What a caller gets for reads (GET, LIST, WATCH) and writes (CREATE, UPDATE, PATCH, DELETE). */
    record Expect(Caller caller, Decision ownRead, Decision ownWrite, Decision otherRead, Decision otherWrite) {
        Decision on(boolean own, Verb verb) {
            if (own) return verb.isRead() ? ownRead : ownWrite;
            return verb.isRead() ? otherRead : otherWrite;
        }
    }

    /** Project and ServiceAccount: members of the object's tenant read, tenant admins write. */
    private static final List<Expect> TENANT_SCOPED = List.of(
            //          caller                 own read  own write  other read  other write
            new Expect(Caller.PLATFORM_ADMIN, ALLOW,    ALLOW,     ALLOW,      ALLOW),
            new Expect(Caller.TENANT_ADMIN,   ALLOW,    ALLOW,     HIDDEN,     HIDDEN),
            new Expect(Caller.PRACTITIONER,   ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN),
            new Expect(Caller.VIEWER,         ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN),
            new Expect(Caller.NO_MEMBERSHIP,  HIDDEN,   HIDDEN,    HIDDEN,     HIDDEN));

    /** Tenant: members of the tenant it names read it; only platform admins write tenants. */
    private static final List<Expect> TENANT_KIND = List.of(
            //          caller                 own read  own write  other read  other write
            new Expect(Caller.PLATFORM_ADMIN, ALLOW,    ALLOW,     ALLOW,      ALLOW),
            new Expect(Caller.TENANT_ADMIN,   ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN),
            new Expect(Caller.PRACTITIONER,   ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN),
            new Expect(Caller.VIEWER,         ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN),
            new Expect(Caller.NO_MEMBERSHIP,  HIDDEN,   HIDDEN,    HIDDEN,     HIDDEN));

    /** User: a user reads its own User object ("own" here) and no one else's; only platform admins write users. */
    private static final List<Expect> USER_KIND = List.of(
            //          caller                 own read  own write  other read  other write
            new Expect(Caller.PLATFORM_ADMIN, ALLOW,    ALLOW,     ALLOW,      ALLOW),
            new Expect(Caller.TENANT_ADMIN,   ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN),
            new Expect(Caller.PRACTITIONER,   ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN),
            new Expect(Caller.VIEWER,         ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN),
            new Expect(Caller.NO_MEMBERSHIP,  ALLOW,    FORBIDDEN, HIDDEN,     HIDDEN));

    private static KindDefinition kind(String name) {
        return Kinds.registry().byKind(name);
    }

    static Stream<Arguments> tenantScopedMatrix() {
        List<Arguments> rows = new ArrayList<>();
        for (String kind : List.of(TenancyKinds.PROJECT, TenancyKinds.SERVICE_ACCOUNT)) {
            for (Expect e : TENANT_SCOPED) {
                for (Verb verb : Verb.values()) {
                    for (boolean own : new boolean[] {true, false}) {
                        rows.add(Arguments.of(kind, e.caller(), verb, own ? OWN : OTHER, e.on(own, verb)));
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{1} {2} {0} in {3}: {4}")
    @MethodSource("tenantScopedMatrix")
    void decidesTenantScopedKindsByRoleInTheObjectsTenant(String kind, Caller caller, Verb verb, String tenant, Decision expected) {
        assertThat(AccessPolicy.decide(caller.principal, verb, kind(kind), tenant, "vision")).isEqualTo(expected);
    }

    static Stream<Arguments> tenantKindMatrix() {
        return matrix(TENANT_KIND, OWN, OTHER);
    }

    @ParameterizedTest(name = "{0} {1} Tenant {2}: {3}")
    @MethodSource("tenantKindMatrix")
    void letsMembersReadTheirTenantAndHidesEveryOtherTenant(Caller caller, Verb verb, String name, Decision expected) {
        assertThat(AccessPolicy.decide(caller.principal, verb, kind(TenancyKinds.TENANT), "", name)).isEqualTo(expected);
    }

    static Stream<Arguments> userKindMatrix() {
        return matrix(USER_KIND, "alice", "bob");
    }

    @ParameterizedTest(name = "{0} {1} User {2}: {3}")
    @MethodSource("userKindMatrix")
    void letsAUserReadOnlyItsOwnUserObject(Caller caller, Verb verb, String name, Decision expected) {
        assertThat(AccessPolicy.decide(caller.principal, verb, kind(TenancyKinds.USER), "", name)).isEqualTo(expected);
    }

    private static Stream<Arguments> matrix(List<Expect> table, String ownName, String otherName) {
        List<Arguments> rows = new ArrayList<>();
        for (Expect e : table) {
            for (Verb verb : Verb.values()) {
                rows.add(Arguments.of(e.caller(), verb, ownName, e.on(true, verb)));
                rows.add(Arguments.of(e.caller(), verb, otherName, e.on(false, verb)));
            }
        }
        return rows.stream();
    }

    @Test
    void neverAnswersForbiddenForAnotherTenantsObjectToAnyoneButAPlatformAdmin() {
        List<Principal> callers = new ArrayList<>();
        for (Caller c : Caller.values()) {
            if (c != Caller.PLATFORM_ADMIN) callers.add(c.principal);
        }
        for (Role role : List.of(Role.TENANT_ADMIN, Role.PRACTITIONER, Role.VIEWER)) {
            callers.add(Principal.serviceAccount(OWN, "ci", role));
        }
        for (Principal p : callers) {
            for (Verb verb : Verb.values()) {
                for (KindDefinition k : List.of(kind(TenancyKinds.PROJECT), kind(TenancyKinds.SERVICE_ACCOUNT))) {
                    assertThat(AccessPolicy.decide(p, verb, k, OTHER, "vision")).as("%s %s %s", p.identity(), verb, k.kind())
                            .isEqualTo(HIDDEN);
                }
                assertThat(AccessPolicy.decide(p, verb, kind(TenancyKinds.TENANT), "", OTHER)).as("%s %s Tenant", p.identity(), verb)
                        .isEqualTo(HIDDEN);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "PLATFORM_ADMIN", mode = EnumSource.Mode.EXCLUDE)
    void givesAServiceAccountItsRoleInItsOwnTenantOnly(Role role) {
        Principal sa = Principal.serviceAccount(OWN, "ci", role);
        KindDefinition project = kind(TenancyKinds.PROJECT);

        assertThat(AccessPolicy.decide(sa, Verb.GET, project, OWN, "vision")).isEqualTo(ALLOW);
        assertThat(AccessPolicy.decide(sa, Verb.CREATE, project, OWN, "vision"))
                .isEqualTo(role == Role.TENANT_ADMIN ? ALLOW : FORBIDDEN);
        assertThat(AccessPolicy.decide(sa, Verb.GET, project, OTHER, "vision")).isEqualTo(HIDDEN);
    }

    @Test
    void hidesTheUserObjectOfTheSameNameFromAServiceAccount() {
        Principal sa = Principal.serviceAccount(OWN, "alice", Role.TENANT_ADMIN);

        assertThat(AccessPolicy.decide(sa, Verb.GET, kind(TenancyKinds.USER), "", "alice")).isEqualTo(HIDDEN);
    }

    @ParameterizedTest
    @EnumSource(value = Verb.class, names = {"LIST", "WATCH"})
    void letsEveryoneListPlatformScopedKindsWhichAreThenFilteredPerObject(Verb verb) {
        for (Caller c : Caller.values()) {
            assertThat(AccessPolicy.decide(c.principal, verb, kind(TenancyKinds.TENANT), "", null)).isEqualTo(ALLOW);
            assertThat(AccessPolicy.decide(c.principal, verb, kind(TenancyKinds.USER), "", null)).isEqualTo(ALLOW);
        }
    }

    @Test
    void filtersListResultsToWhatTheCallerMayGet() {
        Principal viewer = Caller.VIEWER.principal;
        Resource ownProject = new Resource(TenancyKinds.PROJECT, ObjectMeta.named("vision", OWN), null, null);
        Resource otherProject = new Resource(TenancyKinds.PROJECT, ObjectMeta.named("vision", OTHER), null, null);
        Resource ownTenant = new Resource(TenancyKinds.TENANT, ObjectMeta.named(OWN, ""), null, null);
        Resource otherTenant = new Resource(TenancyKinds.TENANT, ObjectMeta.named(OTHER, ""), null, null);

        assertThat(AccessPolicy.canSee(viewer, kind(TenancyKinds.PROJECT), ownProject)).isTrue();
        assertThat(AccessPolicy.canSee(viewer, kind(TenancyKinds.PROJECT), otherProject)).isFalse();
        assertThat(AccessPolicy.canSee(viewer, kind(TenancyKinds.TENANT), ownTenant)).isTrue();
        assertThat(AccessPolicy.canSee(viewer, kind(TenancyKinds.TENANT), otherTenant)).isFalse();
        assertThat(AccessPolicy.canSee(Caller.PLATFORM_ADMIN.principal, kind(TenancyKinds.TENANT), otherTenant)).isTrue();
    }
}
