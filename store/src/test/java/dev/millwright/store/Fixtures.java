package dev.millwright.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import java.util.Map;

/** Builders for the objects store tests write, and row counts read behind the store's back. */
final class Fixtures {
    /** An API write by a platform admin. */
    static final WriteContext ADMIN = WriteContext.of("user:admin");

    private Fixtures() {
    }

    static Resource tenant(String name) {
        return new Resource("Tenant", ObjectMeta.named(name, ""), Json.object().put("displayName", name), null);
    }

    /** A tenant-scoped object ({@code tenant} empty for a platform-scoped one) with labels and a spec. */
    static Resource object(String kind, String tenant, String name, Map<String, String> labels, ObjectNode spec) {
        return new Resource(kind, ObjectMeta.named(name, tenant).withLabels(labels), spec, null);
    }

    static Resource object(String kind, String tenant, String name) {
        return object(kind, tenant, name, Map.of(), Json.object().put("size", 1));
    }

    /** Rows in {@code table}, counted with plain SQL. */
    static long rows(Database db, String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }
}
