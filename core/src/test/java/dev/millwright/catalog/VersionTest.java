package dev.millwright.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionTest {
    private static Version v(String text) {
        return Version.of(text);
    }

    @Test
    @DisplayName("driver versions order by number, not by text: 535.161.07 < 535.161.8 < 550.54.14")
    void driverVersionsOrderNumerically() {
        assertThat(v("535.161.07")).isLessThan(v("535.161.8"));
        assertThat(v("535.161.8")).isLessThan(v("550.54.14"));
        assertThat(v("570.124.06")).isGreaterThan(v("570.26"));
        assertThat(v("580.9")).isLessThan(v("580.10"));
    }

    @Test
    @DisplayName("a missing patch counts as 0: 12.8 and 12.8.0 sit together, between 12.7.9 and 12.8.1")
    void missingPatchCountsAsZero() {
        assertThat(List.of(v("12.8").major(), v("12.8").minor(), v("12.8").patch())).containsExactly(12, 8, 0);
        assertThat(v("12.8")).isGreaterThan(v("12.7.9")).isLessThan(v("12.8.1"));
        assertThat(v("12.8.0")).isGreaterThan(v("12.7.9")).isLessThan(v("12.8.1"));
        List<Version> sorted = new ArrayList<>(List.of(v("12.10"), v("12.8.1"), v("12.8"), v("12.9"), v("12.8.0")));
        sorted.sort(null);
        assertThat(sorted.subList(0, 2)).extracting(Version::toString).containsExactlyInAnyOrder("12.8", "12.8.0");
        assertThat(sorted.subList(2, 5)).extracting(Version::toString).containsExactly("12.8.1", "12.9", "12.10");
        assertThat(VersionRange.of(">=12.8.0 <12.8.1").contains(v("12.8"))).isTrue();
    }

    @Test
    @DisplayName("12.8 and 12.8.0 are the same version in order")
    void shortAndLongFormsCompareEqual() {
        assertThat(v("12.8").compareTo(v("12.8.0"))).isZero();
    }

    @Test
    @DisplayName("a leading v is ignored for order and kept for display")
    void leadingVIsIgnored() {
        Version tagged = v("v24.3.0");
        assertThat(List.of(tagged.major(), tagged.minor(), tagged.patch())).containsExactly(24, 3, 0);
        assertThat(tagged).hasToString("v24.3.0");
        assertThat(tagged).isGreaterThan(v("24.2.9")).isLessThan(v("24.3.1"));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "'>=570.26',            570.86.15,  true",
            "'>=570.26',            565.57.01,  false",
            "'>=570.26',            570.26,     true",
            "'>=12.0.0 <13.0.0',    12.8,       true",
            "'>=12.0.0 <13.0.0',    13.0.0,     false",
            "'1.29 - 1.33',         1.33.13,    true",
            "'1.29 - 1.33',         1.34.0,     false",
            "'>=1.22.0 <1.30.0 || >=1.32.0 <1.37.0', 1.33.13, true",
            "'>=1.22.0 <1.30.0 || >=1.32.0 <1.37.0', 1.31.14, false",
    })
    void rangesContainWhatTheySay(String range, String version, boolean contained) {
        assertThat(VersionRange.of(range).contains(v(version))).isEqualTo(contained);
    }

    @Test
    @DisplayName("a range bound written like an NVIDIA driver, with leading zeros, keeps its meaning")
    void rangeBoundWithLeadingZeros() {
        assertThat(VersionRange.of(">=580.95.05").contains(v("580.95.05"))).isTrue();
        assertThat(VersionRange.of(">=580.95.05").contains(v("580.95.4"))).isFalse();
        // semver4j alone drops a comparator with a leading zero, silently: this would read as <600.
        assertThat(VersionRange.of(">=580.65.06 <600").contains(v("535.161.07"))).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({
            "1.22-1.29,        '>=1.22.0 <1.30.0', 1.29.15, 1.30.0",
            "1.30-1.34,        '>=1.30.0 <1.35.0', 1.30.0,  1.29.15",
            "' 1.33 - 1.36 ',  '>=1.33.0 <1.37.0', 1.36.4,  1.37.0",
    })
    @DisplayName("a vendor table's minor range 1.22-1.29 becomes >=1.22.0 <1.30.0, every patch of both ends included")
    void minorRangeConverts(String table, String range, String inside, String outside) {
        String converted = MinorRanges.parse(table).orElseThrow().rangeText();
        assertThat(converted).isEqualTo(range);
        assertThat(VersionRange.of(converted).contains(v(inside))).isTrue();
        assertThat(VersionRange.of(converted).contains(v(outside))).isFalse();
    }

    @Test
    void minorRangeRefusesWhatIsNotOne() {
        assertThat(MinorRanges.parse("1.29")).isEmpty();
        assertThat(MinorRanges.parse("1.29-1.22")).isEmpty();
        assertThat(MinorRanges.parse("4.12-4.15x")).isEmpty();
        assertThat(MinorRanges.parse("")).isEmpty();
    }

    @Test
    @DisplayName("the union of minor ranges merges overlapping and adjacent ones and keeps gaps as ||")
    void minorRangesUnion() {
        List<MinorRanges.Span> overlapping = MinorRanges.union(List.of(span("1.33-1.36"), span("1.32-1.36"), span("1.33-1.36")));
        assertThat(MinorRanges.rangeText(overlapping)).isEqualTo(">=1.32.0 <1.37.0");
        assertThat(MinorRanges.text(overlapping)).isEqualTo("1.32-1.36");

        List<MinorRanges.Span> adjacent = MinorRanges.union(List.of(span("1.30-1.31"), span("1.22-1.29")));
        assertThat(MinorRanges.rangeText(adjacent)).isEqualTo(">=1.22.0 <1.32.0");

        List<MinorRanges.Span> gap = MinorRanges.union(List.of(span("1.32-1.35"), span("1.22-1.29")));
        assertThat(MinorRanges.rangeText(gap)).isEqualTo(">=1.22.0 <1.30.0 || >=1.32.0 <1.36.0");
        assertThat(VersionRange.of(MinorRanges.rangeText(gap)).contains(v("1.31.0"))).isFalse();
    }

    private static MinorRanges.Span span(String text) {
        return MinorRanges.parse(text).orElseThrow();
    }
}
