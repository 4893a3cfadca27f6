package dev.millwright.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.LabelSelector.Operator;
import dev.millwright.resource.LabelSelector.Requirement;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {
    private static final Map<String, String> PROD_WEB = Map.of("env", "prod", "tier", "web", "gpu", "h100");

    @Test
    void parsesEveryOperator() {
        LabelSelector s = LabelSelector.parse("env=prod,region==eu,tier!=web,app in (a,b),team notin (x),gpu,!legacy");

        assertThat(s.requirements()).containsExactly(
                new Requirement("env", Operator.EQUALS, Set.of("prod")),
                new Requirement("region", Operator.EQUALS, Set.of("eu")),
                new Requirement("tier", Operator.NOT_EQUALS, Set.of("web")),
                new Requirement("app", Operator.IN, Set.of("a", "b")),
                new Requirement("team", Operator.NOT_IN, Set.of("x")),
                new Requirement("gpu", Operator.EXISTS, Set.of()),
                new Requirement("legacy", Operator.DOES_NOT_EXIST, Set.of()));
    }

    @ParameterizedTest(name = "\"{0}\" matches env=prod,tier=web,gpu=h100: {1}")
    @CsvSource(delimiter = '|', value = {
            "env=prod              | true",
            "env=dev               | false",
            "env==prod             | true",
            "env==dev              | false",
            "env!=dev              | true",
            "env!=prod             | false",
            "absent!=x             | true",
            "absent=x              | false",
            "env in (dev,prod)     | true",
            "env in (dev,test)     | false",
            "absent in (x)         | false",
            "env notin (dev,test)  | true",
            "env notin (prod)      | false",
            "absent notin (x)      | true",
            "gpu                   | true",
            "absent                | false",
            "!absent               | true",
            "!gpu                  | false",
            "env=prod,tier=web     | true",
            "env=prod,tier=db      | false",
    })
    void matchesLabelsByEveryOperator(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(PROD_WEB)).isEqualTo(expected);
    }

    @Test
    void toleratesWhitespaceAroundKeysOperatorsAndValues() {
        LabelSelector spaced = LabelSelector.parse("  env = prod ,\ttier != web , app  in  ( a , b ) , ! legacy , gpu ");

        assertThat(spaced).isEqualTo(LabelSelector.parse("env=prod,tier!=web,app in (a,b),!legacy,gpu"));
    }

    @Test
    void acceptsPrefixedKeysAndInWithoutSpaceBeforeParenthesis() {
        LabelSelector s = LabelSelector.parse("millwright.dev/gpu-model in(h100,h200)");

        assertThat(s.requirements()).containsExactly(
                new Requirement("millwright.dev/gpu-model", Operator.IN, Set.of("h100", "h200")));
        assertThat(s.matches(Map.of("millwright.dev/gpu-model", "h200"))).isTrue();
    }

    @Test
    void anEqualsWithNothingAfterItSelectsTheEmptyValue() {
        LabelSelector s = LabelSelector.parse("env=");

        assertThat(s.matches(Map.of("env", ""))).isTrue();
        assertThat(s.matches(Map.of("env", "prod"))).isFalse();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t"})
    void nullOrBlankSelectsEverything(String text) {
        LabelSelector s = LabelSelector.parse(text);

        assertThat(s.isEverything()).isTrue();
        assertThat(s.matches(Map.of())).isTrue();
        assertThat(s.matches(PROD_WEB)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
            "env=prod,",            // trailing comma: an empty requirement
            ",env=prod",
            "env=prod,,tier=web",
            "=prod",                // no key
            "!=prod",
            "env=pro d",            // space inside a value
            "env=-prod",            // value must start with a letter or digit
            "a=b=c",
            "Env_=prod",            // key must end with a letter or digit
            "bad key=prod",
            "app in a,b",           // values not in parentheses
            "app in (a,b",
            "app in (a,b) extra",
            "app is (a)",           // neither in nor notin
            "app in (a,-b)",
            "example.com/=x",       // empty name after the prefix
            "/name=x",              // empty prefix
            "a/b/c=x",
            "!",
    })
    void rejectsBadSyntaxAsABadRequestOnTheLabelSelectorParameter(String text) {
        assertThatThrownBy(() -> LabelSelector.parse(text))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).containsOnlyKeys("labelSelector");
                    assertThat(e.getMessage()).contains(text);
                });
    }

    @Test
    void rejectsKeysLongerThanSixtyThreeCharacters() {
        String key = "k".repeat(64);

        assertThatThrownBy(() -> LabelSelector.parse(key + "=v"))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.details().get("labelSelector")).singleElement().asString().contains(key));
    }

    @Test
    void theEmptySelectorAndEverythingAreTheSame() {
        assertThat(LabelSelector.EVERYTHING.requirements()).isEmpty();
        assertThat(LabelSelector.parse("")).isEqualTo(LabelSelector.EVERYTHING);
    }
}
