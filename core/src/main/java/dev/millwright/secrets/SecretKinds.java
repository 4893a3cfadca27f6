package dev.millwright.secrets;

import static dev.millwright.resource.KindDefinition.columns;

import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import dev.millwright.tenancy.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The secret kinds: Secret (a tenant's model-hub tokens and registry credentials; tenant admins write it, every
 * member reads its names and status) and PlatformSecret (BMC passwords and the like; platform admins only). The
 * model allows one scope per kind, hence two kinds with one spec.
 *
 * <p>What is stored, rendered and watched is the object without its values: the API takes {@code spec.data}
 * out of the body and seals it separately. The rule below refuses a spec that still carries data, so a write
 * that reached the store by any other path would be refused rather than stored in the clear.
 */
public final class SecretKinds {
    public static final String SECRET = "Secret";
    public static final String PLATFORM_SECRET = "PlatformSecret";

    private SecretKinds() {
    }

    public static List<KindDefinition> all() {
        SpecSchema spec = SpecSchema.classpath(SecretKinds.class, "Secret.json");
        Map<String, String> columns = columns("TYPE", "spec.type", "KEYS", "status.keys*", "ENCRYPTION KEY", "status.keyId");
        return List.of(
                new KindDefinition(SECRET, "secrets",
                        "A tenant's credentials (model-hub tokens, registry credentials): sealed at rest, never returned.",
                        Scope.TENANT, Visibility.TENANT_MEMBERS, Set.of(Role.TENANT_ADMIN.wireName()), spec,
                        SecretKinds::rules, columns),
                new KindDefinition(PLATFORM_SECRET, "platformsecrets",
                        "The platform's credentials (BMC passwords): sealed at rest, never returned; platform admins only.",
                        Scope.PLATFORM, Visibility.PLATFORM_ADMINS, Set.of(), spec, SecretKinds::rules, columns));
    }

    /** Whether objects of {@code kind} carry sealed values. */
    public static boolean isSecret(String kind) {
        return SECRET.equals(kind) || PLATFORM_SECRET.equals(kind);
    }

    private static Map<String, List<String>> rules(Resource r) {
        if (r.spec().has("data")) {
            return Map.of("spec.data", List.of("is write-only and is never stored with the object; it was not taken out of this write"));
        }
        return Map.of();
    }
}
