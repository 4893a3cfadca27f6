package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FindingsTest {
    private static Advisory advisory(String id, List<String> aliases, String cvss) {
        return new Advisory(id, aliases, "", null, null, null, cvss == null ? List.of() : List.of(new Advisory.Severity("CVSS_V3", cvss)),
                List.of());
    }

    @Test
    void recordsThatNameEachOtherAreOneFindingNamedByItsCve() {
        Advisory ghsa = advisory("GHSA-rh4j-5rhw-hr54", List.of("CVE-2025-24357", "PYSEC-2025-58"), "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H");
        Advisory pysec = advisory("PYSEC-2025-58", List.of("GHSA-rh4j-5rhw-hr54"), null);
        // linked only through a third name
        Advisory go = advisory("GO-2025-1", List.of("CVE-2025-24357"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        Advisory other = advisory("GHSA-aaaa-bbbb-cccc", List.of(), "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N");
        Findings findings = new Findings(List.of(ghsa, pysec, go, other));

        List<Findings.Finding> found = findings.of(List.of("PYSEC-2025-58", "GHSA-rh4j-5rhw-hr54", "GO-2025-1", "GHSA-aaaa-bbbb-cccc"));

        assertThat(found).hasSize(2);
        Findings.Finding first = found.get(0);
        assertThat(first.name()).isEqualTo("CVE-2025-24357");
        assertThat(first.ids()).containsExactly("CVE-2025-24357", "GHSA-rh4j-5rhw-hr54", "GO-2025-1", "PYSEC-2025-58");
        assertThat(first.records()).extracting(Advisory::id).containsExactlyInAnyOrder("GHSA-rh4j-5rhw-hr54", "PYSEC-2025-58", "GO-2025-1");
        assertThat(first.score()).as("the most severe of its records").hasValue(9.8);
        assertThat(first.rating()).hasValue(Cvss.Rating.CRITICAL);
        assertThat(found.get(1).name()).isEqualTo("GHSA-aaaa-bbbb-cccc");
        assertThat(findings.of(List.of("PYSEC-2025-58"))).singleElement().satisfies(f -> assertThat(f.score()).isEqualTo(Optional.empty()));
    }
}
