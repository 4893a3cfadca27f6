package dev.millwright.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Sealing and opening values with AES-256-GCM, and reading keyrings as operators write them. */
class KeyringTest {
    private static final String K1 = Keyring.generate();
    private static final String K2 = Keyring.generate();
    private static final ResourceKey HUB = new ResourceKey(SecretKinds.SECRET, "acme", "hub");
    private static final SecretAddress TOKEN = new SecretAddress(HUB, "token");

    @Test
    void aSealedValueOpensToTheSameTextAndTheCiphertextDoesNotContainIt() {
        Keyring ring = Keyring.parse("k1=" + K1, "test");
        String value = "hf_s3cr3t-Ünïcode-🙂";
        Sealed sealed = ring.seal(TOKEN, value);
        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.nonce()).hasSize(12);
        assertThat(sealed.ciphertext()).hasSize(value.getBytes(StandardCharsets.UTF_8).length + 16);
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
        assertThat(ring.open(TOKEN, sealed)).isEqualTo(value);
    }

    @Test
    void theSameValueSealedTwiceGetsDifferentNoncesAndCiphertexts() {
        Keyring ring = Keyring.parse(K1, "test");
        Sealed a = ring.seal(TOKEN, "same");
        Sealed b = ring.seal(TOKEN, "same");
        assertThat(a.nonce()).isNotEqualTo(b.nonce());
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
    }

    @Test
    void anyAlteredByteOfCiphertextOrNonceIsDetected() {
        Keyring ring = Keyring.parse("k1=" + K1, "test");
        Sealed sealed = ring.seal(TOKEN, "hunter2");
        for (int i = 0; i < sealed.ciphertext().length; i++) {
            byte[] c = sealed.ciphertext();
            c[i] ^= 1;
            Sealed altered = new Sealed("k1", sealed.nonce(), c);
            assertThatThrownBy(() -> ring.open(TOKEN, altered)).as("byte %d", i)
                    .isInstanceOf(UnreadableSecretException.class).hasMessageContaining("does not verify");
        }
        byte[] n = sealed.nonce();
        n[0] ^= 1;
        assertThatThrownBy(() -> ring.open(TOKEN, new Sealed("k1", n, sealed.ciphertext()))).isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void aValueMovedToAnotherKeyObjectTenantOrKindDoesNotOpen() {
        Keyring ring = Keyring.parse(K1, "test");
        Sealed sealed = ring.seal(TOKEN, "hunter2");
        for (SecretAddress elsewhere : new SecretAddress[] {
                new SecretAddress(HUB, "password"),
                new SecretAddress(new ResourceKey(SecretKinds.SECRET, "acme", "registry"), "token"),
                new SecretAddress(new ResourceKey(SecretKinds.SECRET, "globex", "hub"), "token"),
                new SecretAddress(ResourceKey.platform(SecretKinds.PLATFORM_SECRET, "hub"), "token")}) {
            assertThatThrownBy(() -> ring.open(elsewhere, sealed)).as(elsewhere.describe())
                    .isInstanceOf(UnreadableSecretException.class).hasMessageContaining("does not verify");
        }
    }

    @Test
    void associatedDataCannotBeShiftedBetweenFields() {
        // "a" + "bc" and "ab" + "c" must differ: each part is length-prefixed
        SecretAddress one = new SecretAddress(new ResourceKey("Secret", "a", "bc"), "k");
        SecretAddress two = new SecretAddress(new ResourceKey("Secret", "ab", "c"), "k");
        assertThat(one.associatedData()).isNotEqualTo(two.associatedData());
        Keyring ring = Keyring.parse(K1, "test");
        assertThatThrownBy(() -> ring.open(two, ring.seal(one, "v"))).isInstanceOf(UnreadableSecretException.class);
    }

    @Test
    void anotherKeyUnderTheSameIdFailsToVerifyRatherThanReturningGarbage() {
        Sealed sealed = Keyring.parse("k1=" + K1, "test").seal(TOKEN, "hunter2");
        assertThatThrownBy(() -> Keyring.parse("k1=" + K2, "test").open(TOKEN, sealed))
                .isInstanceOf(UnreadableSecretException.class)
                .hasMessageContaining("key token of Secret acme/hub does not verify under key k1");
    }

    @Test
    void aRingWithTheOldKeyAfterTheNewPrimaryOpensOldValuesAndSealsUnderTheNewOne() {
        Sealed old = Keyring.parse("k1=" + K1, "test").seal(TOKEN, "hunter2");
        Keyring rotated = Keyring.parse("# rotated, old key below\nk2=" + K2 + "  # new, primary\nk1=" + K1 + "\n", "test");
        assertThat(rotated.primaryId()).isEqualTo("k2");
        assertThat(rotated.ids()).containsExactly("k2", "k1");
        assertThat(rotated.open(TOKEN, old)).isEqualTo("hunter2");
        assertThat(rotated.seal(TOKEN, "new").keyId()).isEqualTo("k2");
    }

    @Test
    void aValueWhoseKeyLeftTheRingIsAClearErrorNamingTheMissingKey() {
        Sealed old = Keyring.parse("k1=" + K1, "test").seal(TOKEN, "hunter2");
        Keyring without = Keyring.parse("k2=" + K2, "test");
        assertThatThrownBy(() -> without.open(TOKEN, old))
                .isInstanceOfSatisfying(UnreadableSecretException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.getMessage()).isEqualTo("key token of Secret acme/hub is sealed with key k1, which is not in the keyring"
                            + " (it holds k2); add that key to the keyring, after the primary, to read it");
                });
    }

    @Test
    void aKeyWithoutAnIdIsNamedAfterItsFingerprintTheSameEveryTime() {
        Keyring a = Keyring.parse(K1, "test");
        assertThat(a.primaryId()).matches("k-[0-9a-f]{8}");
        assertThat(Keyring.parse("\n  " + K1 + "  \n", "test").primaryId()).isEqualTo(a.primaryId());
        assertThat(Keyring.parse(K2, "test").primaryId()).isNotEqualTo(a.primaryId());
        assertThat(Keyring.parse(K2 + "," + K1, "env").ids()).containsExactly(Keyring.parse(K2, "t").primaryId(), a.primaryId());
    }

    @Test
    void malformedKeyringsAreRefusedNamingTheSourceAndEntryButNeverTheKey() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> Keyring.parse(shortKey, "MILLWRIGHT_SECRET_KEY"))
                .hasMessageStartingWith("MILLWRIGHT_SECRET_KEY: line 1 (key k-")
                .hasMessageContaining("is 16 bytes; an AES-256 key is 32 bytes")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> Keyring.parse("k1=" + K1 + "\nk2=not*base64", "--secret-key-file keys"))
                .hasMessage("--secret-key-file keys: line 2 (key k2) is not valid base64");
        assertThatThrownBy(() -> Keyring.parse("k1=" + K1 + "\nk1=" + K2, "f")).hasMessage("f: line 2: key id k1 appears twice");
        assertThatThrownBy(() -> Keyring.parse("k1=" + K1 + ", k1=" + K2, "f")).hasMessage("f: line 1: key id k1 appears twice");
        assertThatThrownBy(() -> Keyring.parse("# nothing\n\n", "f")).hasMessageStartingWith("f holds no key");
        assertThatThrownBy(() -> Keyring.parse("", "MILLWRIGHT_SECRET_KEY")).hasMessageStartingWith("MILLWRIGHT_SECRET_KEY holds no key");
        assertThatThrownBy(() -> Keyring.parse("bad id!=" + K1, "f")).hasMessageStartingWith("f: line 1: a key id is").hasMessageNotContaining(K1);
        assertThatThrownBy(() -> Keyring.parse("not a key", "f")).hasMessageStartingWith("f: line 1 is neither ID=BASE64 nor BASE64");
    }

    @Test
    void theRingsStringFormNamesIdsOnly() {
        Keyring ring = Keyring.parse("k2=" + K2 + "\nk1=" + K1, "test");
        assertThat(ring).hasToString("Keyring[primary=k2, ids=[k2, k1]]");
        assertThat(ring.seal(TOKEN, "hunter2").toString()).doesNotContain("hunter2").startsWith("Sealed[keyId=k2");
    }
}
