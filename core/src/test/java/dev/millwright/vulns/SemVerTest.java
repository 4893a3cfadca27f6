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

/** Semantic Versioning 2.0 precedence (semver.org section 11), with Go's spelling of versions. */
class SemVerTest {
    private static VersionScheme.Parsed v(String text) {
        return SemVer.INSTANCE.parse(text);
    }

    private static void assertStrictlyIncreasing(List<String> order) {
        VersionOrder.assertStrictlyIncreasing(SemVer.INSTANCE, order);
    }

    private static void assertSame(String a, String b) {
        assertThat(v(a).compareTo(v(b))).as("%s compared to %s", a, b).isZero();
        assertThat(v(b).compareTo(v(a))).as("%s compared to %s", b, a).isZero();
        assertThat(v(a)).as("%s equals %s", a, b).isEqualTo(v(b));
        assertThat(v(a).hashCode()).as("hashCode of %s and %s", a, b).isEqualTo(v(b).hashCode());
    }

    private static final List<String> SEMVER_ORG_ORDER = List.of(
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");

    @Test
    @DisplayName("semver.org's precedence example holds for every pair, both ways round")
    void semverOrgExamplePairwise() {
        assertStrictlyIncreasing(SEMVER_ORG_ORDER);
    }

    @Test
    @DisplayName("sorting a shuffled semver.org example gives its order back")
    void sortingRestoresOrder() {
        List<String> shuffled = new ArrayList<>(SEMVER_ORG_ORDER);
        Collections.shuffle(shuffled, new Random(20));
        shuffled.sort((a, b) -> v(a).compareTo(v(b)));
        assertThat(shuffled).containsExactlyElementsOf(SEMVER_ORG_ORDER);
    }

    @Test
    @DisplayName("major, minor and patch compare as numbers: 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1 < 2.10.0 < 10.0.0")
    void coreNumbersCompareNumerically() {
        assertStrictlyIncreasing(List.of("0.0.0", "0.0.1", "0.1.0", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "2.1.9", "2.1.10", "2.10.0", "10.0.0"));
    }

    @Test
    @DisplayName("pre-release identifiers: numeric below alphanumeric, numbers as numbers, text in ASCII order, more fields higher")
    void preReleaseIdentifiers() {
        assertStrictlyIncreasing(List.of("1.0.0-0", "1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-0a", "1.0.0-A", "1.0.0-Z", "1.0.0-a",
                "1.0.0-a.0", "1.0.0-a.0.0", "1.0.0-a.1", "1.0.0-a.-", "1.0.0-a.a", "1.0.0-b", "1.0.0"));
        assertThat(v("1.0.0-rc.1").compareTo(v("0.9.9"))).isPositive();
    }

    @Test
    @DisplayName("build metadata is ignored: 1.0.0+a == 1.0.0+b == 1.0.0, with equal hash codes")
    void buildMetadataIgnored() {
        assertSame("1.0.0+a", "1.0.0+b");
        assertSame("1.0.0+a", "1.0.0");
        assertSame("1.0.0-rc.1+build.5", "1.0.0-rc.1+build.6");
        assertSame("1.0.0-alpha+001", "1.0.0-alpha");
        assertSame("1.0.0+20130313144700", "1.0.0+exp.sha.5114f85");
        assertThat(v("1.0.0-alpha+zzz").compareTo(v("1.0.0-beta+aaa"))).isNegative();
        assertThat(v("1.0.0+zzz").compareTo(v("1.0.1+aaa"))).isNegative();
    }

    @Test
    @DisplayName("numbers beyond a long compare as numbers: 99999999999999999999.0.0 > 9.0.0")
    void numbersBeyondLong() {
        assertThat(v("99999999999999999999.0.0").compareTo(v("9.0.0"))).isPositive();
        assertThat(v("9.0.0").compareTo(v("99999999999999999999.0.0"))).isNegative();
        assertThat(v("1.99999999999999999999.0").compareTo(v("1.99999999999999999998.0"))).isPositive();
        assertThat(v("1.0.99999999999999999999").compareTo(v("1.0.100000000000000000000"))).isNegative();
        assertThat(v("1.0.0-99999999999999999999").compareTo(v("1.0.0-100000000000000000000"))).isNegative();
        assertThat(v("1.0.0-99999999999999999999").compareTo(v("1.0.0-alpha"))).isNegative();
        assertSame("18446744073709551616.0.0", "18446744073709551616.0.0");
    }

    @Test
    @DisplayName("Go: a leading v is accepted and changes nothing")
    void leadingV() {
        assertSame("v1.2.3", "1.2.3");
        assertSame("v1.2.3-rc.1", "1.2.3-rc.1");
        assertThat(v("v1.2.3").compareTo(v("v1.2.4"))).isNegative();
        assertThat(v("v1.10.0").compareTo(v("v1.9.0"))).isPositive();
    }

    @Test
    @DisplayName("Go pseudo-versions of v0.0.0 order by timestamp, and below the first tagged release")
    void pseudoVersionsOfNoTag() {
        assertStrictlyIncreasing(List.of("v0.0.0-20190927203648-9ce6eca90e73", "v0.0.0-20200101000000-abcdefabcdef", "v0.1.0"));
        assertThat(v("v0.0.0-20190927203648-9ce6eca90e73").compareTo(v("v0.0.0"))).isNegative();
    }

    @Test
    @DisplayName("Go pseudo-version after a release: v1.2.3 < v1.2.4-0.20191109021931-daa7c04131f5 < v1.2.4")
    void pseudoVersionAfterRelease() {
        assertStrictlyIncreasing(List.of("v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-0.20200101000000-000000000000",
                "v1.2.4-alpha", "v1.2.4"));
    }

    @Test
    @DisplayName("Go pseudo-version after a pre-release: v1.2.3-pre < v1.2.3-pre.0.20191109021931-daa7c04131f5 < v1.2.3")
    void pseudoVersionAfterPreRelease() {
        assertStrictlyIncreasing(List.of("v1.2.3-pre", "v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre.1", "v1.2.3"));
    }

    @Test
    @DisplayName("Go +incompatible is build metadata: v2.0.0+incompatible == v2.0.0 < v2.0.1")
    void incompatible() {
        assertSame("v2.0.0+incompatible", "v2.0.0");
        assertThat(v("v2.0.0+incompatible").compareTo(v("v2.0.1"))).isNegative();
        assertThat(v("v2.0.1").compareTo(v("v2.0.0+incompatible"))).isPositive();
        assertThat(v("v2.0.0+incompatible").compareTo(v("v1.9.9"))).isPositive();
        assertThat(v("v2.0.1-0.20191109021931-daa7c04131f5+incompatible").compareTo(v("v2.0.0+incompatible"))).isPositive();
        assertThat(v("v2.0.1-0.20191109021931-daa7c04131f5+incompatible").compareTo(v("v2.0.1"))).isNegative();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "01.2.3", "1.2.3-01", "1.2.3-", "v", "1.2.3.4", "", " ", "1", "1.2.", "1.02.3", "1.2.03",
            "1.2.3-a..b", "1.2.3+", "1.2.3+a..b", "1.2.3-a_b", "a.b.c", "vv1.2.3", "1.2.3-alpha.01", "-1.2.3", "1.2.3 4", "1.2.3++a"})
    @DisplayName("text SemVer does not accept is refused with InvalidVersionException")
    void refusals(String text) {
        assertThatThrownBy(() -> SemVer.INSTANCE.parse(text))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("SemVer");
    }

    @Test
    @DisplayName("null is refused as an invalid version, not a NullPointerException")
    void nullIsRefused() {
        assertThatThrownBy(() -> SemVer.INSTANCE.parse(null)).isInstanceOf(InvalidVersionException.class);
    }

    @Test
    @DisplayName("the refusal quotes the text it refused")
    void refusalQuotesText() {
        assertThatThrownBy(() -> SemVer.INSTANCE.parse("1.2.3.4"))
                .isInstanceOf(InvalidVersionException.class)
                .hasMessageContaining("\"1.2.3.4\"");
    }
}
