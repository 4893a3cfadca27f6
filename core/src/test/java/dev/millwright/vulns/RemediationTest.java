package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.TemplateCheck;
import dev.millwright.resource.Json;
import dev.millwright.rollout.PackChange;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remediation over the built-in catalog and the real vLLM advisories (GitHub's records, converted to OSV):
 * CVE-2025-24357 is fixed in vLLM 0.7.0, CVE-2025-46570 in 0.9.0, CVE-2025-6242 in 0.11.0, which the catalog
 * does not have. The environment runs vLLM 0.6.6 on CUDA 12.2 and driver R550.
 */
class RemediationTest {
    static final LocalDate TODAY = LocalDate.of(2025, 9, 1);
    static Catalog catalog;
    static Matcher matcher;
    static Findings findings;

    @BeforeAll
    static void read() throws URISyntaxException {
        OsvFiles.Result read = OsvFiles.read(Path.of(RemediationTest.class.getResource("/vulns/ghsa-vuln-list").toURI()));
        matcher = new Matcher(read.advisories());
        findings = new Findings(read.advisories());
        catalog = BuiltInCatalog.load();
    }

    static JsonNode template(String version, String driver, String cuda, String operator, String vllm) {
        return Json.tree("""
                {"template":"serve","version":"%s","layers":[{"pack":"gpu-driver","version":"%s"},{"pack":"cuda","version":"%s"},
                 {"pack":"kubernetes","version":"1.30"},{"pack":"gpu-operator","version":"%s"},{"pack":"vllm","version":"%s"}]}"""
                .formatted(version, driver, cuda, operator, vllm));
    }

    static final JsonNode RUNNING = template("1.0.0", "550.54.15", "12.2.2", "24.3.0", "0.6.6");

    /** The running template's hits for the named findings, as the exposure reports them. */
    static List<Exposure.Hit> hits(String... names) {
        var packages = TemplateCheck.packs(catalog, RUNNING).orElseThrow().stream()
                .flatMap(p -> p.packages().stream()).map(sp -> new Exposure.Package(sp.ecosystem(), sp.name(), sp.version())).toList();
        List<Exposure.Hit> all = Exposure.of(matcher, findings, Map.of("env", packages)).get("env");
        List<Exposure.Hit> chosen = all.stream().filter(h -> List.of(names).contains(h.finding().name())).toList();
        assertThat(chosen).extracting(h -> h.finding().name()).containsExactlyInAnyOrder(names);
        return chosen;
    }

    static List<String> changes(List<PackChange> changes) {
        return changes.stream().map(PackChange::toString).toList();
    }

    @Test
    void theRunningTemplateIsValidAndExposed() {
        assertThat(TemplateCheck.check(catalog, RUNNING, TODAY).errors()).isEmpty();
        hits("CVE-2025-24357", "CVE-2025-46570", "CVE-2025-6242");
    }

    @Test
    void theSmallestChangeMovesTheAffectedPackToTheFirstFixedVersionAndOnlyWhatItsRulesNeed() {
        Remediation.Answer a = new Remediation(catalog, matcher, TODAY).fix(RUNNING, hits("CVE-2025-24357"), List.of());
        // vLLM 0.7.3 is the first catalog version past 0.7.0, and its wheels need CUDA 12.4: the nearest 12.4 is 12.4.0
        assertThat(changes(a.smallest())).containsExactly("cuda 12.2.2 -> 12.4.0", "vllm 0.6.6 -> 0.7.3");
        assertThat(a.published()).isEmpty();
        assertThat(a.reasons()).isEmpty();
        assertThat(a.fixable()).isTrue();
    }

    @Test
    void aFixThatNeedsANewerCudaPullsTheDriverAndOperatorAlongAsTheCatalogsRulesRequire() {
        Remediation.Answer a = new Remediation(catalog, matcher, TODAY).fix(RUNNING, hits("CVE-2025-46570"), List.of());
        List<String> moved = a.smallest().stream().map(PackChange::pack).toList();
        assertThat(moved).contains("vllm", "cuda", "gpu-driver");
        assertThat(a.smallest()).filteredOn(c -> c.pack().equals("vllm")).extracting(c -> c.to().toString()).containsExactly("0.9.2");
        assertThat(a.smallest()).allSatisfy(c -> assertThat(c.to()).isGreaterThan(c.from()));
        // the new stack is one the catalog accepts
        JsonNode next = Remediation.newVersion(RUNNING, a.smallest(), "1.0.1");
        assertThat(TemplateCheck.check(catalog, next, TODAY).errors()).isEmpty();
        assertThat(next.path("version").asText()).isEqualTo("1.0.1");
    }

    @Test
    void aFixTheCatalogDoesNotHaveIsSaidPlainlyNotInvented() {
        Remediation.Answer a = new Remediation(catalog, matcher, TODAY).fix(RUNNING, hits("CVE-2025-6242"), List.of());
        assertThat(a.fixable()).isFalse();
        assertThat(a.smallest()).isEmpty();
        assertThat(a.reasons()).singleElement().asString()
                .contains("CVE-2025-6242").contains("no vllm version newer than 0.6.6").contains("fixed in PyPI vllm 0.11.0")
                .contains("newest vllm is 0.9.2");
    }

    @Test
    void aFindingTheCatalogCannotFixDoesNotHoldBackTheOthers() {
        Remediation.Answer a = new Remediation(catalog, matcher, TODAY).fix(RUNNING, hits("CVE-2025-24357", "CVE-2025-6242"), List.of());
        assertThat(a.fixed()).extracting(Findings.Finding::name).containsExactly("CVE-2025-24357");
        assertThat(changes(a.smallest())).containsExactly("cuda 12.2.2 -> 12.4.0", "vllm 0.6.6 -> 0.7.3");
        assertThat(a.reasons()).singleElement().asString().startsWith("CVE-2025-6242: the catalog has no vllm version");
    }

    @Test
    void aFindingWithNoFixedVersionAnywhereIsReportedAsSuch() {
        Exposure.Hit real = hits("CVE-2025-24357").get(0);
        Exposure.Hit unfixed = new Exposure.Hit(real.finding(), real.pkg(), null);
        Remediation.Answer a = new Remediation(catalog, matcher, TODAY).fix(RUNNING, List.of(unfixed), List.of());
        assertThat(a.fixable()).isFalse();
        assertThat(a.fixed()).isEmpty();
        assertThat(a.reasons()).containsExactly("CVE-2025-24357: no fixed version of vllm is known");
    }

    @Test
    void thePublishedVersionWithTheFewestChangesThatFixesItIsChosen() {
        JsonNode patch = template("1.0.1", "550.54.15", "12.4.1", "24.3.0", "0.7.3");
        JsonNode major = template("2.0.0", "570.148.08", "12.8.0", "25.3.0", "0.9.2");
        JsonNode stillExposed = template("1.0.2", "550.54.15", "12.2.2", "24.3.0", "0.6.6");
        JsonNode otherFamily = Json.tree(Json.string(patch).replace("\"serve\"", "\"other\""));
        assertThat(TemplateCheck.check(catalog, major, TODAY).errors()).isEmpty();
        Remediation remediation = new Remediation(catalog, matcher, TODAY);

        Remediation.Answer first = remediation.fix(RUNNING, hits("CVE-2025-24357"), List.of(major, stillExposed, otherFamily, patch));
        assertThat(first.published()).hasValueSatisfying(p -> {
            assertThat(p.template()).isEqualTo("serve");
            assertThat(p.version()).isEqualTo("1.0.1");
            assertThat(changes(p.changes())).containsExactly("cuda 12.2.2 -> 12.4.1", "vllm 0.6.6 -> 0.7.3");
        });
        // 1.0.1 still runs a vLLM CVE-2025-46570 affects: only 2.0.0 fixes both
        Remediation.Answer both = remediation.fix(RUNNING, hits("CVE-2025-24357", "CVE-2025-46570"), List.of(major, stillExposed, patch));
        assertThat(both.published()).map(Remediation.Published::version).contains("2.0.0");
        assertThat(both.fixed()).extracting(Findings.Finding::name).containsExactlyInAnyOrder("CVE-2025-24357", "CVE-2025-46570");
    }

    @Test
    void newVersionsArePatchesAboveTheHighestPublished() {
        assertThat(Remediation.nextPatch("serve", List.of(RUNNING, template("1.2.0", "", "", "", "")))).isEqualTo("1.2.1");
        assertThat(Remediation.nextPatch("none", List.of(RUNNING))).isEqualTo("1.0.0");
    }
}
