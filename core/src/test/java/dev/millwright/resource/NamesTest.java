package dev.millwright.resource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "acme", "gpu-node-17", "1abc", "a1-b2-c3"})
    void acceptsDns1123Labels(String name) {
        assertThat(Names.dns1123LabelError(name)).isNull();
    }

    @Test
    void acceptsANameOfExactlySixtyThreeCharacters() {
        assertThat(Names.dns1123LabelError("a".repeat(63))).isNull();
    }

    @Test
    void rejectsANameOfSixtyFourCharactersAndSaysHowLongItIs() {
        assertThat(Names.dns1123LabelError("a".repeat(64))).isEqualTo("must be at most 63 characters (is 64)");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsMissingNames(String name) {
        assertThat(Names.dns1123LabelError(name)).isEqualTo("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme", "ACME", "aCme", "-acme", "acme-", "-", "a.b", "a_b", "a b", " acme", "acme\n", "äcme", "a/b"})
    void rejectsNamesThatAreNotDns1123Labels(String name) {
        assertThat(Names.dns1123LabelError(name)).startsWith("must be a DNS-1123 label");
    }

    @ParameterizedTest
    @ValueSource(strings = {"env", "Env", "app.kubernetes.io", "a_b", "a-b.c_d", "x",
            "millwright.dev/gpu", "example.com/Name", "a/b", "sub.example.com/x.y_z"})
    void acceptsQualifiedLabelKeysWithAndWithoutPrefix(String key) {
        assertThat(Names.isLabelKey(key)).isTrue();
    }

    @Test
    void acceptsLabelKeysAtTheirLengthLimits() {
        String prefix = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
        assertThat(prefix).hasSize(253);

        assertThat(Names.isLabelKey("k".repeat(63))).isTrue();
        assertThat(Names.isLabelKey(prefix + "/" + "k".repeat(63))).isTrue();
    }

    @Test
    void rejectsLabelKeysPastTheirLengthLimits() {
        String prefix = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62));
        assertThat(prefix).hasSize(254);

        assertThat(Names.isLabelKey("k".repeat(64))).isFalse();
        assertThat(Names.isLabelKey(prefix + "/k")).isFalse();
        assertThat(Names.isLabelKey("example.com/" + "k".repeat(64))).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-env", "env-", ".env", "env.", "_env", "e nv", "env=", "/env", "example.com/",
            "Example.com/env", "-example.com/env", "example..com/env", "a/b/c", "ä"})
    void rejectsLabelKeysThatAreNotQualifiedNames(String key) {
        assertThat(Names.isLabelKey(key)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "prod", "Prod", "v1.2.3", "a_b-c.d", "0", "x"})
    void acceptsLabelValuesIncludingTheEmptyValue(String value) {
        assertThat(Names.isLabelValue(value)).isTrue();
    }

    @Test
    void acceptsLabelValuesOfSixtyThreeCharactersOnly() {
        assertThat(Names.isLabelValue("v".repeat(63))).isTrue();
        assertThat(Names.isLabelValue("v".repeat(64))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-prod", "prod-", ".prod", "prod_", "pr od", "a/b", "prod\n", "ü"})
    void rejectsLabelValuesThatDoNotStartAndEndWithALetterOrDigit(String value) {
        assertThat(Names.isLabelValue(value)).isFalse();
    }

    @Test
    void rejectsANullLabelValue() {
        assertThat(Names.isLabelValue(null)).isFalse();
    }
}
