package dev.millwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.ConflictException;
import dev.millwright.resource.Json;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.watch.Change;
import dev.millwright.watch.ChangeFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceStoreSmokeTest {
    @Test
    void createUpdateDeleteFlowThroughTheFeedAndTheAuditChain() throws Exception {
        try (Database db = TestDatabases.fresh("smoke"); ChangeFeed feed = ChangeFeed.start(db, 100)) {
            ResourceStore store = new ResourceStore(db, Clock.systemUTC());
            var watch = feed.watch(feed.head());
            Resource tenant = new Resource("Tenant", ObjectMeta.named("acme", ""), Json.object().put("displayName", "Acme"), null);
            Resource created = store.create(tenant, WriteContext.of("user:admin"));
            assertThat(created.resourceVersion()).isPositive();
            assertThat(created.metadata().generation()).isEqualTo(1);
            assertThatThrownBy(() -> store.create(tenant, WriteContext.of("user:admin"))).isInstanceOf(ConflictException.class);

            Resource updated = store.update(created.key(), r -> r.withSpec(Json.object().put("displayName", "Acme Inc")),
                    WriteContext.of("user:admin"), "update");
            assertThat(updated.metadata().generation()).isEqualTo(2);
            assertThat(updated.resourceVersion()).isGreaterThan(created.resourceVersion());

            store.delete(ResourceKey.platform("Tenant", "acme"), 0, WriteContext.of("user:admin"));
            assertThat(store.get(created.key())).isEmpty();

            List<Change> seen = new java.util.ArrayList<>();
            while (seen.size() < 3) seen.addAll(watch.next(Duration.ofSeconds(5)));
            assertThat(seen).extracting(Change::type).containsExactly(Change.Type.ADDED, Change.Type.MODIFIED, Change.Type.DELETED);
            assertThat(seen.get(1).object().path("metadata").path("resourceVersion").asText())
                    .isEqualTo(Long.toString(updated.resourceVersion()));

            AuditLog audit = new AuditLog(db);
            assertThat(audit.size()).isEqualTo(3);
            assertThat(audit.verify().intact()).isTrue();
        }
    }
}
