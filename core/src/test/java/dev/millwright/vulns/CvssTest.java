package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CVSS v3 base scores as NVD's calculator gives them, and the scores the GHSA records carry. */
class CvssTest {
    @ParameterizedTest
    @CsvSource({
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8, CRITICAL",
            "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H, 7.5, HIGH",
            "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N, 6.5, MEDIUM",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0, CRITICAL",
            "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H, 8.8, HIGH",
            "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N, 1.6, LOW",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0, NONE",
    })
    void baseScoresAndRatings(String vector, double score, Cvss.Rating rating) {
        assertThat(Cvss.baseScore(vector)).hasValue(score);
        assertThat(Cvss.rating(score)).isEqualTo(rating);
    }

    @Test
    void whatIsNotAV3VectorIsNotScored() {
        assertThat(Cvss.baseScore("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")).isEmpty();
        assertThat(Cvss.baseScore("CVSS:3.1/AV:N/AC:L")).isEmpty();
        assertThat(Cvss.baseScore("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).isEmpty();
        assertThat(Cvss.baseScore(null)).isEmpty();
    }

    @Test
    void theVllmRecordsScoresAgreeWithTheScoresGitHubGaveThem() throws URISyntaxException {
        var read = OsvFiles.read(Path.of(getClass().getResource("/vulns/ghsa-vuln-list").toURI()));
        assertThat(read.advisories()).hasSize(5);
        // GHSA's own scores, kept in the records' database_specific
        var expected = java.util.Map.of("GHSA-rh4j-5rhw-hr54", 7.5);
        for (var a : read.advisories()) {
            if (expected.containsKey(a.id())) assertThat(Cvss.highest(a)).hasValue(expected.get(a.id()));
        }
    }
}
