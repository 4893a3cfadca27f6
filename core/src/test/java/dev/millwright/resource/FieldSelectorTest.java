package dev.millwright.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldSelectorTest {
    private static Resource machine(String site, String phase, int failedGpus) {
        ObjectNode spec = Json.object().put("site", site).put("maintenance", false);
        spec.putObject("bmc").put("endpoint", "twin://hgx-h100");
        ObjectNode status = Json.object().put("phase", phase).put("failedGpus", failedGpus);
        return new Resource("Machine", new ObjectMeta("m1", "", Map.of(), Map.of(), null, 0, 0, null), spec, status);
    }

    private static final Resource MUNICH_READY = machine("munich", "Ready", 0);
    private static final Resource FRANKFURT_FAILED = machine("frankfurt", "Failed", 8);

    @Test
    void parsesEqualityAndInequalityOnSpecAndStatus() {
        FieldSelector s = FieldSelector.parse("spec.site=munich, status.phase!=Failed,spec.bmc.endpoint==twin://hgx-h100");
        assertThat(s.requirements()).containsExactly(
                new FieldSelector.Requirement("spec", List.of("site"), "munich", false),
                new FieldSelector.Requirement("status", List.of("phase"), "Failed", true),
                new FieldSelector.Requirement("spec", List.of("bmc", "endpoint"), "twin://hgx-h100", false));
        assertThat(s.isEverything()).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void anAbsentSelectorMatchesEverything(String text) {
        FieldSelector s = FieldSelector.parse(text);
        assertThat(s.isEverything()).isTrue();
        assertThat(s.matches(MUNICH_READY)).isTrue();
        assertThat(s.matchesWire(Json.object())).isTrue();
    }

    @Test
    void matchesFieldsAsText() {
        assertThat(FieldSelector.parse("spec.site=munich").matches(MUNICH_READY)).isTrue();
        assertThat(FieldSelector.parse("spec.site=munich").matches(FRANKFURT_FAILED)).isFalse();
        assertThat(FieldSelector.parse("status.phase!=Failed").matches(MUNICH_READY)).isTrue();
        assertThat(FieldSelector.parse("status.phase!=Failed").matches(FRANKFURT_FAILED)).isFalse();
        assertThat(FieldSelector.parse("status.failedGpus=8").matches(FRANKFURT_FAILED)).isTrue();
        assertThat(FieldSelector.parse("spec.maintenance=false").matches(MUNICH_READY)).isTrue();
        assertThat(FieldSelector.parse("spec.bmc.endpoint=twin://hgx-h100").matches(MUNICH_READY)).isTrue();
        assertThat(FieldSelector.parse("spec.site=munich,status.phase=Ready").matches(MUNICH_READY)).isTrue();
        assertThat(FieldSelector.parse("spec.site=munich,status.phase=Failed").matches(MUNICH_READY)).isFalse();
    }

    @Test
    void aMissingOrNonScalarFieldEqualsNothingAndDiffersFromEverything() {
        assertThat(FieldSelector.parse("spec.rack=r01").matches(MUNICH_READY)).isFalse();
        assertThat(FieldSelector.parse("spec.rack!=r01").matches(MUNICH_READY)).isTrue();
        assertThat(FieldSelector.parse("spec.bmc={}").matches(MUNICH_READY)).isFalse();
        assertThat(FieldSelector.parse("spec.bmc!=x").matches(MUNICH_READY)).isTrue();
    }

    @Test
    void matchesTheWireFormLikeTheResource() {
        ObjectNode wire = ResourceCodec.toJson(FRANKFURT_FAILED);
        for (String text : List.of("spec.site=frankfurt", "status.phase=Failed", "spec.site!=munich", "status.failedGpus=8",
                "spec.site=munich", "spec.rack!=x", "spec.bmc.endpoint=twin://hgx-h100")) {
            FieldSelector s = FieldSelector.parse(text);
            assertThat(s.matchesWire(wire)).as(text).isEqualTo(s.matches(FRANKFURT_FAILED));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"site=munich", "metadata.name=m1", "spec=munich", "spec.=x", "spec..site=x", "spec.site", "=munich",
            "spec.site=munich,,status.phase=Ready", "spec.site munich", "spec.si te=x", "spec.labels[0]=x", "status.phase~Ready"})
    void refusesBadSyntaxAsABadRequestOnTheParameter(String text) {
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> FieldSelector.parse(text));
        assertThat(e).as(text).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).containsOnlyKeys("fieldSelector");
        assertThat(e.details().get("fieldSelector")).singleElement().asString().contains(text);
    }
}
