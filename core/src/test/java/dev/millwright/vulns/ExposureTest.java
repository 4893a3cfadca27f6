package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Environments' packages against the real advisory corpus. */
class ExposureTest {
    @Test
    void eachEnvironmentIsExposedThroughThePackagesItRunsAndOnlyThose() throws URISyntaxException {
        OsvFiles.Result read = OsvFiles.read(Path.of(getClass().getResource("/vulns").toURI()));
        Matcher matcher = new Matcher(read.advisories());
        Findings findings = new Findings(read.advisories());
        Map<String, List<Exposure.Package>> environments = new LinkedHashMap<>();
        environments.put("acme/old", List.of(new Exposure.Package("PyPI", "vllm", "0.6.6"), new Exposure.Package("container", "kserve/kserve-controller", "v0.13.0")));
        environments.put("acme/new", List.of(new Exposure.Package("PyPI", "vllm", "0.11.0")));
        environments.put("acme/empty", List.of());

        Map<String, List<Exposure.Hit>> exposed = Exposure.of(matcher, findings, environments);

        assertThat(exposed.get("acme/old")).isNotEmpty().allSatisfy(h -> assertThat(h.pkg().name()).isEqualTo("vllm"));
        // the vLLM record that GitHub and PyPA both carry is one finding, named by its CVE
        assertThat(exposed.get("acme/old")).extracting(h -> h.finding().name()).contains("CVE-2025-24357").doesNotHaveDuplicates();
        assertThat(exposed.get("acme/old").get(0).finding().score()).as("most severe first").isPresent();
        assertThat(exposed.get("acme/new")).extracting(h -> h.finding().name()).doesNotContain("CVE-2025-24357");
        assertThat(exposed.get("acme/empty")).isEmpty();
        // GHSA-rh4j-5rhw-hr54, the record GitHub and PyPA share for it, is fixed in 0.7.0
        assertThat(exposed.get("acme/old")).filteredOn(h -> h.finding().name().equals("CVE-2025-24357"))
                .extracting(Exposure.Hit::fixedIn).containsOnly("0.7.0");
    }
}
