package dev.millwright.secrets;

import java.util.Objects;

/**
 * One value as stored: the id of the key that sealed it, the 96-bit nonce, and the AES-GCM ciphertext with its
 * 128-bit tag appended. Arrays are copied in and out, so a Sealed is a value.
 */
public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    public Sealed {
        Objects.requireNonNull(keyId, "keyId");
        if (nonce == null || nonce.length != Keyring.NONCE_BYTES) {
            throw new IllegalArgumentException("a nonce is " + Keyring.NONCE_BYTES + " bytes");
        }
        if (ciphertext == null || ciphertext.length < Keyring.TAG_BITS / 8) {
            throw new IllegalArgumentException("a ciphertext holds at least its " + Keyring.TAG_BITS / 8 + "-byte tag");
        }
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sealed s && keyId.equals(s.keyId) && java.util.Arrays.equals(nonce, s.nonce)
                && java.util.Arrays.equals(ciphertext, s.ciphertext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, java.util.Arrays.hashCode(nonce), java.util.Arrays.hashCode(ciphertext));
    }

    @Override
    public String toString() {
        return "Sealed[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
}
