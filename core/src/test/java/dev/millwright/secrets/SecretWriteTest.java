package dev.millwright.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.ResourceKey;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a write leaves of an object's values, and the status that describes them. */
class SecretWriteTest {
    private static final ResourceKey HUB = new ResourceKey(SecretKinds.SECRET, "acme", "hub");
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2025-02-01T00:00:00Z");
    private static final String K1 = "k1=" + Keyring.generate();
    private static final String K2 = "k2=" + Keyring.generate();
    private final Keyring ring = Keyring.parse(K1, "test");

    /** JSON as the status serialises it, whatever number types the parser picked. */
    private static String compact(String json) {
        return Json.string(Json.tree(json));
    }

    private SecretWrite create(Map<String, String> values) {
        return SecretWrite.apply(HUB, Map.of(), Json.object(), SecretData.Change.exactly(values), ring, T0);
    }

    @Test
    void aNewObjectsStatusListsEachKeyWithItsKeyIdVersionAndTimeButNoValue() {
        SecretWrite w = create(Map.of("token", "hunter2", "user", "bot"));
        assertThat(w.values()).containsOnlyKeys("token", "user");
        assertThat(ring.open(new SecretAddress(HUB, "token"), w.values().get("token"))).isEqualTo("hunter2");
        assertThat(Json.string(w.status())).isEqualTo(compact("""
                {"keys":{"token":{"keyId":"k1","version":1,"rotatedAt":"2025-01-01T00:00:00Z"},
                         "user":{"keyId":"k1","version":1,"rotatedAt":"2025-01-01T00:00:00Z"}},
                 "keyId":"k1"}"""));
        assertThat(w.sealed()).containsExactly("token", "user");
    }

    @Test
    void writingTheSameValuesAgainChangesNothingSoApplyingTwiceWritesNothing() {
        SecretWrite first = create(Map.of("token", "hunter2"));
        SecretWrite again = SecretWrite.apply(HUB, first.values(), first.status(), SecretData.Change.exactly(Map.of("token", "hunter2")), ring, T1);
        assertThat(again.values()).isEqualTo(first.values());
        assertThat(again.status()).isEqualTo(first.status());
        assertThat(again.sealed()).isEmpty();
    }

    @Test
    void aChangedValueGetsTheNextVersionAndTheTimeOfTheChangeOthersKeepTheirs() {
        SecretWrite first = create(Map.of("token", "hunter2", "user", "bot"));
        SecretWrite rotated = SecretWrite.apply(HUB, first.values(), first.status(),
                new SecretData.Change(Map.of("token", "correct-horse"), Set.of(), false), ring, T1);
        JsonNode token = rotated.status().path("keys").path("token");
        assertThat(token.path("version").asLong()).isEqualTo(2);
        assertThat(token.path("rotatedAt").asText()).isEqualTo("2025-02-01T00:00:00Z");
        assertThat(rotated.status().path("keys").path("user")).isEqualTo(first.status().path("keys").path("user"));
        assertThat(rotated.values().get("user")).isEqualTo(first.values().get("user"));
        assertThat(ring.open(new SecretAddress(HUB, "token"), rotated.values().get("token"))).isEqualTo("correct-horse");
    }

    @Test
    void aReplaceDropsKeysItDoesNotSetAndAPatchRemovesTheOnesItNulls() {
        SecretWrite first = create(Map.of("a", "1", "b", "2", "c", "3"));
        SecretWrite replaced = SecretWrite.apply(HUB, first.values(), first.status(), SecretData.Change.exactly(Map.of("a", "1")), ring, T1);
        assertThat(replaced.values()).containsOnlyKeys("a");
        assertThat(replaced.status().path("keys").fieldNames()).toIterable().containsExactly("a");
        SecretWrite patched = SecretWrite.apply(HUB, first.values(), first.status(), new SecretData.Change(Map.of(), Set.of("b"), false), ring, T1);
        assertThat(patched.values()).containsOnlyKeys("a", "c");
        SecretWrite emptied = SecretWrite.apply(HUB, first.values(), first.status(), SecretData.Change.exactly(Map.of()), ring, T1);
        assertThat(emptied.values()).isEmpty();
        assertThat(emptied.status()).isEqualTo(Json.tree("{\"keys\":{}}"));
    }

    @Test
    void rekeySealsOldValuesUnderThePrimaryKeepingVersionsAndTimes() {
        SecretWrite first = create(Map.of("token", "hunter2"));
        Keyring rotated = Keyring.parse(K2 + "\n" + K1, "test");
        SecretWrite rekeyed = SecretWrite.rekey(HUB, first.values(), first.status(), rotated, T1);
        assertThat(rekeyed.sealed()).containsExactly("token");
        assertThat(rekeyed.values().get("token").keyId()).isEqualTo("k2");
        assertThat(rotated.open(new SecretAddress(HUB, "token"), rekeyed.values().get("token"))).isEqualTo("hunter2");
        assertThat(Json.string(rekeyed.status())).isEqualTo(compact("""
                {"keys":{"token":{"keyId":"k2","version":1,"rotatedAt":"2025-01-01T00:00:00Z"}},"keyId":"k2"}"""));
        assertThat(SecretWrite.rekey(HUB, rekeyed.values(), rekeyed.status(), rotated, T1).sealed()).as("nothing left to do").isEmpty();
    }

    @Test
    void whileARekeyIsDueTheStatusNamesEveryKeyIdInUse() {
        SecretWrite first = create(Map.of("old", "1"));
        Keyring rotated = Keyring.parse(K2 + "\n" + K1, "test");
        SecretWrite mixed = SecretWrite.apply(HUB, first.values(), first.status(), new SecretData.Change(Map.of("new", "2"), Set.of(), false), rotated, T1);
        assertThat(mixed.status().path("keyId").asText()).isEqualTo("k1,k2");
    }

    @Test
    void rekeyOfAValueWhoseKeyIsGoneFailsClearlyAndWritingTheValueAgainRecoversIt() {
        SecretWrite first = create(Map.of("token", "hunter2"));
        Keyring withoutK1 = Keyring.parse(K2, "test");
        assertThatThrownBy(() -> SecretWrite.rekey(HUB, first.values(), first.status(), withoutK1, T1))
                .isInstanceOf(UnreadableSecretException.class).hasMessageContaining("sealed with key k1, which is not in the keyring");
        SecretWrite rewritten = SecretWrite.apply(HUB, first.values(), first.status(), SecretData.Change.exactly(Map.of("token", "hunter2")), withoutK1, T1);
        assertThat(rewritten.values().get("token").keyId()).isEqualTo("k2");
        assertThat(rewritten.status().path("keys").path("token").path("version").asLong()).isEqualTo(2);
    }
}
