package dev.millwright.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.Json;
import org.junit.jupiter.api.Test;

class VariableCheckTest {
    private static final com.fasterxml.jackson.databind.JsonNode TEMPLATE = Json.tree("""
            {"template":"gpu","version":"1.2.0","layers":[],"variables":[
              {"name":"podCidr","type":"cidr","required":true,"immutable":true},
              {"name":"clusterName","type":"string","regex":"^[a-z][a-z0-9-]*$","required":true,"default":"gpu"},
              {"name":"registryToken","type":"string","sensitive":true,"regex":"^ghp_[A-Za-z0-9]+$","immutable":true},
              {"name":"mig","type":"bool"}]}""");

    @Test
    void valuesOfTheRightTypeAreAccepted() {
        assertThat(VariableCheck.check(TEMPLATE, Json.tree("{\"podCidr\":\"10.244.0.0/16\",\"mig\":true}"), null)).isEmpty();
    }

    @Test
    void unknownWrongTypedAndMissingRequiredVariablesAreNamed() {
        var errors = VariableCheck.check(TEMPLATE, Json.tree("{\"mig\":\"yes\",\"clusterName\":\"Bad_Name\",\"colour\":1}"), null);

        assertThat(errors).containsOnlyKeys("spec.variables.podCidr", "spec.variables.mig", "spec.variables.clusterName", "spec.variables.colour");
        assertThat(errors.get("spec.variables.podCidr")).containsExactly("is required by template gpu@1.2.0");
        assertThat(errors.get("spec.variables.mig")).containsExactly("must be true or false");
        assertThat(errors.get("spec.variables.colour").get(0)).startsWith("template gpu@1.2.0 declares no variable colour");
    }

    @Test
    void anImmutableVariableKeepsItsValueAndASensitiveOneIsNeverRepeated() {
        var before = Json.tree("{\"podCidr\":\"10.244.0.0/16\",\"registryToken\":\"ghp_abc\"}");
        var errors = VariableCheck.check(TEMPLATE, Json.tree("{\"podCidr\":\"10.96.0.0/12\",\"registryToken\":\"ghp_def\"}"), before);

        assertThat(errors.get("spec.variables.podCidr")).containsExactly("is immutable: it cannot change once set (it is \"10.244.0.0/16\")");
        assertThat(errors.get("spec.variables.registryToken")).containsExactly("is immutable: it cannot change once set");
        var bad = VariableCheck.check(TEMPLATE, Json.tree("{\"podCidr\":\"10.244.0.0/16\",\"registryToken\":\"hunter2\"}"), null);
        assertThat(bad.get("spec.variables.registryToken")).containsExactly("does not match the variable's pattern");
    }
}
