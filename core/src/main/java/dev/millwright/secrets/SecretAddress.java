package dev.millwright.secrets;

import dev.millwright.resource.ResourceKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a value belongs: one key of one secret object. Its {@link #associatedData()} is bound into every
 * ciphertext, so a sealed value copied to another object, tenant, kind or key no longer opens.
 */
public record SecretAddress(ResourceKey object, String key) {
    /** Names the layout of the associated data, so that a future layout cannot be confused with this one. */
    private static final byte[] LABEL = "millwright.dev/v1 secret value".getBytes(StandardCharsets.UTF_8);

    public SecretAddress {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(key, "key");
    }

    /** The label, then kind, tenant, name and key, each as a 4-byte length and UTF-8: no two addresses share one. */
    byte[] associatedData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : new byte[][] {LABEL, utf8(object.kind()), utf8(object.tenant()), utf8(object.name()), utf8(key)}) {
            out.write(part.length >>> 24);
            out.write(part.length >>> 16);
            out.write(part.length >>> 8);
            out.write(part.length);
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** "key token of Secret acme/hub": how messages name a value (never its content). */
    public String describe() {
        return "key " + key + " of " + object.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
