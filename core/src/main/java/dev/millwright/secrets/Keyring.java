package dev.millwright.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The operator's AES-256 keys for secret values: the primary seals every new value; the others only open values
 * sealed before the primary changed, until a rekey has sealed those again under the primary.
 *
 * <p>Text form (a key file, or {@code MILLWRIGHT_SECRET_KEY}), one key per line or comma-separated, the primary
 * first, {@code #} starting a comment to the end of its line:
 * <pre>
 *   k2=BASE64-OF-32-BYTES
 *   k1=BASE64-OF-32-BYTES
 * </pre>
 * A key given without an id is named after its fingerprint, {@code k-} and 8 hex digits of SHA-256 over a label
 * and the key, so that the same key always has the same id and a different key never borrows it.
 *
 * <p>Sealing is AES-256-GCM with a random 96-bit nonce per value and a 128-bit tag, the value's
 * {@link SecretAddress} as associated data. Random nonces are safe far beyond this use: the birthday bound for a
 * repeated 96-bit nonce under one key is about 2^32 values (NIST SP 800-38D, section 8.3).
 *
 * <p>Nothing here prints a key: messages name the source, the line and the id. Immutable and thread-safe.
 */
public final class Keyring {
    /** An AES-256 key. */
    public static final int KEY_BYTES = 32;
    /** GCM's recommended nonce size (NIST SP 800-38D). */
    static final int NONCE_BYTES = 12;
    /** Full-length tag: forging a value takes about 2^128 tries. */
    static final int TAG_BITS = 128;
    /** What key ids may look like; they are shown in status and error messages. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final byte[] FINGERPRINT_LABEL = "millwright secret key id".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String primary;
    /** By id, in the order given: the primary first. */
    private final Map<String, SecretKeySpec> keys;

    private Keyring(Map<String, SecretKeySpec> keys) {
        this.keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.primary = keys.keySet().iterator().next();
    }

    /**
     * Reads a keyring from text.
     *
     * @param source what to name in error messages ("--secret-key-file /etc/millwright/keys", "MILLWRIGHT_SECRET_KEY")
     * @throws IllegalArgumentException naming the source and the line when an entry is malformed, a key is not 32
     *                                  bytes, an id repeats, or there is no key at all
     */
    public static Keyring parse(String text, String source) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            int comment = lines[i].indexOf('#'); // base64 never holds '#'
            for (String entry : (comment < 0 ? lines[i] : lines[i].substring(0, comment)).split(",")) {
                add(keys, entry.strip(), source + ": line " + (i + 1));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no key; give base64 of " + KEY_BYTES + " random bytes (head -c 32 /dev/urandom | base64)");
        }
        return new Keyring(keys);
    }

    /** Adds one entry, ID=BASE64 or BASE64, to {@code keys}. */
    private static void add(Map<String, SecretKeySpec> keys, String entry, String where) {
        if (entry.isEmpty()) return;
        String id;
        byte[] key = decode(entry);
        if (key != null) {
            id = fingerprint(key);
        } else {
            int eq = entry.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(where + " is neither ID=BASE64 nor BASE64 of a " + KEY_BYTES + "-byte key");
            id = entry.substring(0, eq).strip();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(where + ": a key id is 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            key = decode(entry.substring(eq + 1).strip());
            if (key == null) throw new IllegalArgumentException(where + " (key " + id + ") is not valid base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(where + " (key " + id + ") is " + key.length + " bytes; an AES-256 key is "
                    + KEY_BYTES + " bytes, e.g. the output of: head -c 32 /dev/urandom | base64");
        }
        if (keys.put(id, new SecretKeySpec(key, "AES")) != null) throw new IllegalArgumentException(where + ": key id " + id + " appears twice");
    }

    /** Reads a key file ({@code millwright up --secret-key-file PATH}). */
    public static Keyring read(Path file, String source) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), source);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(source + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot be read", e);
        }
    }

    /** A new random key in the text form, for a key file that does not exist yet. */
    public static String generate() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The id of the key that seals new values. */
    public String primaryId() {
        return primary;
    }

    /** Every key id, the primary first. */
    public List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }

    public boolean has(String id) {
        return keys.containsKey(id);
    }

    /** Seals {@code value} for {@code at} under the primary key, with a fresh nonce. */
    public Sealed seal(SecretAddress at, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(primary), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(at.associatedData());
            return new Sealed(primary, nonce, c.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Opens a value sealed for {@code at}.
     *
     * @throws UnreadableSecretException when its key is not in this ring, or it does not verify
     */
    public String open(SecretAddress at, Sealed sealed) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            throw new UnreadableSecretException(at.describe() + " is sealed with key " + sealed.keyId()
                    + ", which is not in the keyring (it holds " + String.join(", ", keys.keySet())
                    + "); add that key to the keyring, after the primary, to read it");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            c.updateAAD(at.associatedData());
            return new String(c.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableSecretException(at.describe() + " does not verify under key " + sealed.keyId()
                    + ": the stored value was altered or moved from elsewhere, or the key with this id is not the one that sealed it");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The key bytes of a BASE64 entry, or null when it is not base64. */
    private static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String fingerprint(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(FINGERPRINT_LABEL);
            return "k-" + HexFormat.of().formatHex(sha.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names the keys, never shows them. */
    @Override
    public String toString() {
        return "Keyring[primary=" + primary + ", ids=" + keys.keySet() + "]";
    }
}
