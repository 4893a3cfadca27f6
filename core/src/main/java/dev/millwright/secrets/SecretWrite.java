package dev.millwright.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.ResourceKey;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one write leaves of an object's values: the sealed values to store, and the status that describes them.
 * Pure: the store reads the current values, asks here, and writes the result in the object's transaction.
 *
 * <p>The status is the only public trace of the values. Per key it holds the id of the key that sealed it, a
 * {@code version} that grows each time the value changes, and {@code rotatedAt}, when it last changed;
 * {@code keyId} lists the key ids in use (one, unless a rekey is due). A value written again unchanged keeps
 * its ciphertext, version and time, so that applying the same manifest twice writes nothing. Since every change
 * of a value changes the status, the store's "nothing changed, nothing written" check holds for the values too.
 *
 * @param values by key name, what the object's values are after the write
 * @param status the object's new status
 * @param sealed the keys whose values were sealed by this write (new, changed or re-encrypted)
 */
public record SecretWrite(SortedMap<String, Sealed> values, ObjectNode status, List<String> sealed) {
    public SecretWrite {
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        Objects.requireNonNull(status, "status");
        sealed = List.copyOf(sealed);
    }

    /**
     * Applies a client's change to the stored values. A value sent again is compared with the stored one, which
     * is opened for that; one that cannot be opened (its key left the ring) counts as changed and is sealed anew,
     * so writing a value is always the way to recover it.
     */
    public static SecretWrite apply(ResourceKey object, Map<String, Sealed> stored, JsonNode status, SecretData.Change change,
                                    Keyring keyring, Instant now) {
        SortedMap<String, Sealed> next = new TreeMap<>(change.replaceAll() ? Map.of() : stored);
        change.remove().forEach(next::remove);
        List<String> sealed = new java.util.ArrayList<>();
        change.set().forEach((key, value) -> {
            SecretAddress at = new SecretAddress(object, key);
            Sealed old = stored.get(key);
            if (old != null && sameValue(keyring, at, old, value)) {
                next.put(key, old);
            } else {
                next.put(key, keyring.seal(at, value));
                sealed.add(key);
            }
        });
        return new SecretWrite(next, status(status, next, sealed, now), sealed);
    }

    /**
     * Seals again under the primary key every value sealed under another; the values, their versions and times
     * do not change.
     *
     * @throws UnreadableSecretException when a value cannot be opened; nothing of this object is changed then
     */
    public static SecretWrite rekey(ResourceKey object, Map<String, Sealed> stored, JsonNode status, Keyring keyring, Instant now) {
        SortedMap<String, Sealed> next = new TreeMap<>(stored);
        List<String> sealed = new java.util.ArrayList<>();
        for (Map.Entry<String, Sealed> e : stored.entrySet()) {
            if (e.getValue().keyId().equals(keyring.primaryId())) continue;
            SecretAddress at = new SecretAddress(object, e.getKey());
            next.put(e.getKey(), keyring.seal(at, keyring.open(at, e.getValue())));
            sealed.add(e.getKey());
        }
        return new SecretWrite(next, status(status, next, List.of(), now), sealed);
    }

    private static boolean sameValue(Keyring keyring, SecretAddress at, Sealed old, String value) {
        try {
            // constant time, as with any comparison of a secret
            return MessageDigest.isEqual(keyring.open(at, old).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        } catch (UnreadableSecretException e) {
            return false;
        }
    }

    /**
     * The status for {@code values}: entries of {@code changed} keys (and of keys the previous status lacks) get
     * the next version and {@code now}; the others keep theirs.
     */
    private static ObjectNode status(JsonNode previous, SortedMap<String, Sealed> values, List<String> changed, Instant now) {
        ObjectNode out = Json.object();
        ObjectNode keys = out.putObject("keys");
        TreeSet<String> keyIds = new TreeSet<>();
        values.forEach((key, sealed) -> {
            JsonNode before = previous.path("keys").path(key);
            boolean change = changed.contains(key) || !before.isObject();
            ObjectNode entry = keys.putObject(key);
            entry.put("keyId", sealed.keyId());
            entry.put("version", change ? before.path("version").asLong(0) + 1 : before.path("version").asLong(1));
            entry.put("rotatedAt", change ? now.toString() : before.path("rotatedAt").asText(now.toString()));
            keyIds.add(sealed.keyId());
        });
        if (!keyIds.isEmpty()) out.put("keyId", String.join(",", keyIds));
        return out;
    }
}
