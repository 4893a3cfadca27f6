package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PEP 440 order as the {@code packaging} library implements it (packaging.version.Version). */
class Pep440Test {
    private static VersionScheme.Parsed v(String text) {
        return Pep440.INSTANCE.parse(text);
    }

    /** PEP 440's own ordering example ("Summary of permitted suffixes and relative ordering"), smallest first. */
    private static final List<String> PEP_ORDER = List.of(
            "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
            "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1");

    private static void assertStrictlyIncreasing(List<String> order) {
        VersionOrder.assertStrictlyIncreasing(Pep440.INSTANCE, order);
    }

    @Test
    @DisplayName("PEP 440's ordering example holds for every pair, both ways round")
    void pepOrderingExamplePairwise() {
        assertStrictlyIncreasing(PEP_ORDER);
    }

    @Test
    @DisplayName("sorting a shuffled PEP 440 example gives the PEP's order back")
    void sortingRestoresPepOrder() {
        List<String> shuffled = new ArrayList<>(PEP_ORDER);
        Collections.shuffle(shuffled, new Random(440));
        shuffled.sort((a, b) -> v(a).compareTo(v(b)));
        assertThat(shuffled).containsExactlyElementsOf(PEP_ORDER);
    }

    @Test
    @DisplayName("dev, pre, final and post releases of one release order dev < a < b < rc < final < post")
    void suffixKindsInOrder() {
        assertStrictlyIncreasing(List.of("2.0.dev0", "2.0.dev1", "2.0a0.dev0", "2.0a0", "2.0a1", "2.0b0", "2.0rc0", "2.0",
                "2.0.post0.dev0", "2.0.post0", "2.0.post1", "2.0.1.dev0", "2.0.1"));
    }

    @Test
    @DisplayName("an epoch outranks the release: 1!0.1 > 2.0, and a missing epoch is 0!")
    void epochs() {
        assertThat(v("1!0.1").compareTo(v("2.0"))).isPositive();
        assertThat(v("2.0").compareTo(v("1!0.1"))).isNegative();
        assertThat(v("1!1.0").compareTo(v("1!0.9"))).isPositive();
        assertThat(v("2!0.0.1").compareTo(v("1!99.0"))).isPositive();
        assertThat(v("0!1.0")).isEqualTo(v("1.0"));
        assertThat(v("0!1.0").hashCode()).isEqualTo(v("1.0").hashCode());
        assertThat(v("1!1.0")).isNotEqualTo(v("1.0"));
        assertThat(v("01!1.0")).isEqualTo(v("1!1.0"));
    }

    private static void assertAllEqual(String... spellings) {
        for (String a : spellings) {
            for (String b : spellings) {
                assertThat(v(a).compareTo(v(b))).as("%s compared to %s", a, b).isZero();
                assertThat(v(a)).as("%s equals %s", a, b).isEqualTo(v(b));
                assertThat(v(a).hashCode()).as("hashCode of %s and %s", a, b).isEqualTo(v(b).hashCode());
            }
        }
    }

    @Test
    @DisplayName("trailing zeros of the release do not count: 1.0 == 1.0.0 == 1")
    void trailingZeros() {
        assertAllEqual("1.0", "1.0.0", "1", "1.0.0.0.0");
        assertAllEqual("0", "0.0", "0.0.0");
        assertAllEqual("1.0a1", "1.0.0a1", "1a1");
        assertThat(v("1.0.0.1").compareTo(v("1.0"))).isPositive();
        assertThat(v("1.0.1").compareTo(v("1.0.0.1"))).isPositive();
    }

    @Test
    @DisplayName("pre-release spellings: 1.0a1 == 1.0.alpha1 == 1.0-a-1; b == beta; c == rc == pre == preview")
    void preReleaseSpellings() {
        assertAllEqual("1.0a1", "1.0.alpha1", "1.0-a-1", "1.0alpha1", "1.0_a_1", "1.0.a.1", "1.0a01");
        assertAllEqual("1.0b2", "1.0beta2", "1.0-beta.2", "1.0.b2");
        assertAllEqual("1.0c1", "1.0rc1", "1.0pre1", "1.0preview1", "1.0-rc-1", "1.0.rc.1");
        assertAllEqual("1.0a", "1.0a0", "1.0alpha");
        assertAllEqual("1.0rc", "1.0c0", "1.0-pre");
    }

    @Test
    @DisplayName("post-release spellings: 1.0-1 == 1.0.post1 == 1.0.rev1 == 1.0r1 == 1.0post1; 1.0.post == 1.0.post0")
    void postReleaseSpellings() {
        assertAllEqual("1.0-1", "1.0.post1", "1.0.rev1", "1.0r1", "1.0post1", "1.0-post-1", "1.0_post_1", "1.0.post01");
        assertAllEqual("1.0.post", "1.0.post0", "1.0-r", "1.0rev");
        assertAllEqual("1.0a1-1", "1.0a1.post1");
    }

    @Test
    @DisplayName("development releases: 1.0.dev == 1.0.dev0 == 1.0dev0 == 1.0-dev-0")
    void devReleaseSpellings() {
        assertAllEqual("1.0.dev", "1.0.dev0", "1.0dev0", "1.0-dev-0", "1.0_dev", "1.0.dev00");
        assertAllEqual("1.0.post1.dev2", "1.0-1.dev2", "1.0post1dev2");
    }

