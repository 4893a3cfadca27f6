package dev.millwright.store;

import static dev.millwright.store.Fixtures.ADMIN;
import static dev.millwright.store.Fixtures.object;
import static dev.millwright.store.Fixtures.rows;
import static dev.millwright.store.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.ConflictException;
import dev.millwright.resource.Json;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes through the ResourceStore: round trips, preconditions, generation, tenancy, and what a refused write leaves behind. */
class ResourceStoreTest {
    private static final TestClock clock = TestClock.atEpochDay();
    private static Database db;
    private static ResourceStore store;
    private static AuditLog audit;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh("resourcestore");
        store = new ResourceStore(db, clock);
        audit = new AuditLog(db);
        store.create(tenant("acme"), ADMIN);
    }

    @AfterAll
    static void close() {
        store.close();
        db.close();
    }

    /**
     * What a refused write must not touch besides its object: the change feed and the audit log. (Not the
     * revision counter: a write refused inside a group commit may use up a number, which no watcher sees.)
     */
    private record Footprint(long audited, long changes) {
        static Footprint now() {
            return new Footprint(audit.size(), rows(db, "changes"));
        }
    }

    @Test
    void createdUpdatedAndDeletedObjectsReadBackExactlyAsReturned() {
        Resource created = store.create(object("Widget", "acme", "round-trip", Map.of("app", "web"), Json.object().put("size", 1)), ADMIN);
        assertThat(created.metadata().uid()).isNotBlank();
        assertThat(created.metadata().generation()).isEqualTo(1);
        assertThat(created.metadata().creationTimestamp()).isEqualTo(clock.instant());
        assertThat(created.resourceVersion()).isEqualTo(store.revision());
        assertThat(store.get(created.key())).contains(created);

        clock.advance(Duration.ofSeconds(1));
        Resource updated = store.update(created.key(), r -> r.withSpec(Json.object().put("size", 2)), ADMIN, "update");
        assertThat(updated.resourceVersion()).isGreaterThan(created.resourceVersion());
        assertThat(updated.metadata().uid()).isEqualTo(created.metadata().uid());
        assertThat(updated.metadata().creationTimestamp()).isEqualTo(created.metadata().creationTimestamp());
        assertThat(updated.spec().path("size").asInt()).isEqualTo(2);
        assertThat(store.get(created.key())).contains(updated);

        Resource deleted = store.delete(created.key(), 0, ADMIN);
        assertThat(deleted.resourceVersion()).isGreaterThan(updated.resourceVersion()).isEqualTo(store.revision());
        assertThat(deleted.spec()).isEqualTo(updated.spec());
        assertThat(store.get(created.key())).isEmpty();
    }

    @Test
    void updateAndDeleteOfAMissingObjectAreNotFound() {
        ResourceKey missing = new ResourceKey("Widget", "acme", "never-created");
        assertThatThrownBy(() -> store.update(missing, r -> r, ADMIN, "update"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Widget acme/never-created");
        assertThatThrownBy(() -> store.delete(missing, 0, ADMIN)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void creatingAnExistingNameConflictsAndChangesNothing() {
        Resource first = store.create(object("Widget", "acme", "taken"), ADMIN);
        Footprint before = Footprint.now();

        Resource again = object("Widget", "acme", "taken", Map.of("other", "labels"), Json.object().put("size", 99));
        assertThatThrownBy(() -> store.create(again, ADMIN))
                .isInstanceOf(ConflictException.class).hasMessageContaining("Widget acme/taken already exists");

        assertThat(store.get(first.key())).contains(first);
        assertThat(Footprint.now()).isEqualTo(before);
    }

    @Test
    void writesThatDoNotHappenTakeNoRevision() {
        Resource first = store.create(object("Widget", "acme", "counted"), ADMIN);
        long before = store.revision();
        assertThatThrownBy(() -> store.create(object("Widget", "acme", "counted"), ADMIN)).isInstanceOf(ConflictException.class);
        assertThat(store.revision()).isEqualTo(before);

        // an update that loses its race re-reads and retries; only the write that happens takes a revision
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Resource updated = store.update(first.key(), r -> {
            if (calls.incrementAndGet() == 1) {
                store.update(first.key(), x -> x.withSpec(Json.object().put("size", 5)), ADMIN, "update"); // a rival write
            }
            return r.withSpec(Json.object().put("size", 2));
        }, ADMIN, "update");
        assertThat(calls.get()).isEqualTo(2);
        assertThat(updated.resourceVersion()).isEqualTo(before + 2).isEqualTo(store.revision());
    }

    @Test
    void theSameNameInAnotherKindOrTenantIsNoConflict() {
        store.create(tenant("initrode"), ADMIN);
        store.create(object("Widget", "acme", "shared-name"), ADMIN);
        store.create(object("Gizmo", "acme", "shared-name"), ADMIN);
        store.create(object("Widget", "initrode", "shared-name"), ADMIN);
        assertThat(store.get(new ResourceKey("Gizmo", "acme", "shared-name"))).isPresent();
        assertThat(store.get(new ResourceKey("Widget", "initrode", "shared-name"))).isPresent();
    }

    @Test
    void anUpdateRefusedAsStaleLeavesTheRowUntouched() {
        Resource current = store.create(object("Widget", "acme", "stale-update"), ADMIN);
        store.update(current.key(), r -> r.withSpec(Json.object().put("size", 2)), ADMIN, "update");
        Resource latest = store.get(current.key()).orElseThrow();
        Footprint before = Footprint.now();

        long sent = current.resourceVersion(); // what a client that read before the last update sends back
        UnaryOperator<Resource> basedOnWhatTheClientRead = r -> {
            if (r.resourceVersion() != sent) throw ResourceStore.stale(r.key(), sent, r.resourceVersion());
            return r.withSpec(Json.object().put("size", 3));
        };
        assertThatThrownBy(() -> store.update(current.key(), basedOnWhatTheClientRead, ADMIN, "update"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("resourceVersion " + sent)
                .hasMessageContaining("is at " + latest.resourceVersion());

        assertThat(store.get(current.key())).contains(latest);
        assertThat(Footprint.now()).isEqualTo(before);
    }

    @Test
    void onlyASpecChangeBumpsTheGeneration() {
        Resource created = store.create(object("Widget", "acme", "generations"), ADMIN);

        Resource statusOnly = store.update(created.key(), r -> r.withStatus(Json.object().put("phase", "Ready")), ADMIN, "update-status");
        assertThat(statusOnly.metadata().generation()).isEqualTo(1);
        assertThat(statusOnly.resourceVersion()).isGreaterThan(created.resourceVersion());
        assertThat(statusOnly.status().path("phase").asText()).isEqualTo("Ready");

        Resource labelOnly = store.update(created.key(), r -> r.withMetadata(r.metadata().withLabels(Map.of("tier", "gold"))), ADMIN, "update");
        assertThat(labelOnly.metadata().generation()).isEqualTo(1);
        assertThat(labelOnly.resourceVersion()).isGreaterThan(statusOnly.resourceVersion());
        assertThat(labelOnly.metadata().labels()).containsExactly(Map.entry("tier", "gold"));

        Resource annotationOnly = store.update(created.key(), r -> r.withMetadata(new ObjectMeta(r.name(), r.tenant(), r.metadata().labels(),
                Map.of("note", "hello"), r.metadata().uid(), r.resourceVersion(), r.metadata().generation(), r.metadata().creationTimestamp())),
                ADMIN, "update");
        assertThat(annotationOnly.metadata().generation()).isEqualTo(1);
        assertThat(annotationOnly.metadata().annotations()).containsExactly(Map.entry("note", "hello"));

        Resource specChange = store.update(created.key(), r -> r.withSpec(Json.object().put("size", 2)), ADMIN, "update");
        assertThat(specChange.metadata().generation()).isEqualTo(2);
        assertThat(specChange.status().path("phase").asText()).isEqualTo("Ready");
        assertThat(specChange.metadata().labels()).containsExactly(Map.entry("tier", "gold"));
        assertThat(store.get(created.key())).contains(specChange);
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() {
        Resource created = store.create(object("Widget", "acme", "no-op", Map.of("a", "b"), Json.object().put("size", 1)), ADMIN);
        Footprint before = Footprint.now();

        assertThat(store.update(created.key(), r -> r, ADMIN, "update")).isEqualTo(created);
        Resource sameContent = store.update(created.key(), r -> r.withSpec(Json.object().put("size", 1))
                .withStatus(Json.object()).withMetadata(r.metadata().withLabels(Map.of("a", "b"))), ADMIN, "update");

        assertThat(sameContent).isEqualTo(created);
        assertThat(Footprint.now()).isEqualTo(before);
        assertThat(store.get(created.key())).contains(created);
    }

    @Test
    void anUpdateThatOnlyRetypesEqualNumbersWritesNothing() {
        Resource created = store.create(object("Widget", "acme", "numbers", Map.of(), Json.object().put("size", 1).put("ratio", 0.5)), ADMIN);
        Resource withStatus = store.update(created.key(), r -> r.withStatus(Json.object().put("checks", 3)), ADMIN, "update-status");
        Footprint before = Footprint.now();

        // the same values as a long, a double and a BigDecimal, as a YAML or JSON parser may produce them
        Resource same = store.update(created.key(), r -> r.withSpec(Json.object().put("size", 1L).put("ratio", new java.math.BigDecimal("0.50")))
                .withStatus(Json.object().put("checks", 3L)), ADMIN, "update");

        assertThat(same.resourceVersion()).isEqualTo(withStatus.resourceVersion());
        assertThat(same.metadata().generation()).isEqualTo(1);
        assertThat(Footprint.now()).isEqualTo(before);
    }

    @Test
    void serverOwnedMetadataSurvivesWhateverTheChangeFunctionReturns() {
        Resource created = store.create(object("Widget", "acme", "owned-fields"), ADMIN);
        Resource updated = store.update(created.key(), r -> r.withSpec(Json.object().put("size", 5)).withMetadata(
                new ObjectMeta(r.name(), r.tenant(), Map.of(), Map.of(), "00000000-0000-0000-0000-000000000000", 999_999, 42, Instant.EPOCH)),
                ADMIN, "update");

        assertThat(updated.metadata().uid()).isEqualTo(created.metadata().uid());
        assertThat(updated.metadata().generation()).isEqualTo(2);
        assertThat(updated.metadata().creationTimestamp()).isEqualTo(created.metadata().creationTimestamp());
        assertThat(updated.resourceVersion()).isEqualTo(store.revision());
        assertThat(store.get(created.key())).contains(updated);
    }

    @Test
    void anObjectInAMissingTenantIsNotFoundAndNothingIsWritten() {
        Footprint before = Footprint.now();
        assertThatThrownBy(() -> store.create(object("Widget", "no-such-tenant", "orphan"), ADMIN))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Tenant no-such-tenant not found");
        assertThat(store.get(new ResourceKey("Widget", "no-such-tenant", "orphan"))).isEmpty();
        assertThat(Footprint.now()).isEqualTo(before);
    }

    @Test
    void aTenantThatStillHoldsObjectsIsNotDeletedAndTheRefusalNamesThem() {
        Resource tenant = store.create(tenant("initech"), ADMIN);
        store.create(object("Project", "initech", "tps"), ADMIN);
        for (int i = 1; i <= 5; i++) store.create(object("Widget", "initech", "w" + i), ADMIN);
        Footprint before = Footprint.now();

        assertThatThrownBy(() -> store.delete(tenant.key(), 0, ADMIN))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("Tenant initech still holds objects (Project/tps, Widget/w1, Widget/w2, Widget/w3, Widget/w4, ...)")
                .hasMessageNotContaining("Widget/w5");
        assertThat(store.get(tenant.key())).contains(tenant);
        assertThat(Footprint.now()).isEqualTo(before);

        store.delete(new ResourceKey("Project", "initech", "tps"), 0, ADMIN);
        for (int i = 1; i <= 4; i++) store.delete(new ResourceKey("Widget", "initech", "w" + i), 0, ADMIN);
        assertThatThrownBy(() -> store.delete(tenant.key(), 0, ADMIN))
                .isInstanceOf(ConflictException.class).hasMessageContaining("(Widget/w5)");

        store.delete(new ResourceKey("Widget", "initech", "w5"), 0, ADMIN);
        store.delete(tenant.key(), 0, ADMIN);
        assertThat(store.get(tenant.key())).isEmpty();
    }

    @Test
    void aDeleteWithAStaleResourceVersionConflictsAndKeepsTheObject() {
        Resource created = store.create(object("Widget", "acme", "stale-delete"), ADMIN);
        Resource updated = store.update(created.key(), r -> r.withSpec(Json.object().put("size", 2)), ADMIN, "update");
        Footprint before = Footprint.now();

        assertThatThrownBy(() -> store.delete(created.key(), created.resourceVersion(), ADMIN))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("based on resourceVersion " + created.resourceVersion())
                .hasMessageContaining("is at " + updated.resourceVersion());
        assertThat(store.get(created.key())).contains(updated);
        assertThat(Footprint.now()).isEqualTo(before);

        store.delete(created.key(), updated.resourceVersion(), ADMIN);
        assertThat(store.get(created.key())).isEmpty();
    }
}
