package dev.millwright.store;

import static dev.millwright.store.Fixtures.ADMIN;
import static dev.millwright.store.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.ConflictException;
import dev.millwright.resource.Json;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.secrets.Keyring;
import dev.millwright.secrets.SecretData;
import dev.millwright.secrets.SecretKinds;
import dev.millwright.secrets.UnreadableSecretException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Secret objects and their sealed values in PostgreSQL: written together or not at all, removed together, rekeyed. */
class SecretsTest {
    private static final TestClock clock = TestClock.atEpochDay();
    private static final String K1 = "k1=" + Keyring.generate();
    private static final String K2 = "k2=" + Keyring.generate();
    private static Database db;
    private static ResourceStore store;
    private static Secrets secrets;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh("secrets");
        store = new ResourceStore(db, clock);
        secrets = new Secrets(db, store, Keyring.parse(K1, "test"), clock);
        store.create(tenant("acme"), ADMIN);
    }

    @AfterAll
    static void close() {
        store.close();
        db.close();
    }

    private static Resource secret(String name) {
        return new Resource(SecretKinds.SECRET, ObjectMeta.named(name, "acme"), Json.object().put("type", "hub-token"), null);
    }

    private static long valueRows(String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM secret_values WHERE name = :n").bind("n", name).mapTo(Long.class).one());
    }

    private static List<String> keyIds(String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT key_id FROM secret_values WHERE name = :n ORDER BY key").bind("n", name).mapTo(String.class).list());
    }

    @Test
    void valuesAreStoredSealedReadableOnlyThroughRevealAndGoWithTheirObject() {
        Resource created = secrets.create(secret("hub"), Map.of("token", "hf_plaintext_1"), ADMIN);
        assertThat(created.status().path("keys").path("token").path("keyId").asText()).isEqualTo("k1");
        assertThat(Json.string(store.get(created.key()).orElseThrow())).doesNotContain("hf_plaintext_1");
        List<byte[]> stored = db.jdbi().withHandle(h -> h.createQuery("SELECT ciphertext FROM secret_values WHERE name = 'hub'").mapTo(byte[].class).list());
        assertThat(stored).hasSize(1);
        assertThat(new String(stored.get(0), StandardCharsets.ISO_8859_1)).doesNotContain("hf_plaintext_1");
        assertThat(secrets.reveal(created.key(), "token")).isEqualTo("hf_plaintext_1");
        assertThatThrownBy(() -> secrets.reveal(created.key(), "password")).isInstanceOf(NotFoundException.class)
                .hasMessage("Secret acme/hub has no key password");

        store.delete(created.key(), 0, ADMIN);
        assertThat(valueRows("hub")).isZero();
        assertThatThrownBy(() -> secrets.reveal(created.key(), "token")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aRefusedCreateLeavesNoValuesBehind() {
        secrets.create(secret("taken"), Map.of("token", "first"), ADMIN);
        assertThatThrownBy(() -> secrets.create(secret("taken"), Map.of("token", "second", "extra", "x"), ADMIN)).isInstanceOf(ConflictException.class);
        assertThat(secrets.reveal(new ResourceKey(SecretKinds.SECRET, "acme", "taken"), "token")).isEqualTo("first");
        assertThat(valueRows("taken")).isEqualTo(1);
        Resource orphan = new Resource(SecretKinds.SECRET, ObjectMeta.named("orphan", "no-such-tenant"), Json.object(), null);
        assertThatThrownBy(() -> secrets.create(orphan, Map.of("token", "x"), ADMIN)).isInstanceOf(NotFoundException.class);
        assertThat(valueRows("orphan")).isZero();
    }

    /**
     * A database error while the values are written rolls the object back too, and fails only its own write: the
     * writes batched in the same transaction still commit. A trigger stands in for the failure (a full disk, say).
     */
    @Test
    void aFailedValueWriteRollsBackItsObjectAndOnlyIt() throws Exception {
        db.jdbi().useHandle(h -> h.execute("""
                CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.key = 'boom' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER refuse_boom BEFORE INSERT ON secret_values FOR EACH ROW EXECUTE FUNCTION refuse_boom();"""));
        try {
            List<CompletableFuture<Resource>> neighbours = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "neighbour-" + i;
                neighbours.add(CompletableFuture.supplyAsync(() -> secrets.create(secret(name), Map.of("token", "ok"), ADMIN)));
            }
            assertThatThrownBy(() -> secrets.create(secret("atomic"), Map.of("boom", "x", "token", "y"), ADMIN)).hasMessageContaining("refused by test trigger");
            for (CompletableFuture<Resource> n : neighbours) assertThat(n.get().status().path("keys").has("token")).isTrue();
            assertThat(store.get(new ResourceKey(SecretKinds.SECRET, "acme", "atomic"))).isEmpty();
            assertThat(valueRows("atomic")).isZero();

            Resource updatable = secrets.create(secret("kept"), Map.of("token", "before"), ADMIN);
            assertThatThrownBy(() -> secrets.update(updatable.key(), r -> r, new SecretData.Change(Map.of("boom", "x", "token", "after"), Set.of(), false), ADMIN, "patch"))
                    .hasMessageContaining("refused by test trigger");
            assertThat(store.get(updatable.key()).orElseThrow().resourceVersion()).as("the object was not written").isEqualTo(updatable.resourceVersion());
            assertThat(secrets.reveal(updatable.key(), "token")).isEqualTo("before");
        } finally {
            db.jdbi().useHandle(h -> h.execute("DROP TRIGGER refuse_boom ON secret_values; DROP FUNCTION refuse_boom();"));
        }
    }

    @Test
    void writingTheSameValuesAgainWritesNothingAndAChangedValueMovesTheObjectsVersion() {
        Resource created = secrets.create(secret("idem"), Map.of("token", "v1", "user", "bot"), ADMIN);
        Resource again = secrets.update(created.key(), r -> r, SecretData.Change.exactly(Map.of("token", "v1", "user", "bot")), ADMIN, "update");
        assertThat(again.resourceVersion()).isEqualTo(created.resourceVersion());
        clock.advance(Duration.ofMinutes(5));
        Resource rotated = secrets.update(created.key(), r -> r, new SecretData.Change(Map.of("token", "v2"), Set.of(), false), ADMIN, "patch");
        assertThat(rotated.resourceVersion()).isGreaterThan(created.resourceVersion());
        assertThat(rotated.metadata().generation()).as("values are not spec").isEqualTo(created.metadata().generation());
        assertThat(rotated.status().path("keys").path("token").path("version").asInt()).isEqualTo(2);
        assertThat(rotated.status().path("keys").path("token").path("rotatedAt").asText()).isEqualTo(clock.instant().toString());
        assertThat(secrets.reveal(created.key(), "token")).isEqualTo("v2");
        assertThat(secrets.reveal(created.key(), "user")).isEqualTo("bot");
    }

    @Test
    void rekeySealsEveryOldValueUnderTheNewPrimaryAndReportsValuesItCannotOpen() {
        Resource a = secrets.create(secret("rekey-a"), Map.of("token", "a-value", "user", "a-user"), ADMIN);
        Secrets rotated = new Secrets(db, store, Keyring.parse(K2 + "\n" + K1, "test"), clock);
        assertThat(rotated.reveal(a.key(), "token")).as("old values stay readable").isEqualTo("a-value");
        Resource b = rotated.create(secret("rekey-b"), Map.of("token", "b-value"), ADMIN);
        assertThat(keyIds("rekey-b")).containsExactly("k2");

        Secrets.Rekey done = rotated.rekey(ADMIN);
        assertThat(done.primary()).isEqualTo("k2");
        assertThat(done.failed()).isEmpty();
        assertThat(done.valuesByKeyId()).containsOnlyKeys("k2");
        assertThat(keyIds("rekey-a")).containsExactly("k2", "k2");
        assertThat(store.get(a.key()).orElseThrow().status().path("keyId").asText()).isEqualTo("k2");
        assertThat(store.get(b.key()).orElseThrow().resourceVersion()).as("already under k2: untouched").isEqualTo(b.resourceVersion());
        Secrets k2Only = new Secrets(db, store, Keyring.parse(K2, "test"), clock);
        assertThat(k2Only.reveal(a.key(), "token")).isEqualTo("a-value");
        assertThat(rotated.rekey(ADMIN).objects()).as("nothing left").isZero();

        // a value sealed under a key the ring no longer holds is reported, and the object is left alone
        Secrets k3 = new Secrets(db, store, Keyring.parse("k3=" + Keyring.generate(), "test"), clock);
        Secrets.Rekey partial = k3.rekey(ADMIN);
        assertThat(partial.failed()).anySatisfy(line -> assertThat(line).contains("key token of Secret acme/rekey-a is sealed with key k2, which is not in the keyring"));
        assertThat(keyIds("rekey-a")).containsExactly("k2", "k2");
        assertThatThrownBy(() -> k3.reveal(a.key(), "token")).isInstanceOf(UnreadableSecretException.class).hasMessageContaining("k2");
    }

    @Test
    void onlySecretKindsHaveValues() {
        assertThatThrownBy(() -> secrets.reveal(new ResourceKey("Project", "acme", "p"), "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Project acme/p is not a secret");
    }
}
