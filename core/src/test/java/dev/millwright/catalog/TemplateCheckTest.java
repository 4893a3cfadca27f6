package dev.millwright.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.Json;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateCheckTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);

    private static TemplateCheck.Result check(String layersJson) {
        return TemplateCheck.check(BuiltInCatalog.load(), Json.tree("{\"layers\":" + layersJson + "}"), TODAY);
    }

    @Test
    void aReleaseLineStandsForItsNewestPatch() {
        var r = check("[{\"pack\":\"kubernetes\",\"version\":\"1.33\"},{\"pack\":\"ubuntu\",\"version\":\"24.04\"}]");
        assertThat(r.errors()).isEmpty();
        assertThat(TemplateCheck.find(BuiltInCatalog.load(), "kubernetes", "1.33")).map(p -> p.version().minor()).contains(33);
        assertThat(TemplateCheck.find(BuiltInCatalog.load(), "kubernetes", "1.33.999")).isEmpty();
    }

    @Test
    void aLayerTheCatalogLacksIsReportedOnceNotAgainAsMissingByThePacksThatNeedIt() {
        var r = check("[{\"pack\":\"cuda\",\"version\":\"12.7.9\"},{\"pack\":\"vllm\",\"version\":\"0.8.5\"}]");
        assertThat(r.errors()).containsOnlyKeys("spec.layers[0].version");
        assertThat(r.errors().get("spec.layers[0].version").get(0)).contains("the catalog has no cuda 12.7.9");
    }

    @Test
    void versionsAreNumbersNotAnyTextThatHoldsADigit() {
        assertThatThrownBy(() -> Version.of("x1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Version.of("ubuntu-22.04")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Version.of("v24.3.0")).isEqualTo(Version.of("24.3"));
        assertThat(Version.of("1.0.0+b1")).isEqualTo(Version.of("1.0.0+b2")).hasSameHashCodeAs(Version.of("1.0.0+b2"));
    }

    @Test
    void aPlatformPackReplacesTheBuiltInOneOfTheSameVersionWithoutDuplicates() {
        Pack own = new Pack(Layer.CUDA, "cuda", Version.of("12.8"), List.of(), List.of(), Set.of(), true, false, List.of(), null, "own build");
        Catalog merged = TemplateCheck.merged(BuiltInCatalog.load(), List.of(own,
                new Pack(Layer.OBSERVABILITY, "agent", Version.of("1.0.0+b1"), List.of(), List.of(), Set.of(), false, false, List.of(), null, ""),
                new Pack(Layer.OBSERVABILITY, "agent", Version.of("1.0.0+b2"), List.of(), List.of(), Set.of(), false, false, List.of(), null, "")));
        assertThat(merged.find("cuda", "12.8.0")).map(Pack::fips).contains(true);
        assertThat(merged.versions("agent")).hasSize(1);
    }
}
