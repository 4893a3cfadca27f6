package dev.millwright.store;

import dev.millwright.kinds.Kinds;
import dev.millwright.resource.Claim;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The exclusive claims of objects (see {@link Claim}), kept in the {@code claims} table inside the write's
 * transaction. Every write holds the revision lock, so "check, then write" cannot race another writer.
 */
final class Claims {
    private Claims() {
    }

    static List<Claim> of(Resource r) {
        return Kinds.registry().find(r.kind()).map(KindDefinition::claims).map(f -> f.apply(r)).orElse(List.of());
    }

    /** Refuses, before anything is written, claims that another object holds. */
    static void check(Handle h, ResourceKey owner, List<Claim> claims) {
        if (claims.isEmpty()) return;
        Map<String, List<String>> errors = new TreeMap<>();
        for (Claim c : claims) {
            h.createQuery("SELECT owner_kind, owner_tenant, owner_name FROM claims WHERE namespace = :ns AND value = :v "
                            + "AND NOT (owner_kind = :k AND owner_tenant = :t AND owner_name = :n)")
                    .bind("ns", c.namespace()).bind("v", c.value())
                    .bind("k", owner.kind()).bind("t", owner.tenant()).bind("n", owner.name())
                    // another tenant's holder is not named: a caller never learns of another tenant's objects
                    .map((rs, ctx) -> !rs.getString("owner_tenant").isEmpty() && !rs.getString("owner_tenant").equals(owner.tenant())
                            ? "another tenant" : rs.getString("owner_kind") + " " + rs.getString("owner_name")).findOne()
                    .ifPresent(holder -> errors.computeIfAbsent(c.field(), k -> new ArrayList<>())
                            .add(c.namespace() + " " + c.value() + " is already held by " + holder));
        }
        if (!errors.isEmpty()) throw new InvalidResourceException(owner.describe(), errors);
    }

    /** Makes {@code claims} the owner's only claims; after a write that happened. */
    static void replace(Handle h, ResourceKey owner, List<Claim> claims) {
        release(h, owner);
        for (Claim c : claims) {
            h.createUpdate("INSERT INTO claims (namespace, value, owner_kind, owner_tenant, owner_name) VALUES (:ns, :v, :k, :t, :n)")
                    .bind("ns", c.namespace()).bind("v", c.value())
                    .bind("k", owner.kind()).bind("t", owner.tenant()).bind("n", owner.name()).execute();
        }
    }

    static void release(Handle h, ResourceKey owner) {
        h.createUpdate("DELETE FROM claims WHERE owner_kind = :k AND owner_tenant = :t AND owner_name = :n")
                .bind("k", owner.kind()).bind("t", owner.tenant()).bind("n", owner.name()).execute();
    }
}
