package dev.millwright.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reading spec.data: what a write does to the values, and every problem named by field without the value. */
class SecretDataTest {
    private static final String VALUE = "hunter2-do-not-echo";

    private static JsonNode spec(String json) {
        return Json.tree(json);
    }

    @Test
    void aCreateOrReplaceWithDataSetsExactlyThoseKeys() {
        Map<String, List<String>> errors = new TreeMap<>();
        SecretData.Change c = SecretData.ofObject(spec("{\"data\":{\"token\":\"" + VALUE + "\",\"tls.crt\":\"\"}}"), false, errors);
        assertThat(errors).isEmpty();
        assertThat(c.replaceAll()).isTrue();
        assertThat(c.set()).containsOnlyKeys("token", "tls.crt");
        assertThat(c.toString()).doesNotContain(VALUE).contains("token");
    }

    @Test
    void aReplaceWithoutDataKeepsTheValuesAndACreateWithoutDataHasNone() {
        Map<String, List<String>> errors = new TreeMap<>();
        assertThat(SecretData.ofObject(spec("{\"type\":\"hub-token\"}"), false, errors)).isEqualTo(SecretData.Change.KEEP);
        assertThat(SecretData.ofObject(spec("{}"), true, errors)).isEqualTo(SecretData.Change.exactly(Map.of()));
        assertThat(errors).isEmpty();
    }

    @Test
    void aMergePatchSetsNamedKeysAndRemovesNulledOnes() {
        Map<String, List<String>> errors = new TreeMap<>();
        SecretData.Change c = SecretData.ofPatch(spec("{\"data\":{\"token\":\"" + VALUE + "\",\"old\":null}}"), errors);
        assertThat(errors).isEmpty();
        assertThat(c.replaceAll()).isFalse();
        assertThat(c.set()).containsOnlyKeys("token");
        assertThat(c.remove()).containsExactly("old");
        assertThat(SecretData.ofPatch(spec("{\"type\":\"x\"}"), errors)).isEqualTo(SecretData.Change.KEEP);
        assertThat(SecretData.ofPatch(spec("{\"data\":null}"), errors)).isEqualTo(SecretData.Change.exactly(Map.of()));
        assertThat(SecretData.ofPatch(spec("null"), errors)).isEqualTo(SecretData.Change.exactly(Map.of()));
    }

    @Test
    void badValuesAreRefusedByFieldWithoutRepeatingThem() {
        Map<String, List<String>> errors = new TreeMap<>();
        String big = "x".repeat(SecretData.MAX_VALUE_BYTES + 1);
        SecretData.ofObject(spec("{\"data\":{\"token\":12345678,\"flag\":true,\"nested\":{\"a\":\"" + VALUE + "\"},"
                + "\"\":\"" + VALUE + "\",\"big\":\"" + big + "\",\"gone\":null,\"" + VALUE + " with spaces\":\"v\",\"tls.crt\":[]}}"), false, errors);
        assertThat(errors).containsOnlyKeys("spec.data.token", "spec.data.flag", "spec.data.nested", "spec.data[\"\"]",
                "spec.data.big", "spec.data.gone", "spec.data", "spec.data[\"tls.crt\"]");
        assertThat(errors.get("spec.data.token")).containsExactly("must be a string, not a number (quote it)");
        assertThat(errors.get("spec.data.big")).containsExactly("is 65537 bytes; a value is at most 65536 bytes");
        assertThat(errors.get("spec.data[\"\"]")).containsExactly("a key name cannot be empty");
        assertThat(errors.get("spec.data")).containsExactly("key 7 is not a valid key name (1 to 253 letters, digits, '-', '_' or '.');"
                + " it is not repeated here in case it is a value");
        assertThat(errors.toString()).doesNotContain(VALUE).doesNotContain("12345678").doesNotContain("xxxxxxxx");
    }

    @Test
    void dataThatIsNotAMapAndUnpairedSurrogatesAreRefused() {
        Map<String, List<String>> errors = new TreeMap<>();
        SecretData.ofObject(spec("{\"data\":\"" + VALUE + "\"}"), true, errors);
        assertThat(errors).containsExactly(Map.entry("spec.data", List.of("must be a map of key names to string values")));
        errors.clear();
        SecretData.ofObject(spec("{\"data\":{\"token\":\"a\\ud800b\"}}"), true, errors);
        assertThat(errors.get("spec.data.token")).containsExactly("is not valid Unicode text (it holds an unpaired surrogate)");
    }
}
