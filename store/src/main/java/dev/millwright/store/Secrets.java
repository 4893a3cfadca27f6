package dev.millwright.store;

import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.secrets.Keyring;
import dev.millwright.secrets.SecretAddress;
import dev.millwright.secrets.SecretData;
import dev.millwright.secrets.SecretKinds;
import dev.millwright.secrets.SecretReader;
import dev.millwright.secrets.SecretWrite;
import dev.millwright.secrets.Sealed;
import dev.millwright.secrets.UnreadableSecretException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Secret and PlatformSecret objects with their values. The object (type, key names, per-key status) lives in
 * {@code resources} like any other and is what the API renders, watches and audits; each value is sealed (see
 * {@link Keyring}) and kept in {@code secret_values}, written in the object's transaction and removed with it.
 *
 * <p>Plaintext only ever exists in the caller's memory: values are sealed before the write is queued, and opened
 * only by {@link #reveal}, by the comparison that keeps an unchanged value as it is, and by {@link #rekey}. Every
 * change of a value changes the object's status, so the object's resourceVersion guards its values too: a write
 * based on values that changed meanwhile loses the race and is planned again.
 */
public final class Secrets implements SecretReader {
    private final Jdbi jdbi;
    private final ResourceStore store;
    private final Keyring keyring;
    private final Clock clock;

    public Secrets(Database db, ResourceStore store, Keyring keyring, Clock clock) {
        this.jdbi = db.jdbi();
        this.store = Objects.requireNonNull(store, "store");
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The keys values are sealed and opened with. */
    public Keyring keyring() {
        return keyring;
    }

    /**
     * Stores a new secret object (whose spec holds no data) with {@code values}, all or nothing.
     *
     * @throws dev.millwright.resource.ConflictException when it exists
     */
    public Resource create(Resource object, Map<String, String> values, WriteContext ctx) {
        requireSecret(object.key());
        SecretWrite w = SecretWrite.apply(object.key(), Map.of(), object.status(), SecretData.Change.exactly(values), keyring, now());
        return store.create(object.withStatus(w.status()), ctx, h -> replaceValues(h, object.key(), w));
    }

    /**
     * Read-modify-write of a secret object: {@code change} gives the wanted object (without data) from the current
     * one, as for {@link ResourceStore#update}; {@code data} says what happens to the values. The status is the
     * values' (see {@link SecretWrite}).
     */
    public Resource update(ResourceKey key, UnaryOperator<Resource> change, SecretData.Change data, WriteContext ctx, String verb) {
        return write(key, change, (stored, current) -> SecretWrite.apply(key, stored, current.status(), data, keyring, now()), ctx, verb);
    }

    @Override
    public String reveal(ResourceKey object, String key) {
        requireSecret(object);
        Sealed sealed = jdbi.withHandle(h -> h.createQuery("""
                        SELECT key, key_id, nonce, ciphertext FROM secret_values
                        WHERE kind = :kind AND tenant = :tenant AND name = :name AND key = :key""")
                .bind("kind", object.kind()).bind("tenant", object.tenant()).bind("name", object.name()).bind("key", key)
                .map((rs, c) -> sealed(rs)).findOne())
                .orElseThrow(() -> new NotFoundException(object.describe() + " has no key " + key));
        return keyring.open(new SecretAddress(object, key), sealed);
    }

    /** What a rekey did. {@code failed} holds one line per object it could not rekey, naming the value and why. */
    public record Rekey(String primary, int objects, int values, List<String> failed, Map<String, Long> valuesByKeyId) {
        public Rekey {
            failed = List.copyOf(failed);
            valuesByKeyId = java.util.Collections.unmodifiableMap(new TreeMap<>(valuesByKeyId));
        }
    }

    /**
     * Seals every value not yet under the primary key again under it, one object per transaction, audited as
     * {@code rekey} by {@code ctx}'s actor. An object with a value that cannot be opened is left as it was and
     * reported; the others go on. Running it again does only what is left.
     */
    public Rekey rekey(WriteContext ctx) {
        String primary = keyring.primaryId();
        List<ResourceKey> due = jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT kind, tenant, name FROM secret_values WHERE key_id <> :primary ORDER BY kind, tenant, name""")
                .bind("primary", primary)
                .map((rs, c) -> new ResourceKey(rs.getString("kind"), rs.getString("tenant"), rs.getString("name"))).list());
        int objects = 0;
        int values = 0;
        List<String> failed = new ArrayList<>();
        for (ResourceKey key : due) {
            int[] sealed = {0};
            try {
                write(key, current -> current, (stored, current) -> {
                    SecretWrite w = SecretWrite.rekey(key, stored, current.status(), keyring, now());
                    sealed[0] = w.sealed().size();
                    return w;
                }, ctx, "rekey");
                if (sealed[0] > 0) objects++;
                values += sealed[0];
            } catch (UnreadableSecretException e) {
                failed.add(e.getMessage());
            } catch (NotFoundException e) {
                // deleted meanwhile: its values went with it
            }
        }
        Map<String, Long> byKeyId = jdbi.withHandle(h -> {
            Map<String, Long> out = new TreeMap<>();
            h.createQuery("SELECT key_id, count(*) AS n FROM secret_values GROUP BY key_id")
                    .map((rs, c) -> Map.entry(rs.getString("key_id"), rs.getLong("n"))).forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
        return new Rekey(primary, objects, values, failed, byKeyId);
    }

    /**
     * One update whose values are planned from the current object and its stored values, both read before the
     * write; the write is conditional on the object's revision, which every change of a value moves.
     */
    private Resource write(ResourceKey key, UnaryOperator<Resource> change, BiFunction<Map<String, Sealed>, Resource, SecretWrite> plan,
                           WriteContext ctx, String verb) {
        requireSecret(key);
        return store.updateWith(key, current -> {
            Resource wanted = change.apply(current);
            SecretWrite w = plan.apply(values(key), current);
            return new ResourceStore.Planned(wanted.withStatus(w.status()), h -> replaceValues(h, key, w));
        }, ctx, verb);
    }

    private Map<String, Sealed> values(ResourceKey key) {
        return jdbi.withHandle(h -> {
            Map<String, Sealed> out = new TreeMap<>();
            h.createQuery("SELECT key, key_id, nonce, ciphertext FROM secret_values WHERE kind = :kind AND tenant = :tenant AND name = :name")
                    .bind("kind", key.kind()).bind("tenant", key.tenant()).bind("name", key.name())
                    .map((rs, c) -> Map.entry(rs.getString("key"), sealed(rs))).forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /** Runs inside the object's write: SQL only (see {@link ResourceStore.AlsoWrite}). */
    private static void replaceValues(Handle h, ResourceKey key, SecretWrite w) {
        h.createUpdate("DELETE FROM secret_values WHERE kind = :kind AND tenant = :tenant AND name = :name")
                .bind("kind", key.kind()).bind("tenant", key.tenant()).bind("name", key.name()).execute();
        if (w.values().isEmpty()) return;
        var batch = h.prepareBatch("""
                INSERT INTO secret_values (kind, tenant, name, key, key_id, nonce, ciphertext)
                VALUES (:kind, :tenant, :name, :key, :keyId, :nonce, :ciphertext)""");
        w.values().forEach((k, s) -> batch.bind("kind", key.kind()).bind("tenant", key.tenant()).bind("name", key.name())
                .bind("key", k).bind("keyId", s.keyId()).bind("nonce", s.nonce()).bind("ciphertext", s.ciphertext()).add());
        batch.execute();
    }

    private static Sealed sealed(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Sealed(rs.getString("key_id"), rs.getBytes("nonce"), rs.getBytes("ciphertext"));
    }

    private static void requireSecret(ResourceKey key) {
        if (!SecretKinds.isSecret(key.kind())) throw new IllegalArgumentException(key.describe() + " is not a secret");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
