package dev.millwright.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.KindDefinition;
import static dev.millwright.resource.KindDefinition.columns;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The kinds of the tenancy model: who uses the platform and how they are grouped. */
public final class TenancyKinds {
    public static final String TENANT = "Tenant";
    public static final String PROJECT = "Project";
    public static final String USER = "User";
    public static final String SERVICE_ACCOUNT = "ServiceAccount";

    private static final Set<String> ADMINS = Set.of(Role.TENANT_ADMIN.wireName());

    private TenancyKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(
                new KindDefinition(TENANT, "tenants",
                        "An organisation on the platform: members, roles and compliance profile.",
                        Scope.PLATFORM, Visibility.MEMBERS_OF_NAMED_TENANT, Set.of(),
                        SpecSchema.classpath(TenancyKinds.class, "Tenant.json"), TenancyKinds::uniqueMembers,
                        columns("MEMBERS", "spec.members#", "PHASE", "status.phase")),
                new KindDefinition(PROJECT, "projects",
                        "A team inside a tenant; its members hold their role in the tenant.",
                        Scope.TENANT, Visibility.TENANT_MEMBERS, ADMINS,
                        SpecSchema.classpath(TenancyKinds.class, "Project.json"), TenancyKinds::uniqueMembers,
                        columns("MEMBERS", "spec.members#", "PHASE", "status.phase")),
                new KindDefinition(USER, "users",
                        "A person who calls the API with bearer tokens.",
                        Scope.PLATFORM, Visibility.SELF, Set.of(),
                        SpecSchema.classpath(TenancyKinds.class, "User.json"), null,
                        columns("ADMIN", "spec.platformAdmin", "DISABLED", "spec.disabled")),
                new KindDefinition(SERVICE_ACCOUNT, "serviceaccounts",
                        "A non-human caller of one tenant, holding one role in it.",
                        Scope.TENANT, Visibility.TENANT_MEMBERS, ADMINS,
                        SpecSchema.classpath(TenancyKinds.class, "ServiceAccount.json"), null,
                        columns("ROLE", "spec.role")));
    }


    /** A user listed twice with different roles would make the effective role depend on order. */
    private static Map<String, List<String>> uniqueMembers(Resource r) {
        Map<String, List<String>> errors = new HashMap<>();
        Set<String> seen = new HashSet<>();
        JsonNode members = r.spec().path("members");
        for (int i = 0; i < members.size(); i++) {
            String user = members.get(i).path("user").asText();
            if (!seen.add(user)) {
                errors.computeIfAbsent("spec.members[" + i + "].user", k -> new ArrayList<>())
                        .add("user " + user + " is listed more than once");
            }
        }
        return errors;
    }

    /** The roles {@code user} holds through the members lists of a tenant and its projects. */
    public static Role memberRole(JsonNode spec, String user) {
        Role best = null;
        for (JsonNode m : spec.path("members")) {
            if (user.equals(m.path("user").asText())) {
                best = Role.stronger(best, Role.fromWire(m.path("role").asText()).orElse(null));
            }
        }
        return best;
    }
}