    @Test
    @DisplayName("a leading v, letter case, surrounding space and leading zeros do not matter")
    void leadingVCaseAndZeros() {
        assertAllEqual("1.0", "v1.0", "V1.0", " 1.0 ", "v1.0.0");
        assertAllEqual("1.0RC1", "1.0rc1", "1.0Rc1", "V1.0.RC.1");
        assertAllEqual("1.0.POST1.DEV2", "1.0.post1.dev2");
        assertAllEqual("1.0+UBUNTU.1", "1.0+ubuntu.1");
        assertAllEqual("1.01", "1.1", "01.1", "1.001.0");
        assertAllEqual("2.0.0a07", "2a7");
    }

    @Test
    @DisplayName("local versions follow their public version; numeric segments sort above text ones")
    void localVersions() {
        // 1.0+ubuntu.1 < 1.0+1: a number beats text in the first segment
        assertThat(v("1.0+ubuntu.1").compareTo(v("1.0+1"))).isNegative();
        assertThat(v("1.0+1").compareTo(v("1.0+ubuntu.1"))).isPositive();
        // a shorter local version that is a prefix of a longer one sorts first
        assertThat(v("1.0+abc").compareTo(v("1.0+abc.1"))).isNegative();
        assertThat(v("1.0+abc.1").compareTo(v("1.0+abc"))).isPositive();
        // numbers compare as numbers, text as text
        assertStrictlyIncreasing(List.of("1.0", "1.0+abc", "1.0+abc.1", "1.0+abc.2", "1.0+abc.10", "1.0+abd", "1.0+0", "1.0+2", "1.0+10",
                "1.0+10.abc", "1.0+10.1", "1.0.post0"));
        assertStrictlyIncreasing(List.of("1.0+cu118", "1.0+cu121", "1.0+cu92", "1.0+rocm5"));
        // the separators inside a local version are interchangeable
        assertAllEqual("1.0+ubuntu.1", "1.0+ubuntu-1", "1.0+ubuntu_1");
        // a local version never makes a version equal to its public part
        assertThat(v("1.0+abc")).isNotEqualTo(v("1.0"));
    }

    @Test
    @DisplayName("numeric local segments compare as integers, so 1.0+abc.05 == 1.0+abc.5 with the same hashCode")
    void localNumericSegmentsIgnoreLeadingZeros() {
        // packaging parses a numeric local segment with int(): Version("1.0+abc.05") == Version("1.0+abc.5")
        assertAllEqual("1.0+abc.05", "1.0+abc.5");
        assertAllEqual("1.0+007", "1.0+7");
    }

    @Test
    @DisplayName("numbers of any size compare as numbers")
    void bigNumbers() {
        assertThat(v("99999999999999999999999.0").compareTo(v("9999999999999999999998.0"))).isPositive();
        assertThat(v("1.0.post99999999999999999999").compareTo(v("1.0.post99999999999999999998"))).isPositive();
        assertThat(v("1.10").compareTo(v("1.9"))).isPositive();
        assertThat(v("1.0a10").compareTo(v("1.0a9"))).isPositive();
        assertThat(v("1.0.dev10").compareTo(v("1.0.dev9"))).isPositive();
    }

    @Test
    @DisplayName("equal versions have equal hash codes")
    void equalVersionsHashAlike() {
        List<List<String>> groups = List.of(
                List.of("1.0", "1.0.0", "1", "v1", "1.00"),
                List.of("1.0a1", "1.0.alpha1", "1.0-a-1"),
                List.of("1.0c1", "1.0rc1", "1.0pre1", "1.0preview1"),
                List.of("1.0-1", "1.0.post1", "1.0.rev1", "1.0r1", "1.0post1"),
                List.of("1.0.dev", "1.0.dev0"),
                List.of("1!2.0", "1!2.0.0", "01!2"),
                List.of("1.0+local.1", "1.0.0+LOCAL-1"));
        for (List<String> group : groups) assertAllEqual(group.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.0-beta-gamma", "abc", "1..0", "1.0+", "1.0+-a", ".1", "1.", "1.0+a..b", "1!", "!1.0",
            "1.0.dev1.post1", "1.0a1b1", "1.0-", "1.0_", "vv1.0", "1.0+abc!", "1.0 2", "1.0dev1a1", "1,0"})
    @DisplayName("text PEP 440 does not accept is refused with InvalidVersionException")
    void refusals(String text) {
        assertThatThrownBy(() -> Pep440.INSTANCE.parse(text))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("PEP 440");
    }

    @Test
    @DisplayName("null is refused as an invalid version, not a NullPointerException")
    void nullIsRefused() {
        assertThatThrownBy(() -> Pep440.INSTANCE.parse(null)).isInstanceOf(InvalidVersionException.class);
    }

    @Test
    @DisplayName("the refusal quotes the text it refused")
    void refusalQuotesText() {
        assertThatThrownBy(() -> Pep440.INSTANCE.parse("1.0-beta-gamma"))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("\"1.0-beta-gamma\"");
    }
}
