package dev.millwright.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.kinds.Kinds;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.Json;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.Validation;
import org.junit.jupiter.api.Test;

class CatalogKindsTest {
    private static Resource parse(String yaml) {
        return ResourceCodec.parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), ResourceCodec.Format.YAML);
    }

    private static InvalidResourceException invalid(Resource r) {
        return catchThrowableOfType(InvalidResourceException.class, () -> Validation.validate(Kinds.registry().require(r.kind()), r));
    }

    @Test
    void aPackWithParsableVersionsAndRangesIsValid() {
        Resource pack = parse("""
                kind: Pack
                metadata: {name: vllm-0-8-5}
                spec:
                  layer: serving
                  name: vllm
                  version: 0.8.5
                  requires: [{pack: cuda, range: ">=12.4", reason: "vLLM wheels are built for CUDA 12.4+"}]
                  packages: [{ecosystem: PyPI, name: vllm, version: 0.8.5}]
                  endOfLife: "2026-12-31"
                """);
        assertThatCode(() -> Validation.validate(Kinds.registry().require("Pack"), pack)).doesNotThrowAnyException();
    }

    @Test
    void aPackRangeThatIsNoRangeIsNamedByItsPath() {
        Resource pack = parse("""
                kind: Pack
                metadata: {name: bad}
                spec: {layer: cuda, name: cuda, version: "not-a-version", requires: [{pack: gpu-driver, range: ">=>="}]}
                """);
        assertThat(invalid(pack).details()).containsKeys("spec.version", "spec.requires[0].range");
    }

    @Test
    void aPackEndOfLifeMustBeACalendarDate() {
        Resource pack = parse("""
                kind: Pack
                metadata: {name: late}
                spec: {layer: cuda, name: cuda, version: "12.8", endOfLife: "2025-02-30"}
                """);
        assertThat(invalid(pack).details()).containsKey("spec.endOfLife");
    }

    @Test
    void aTemplateVersionIsItsOwnObjectNamedAfterFamilyAndVersion() {
        Resource t = template("gpu-base-1-2-0", "gpu-base", "1.2.0");
        assertThatCode(() -> Validation.validate(Kinds.registry().require("StackTemplate"), t)).doesNotThrowAnyException();
        assertThat(invalid(template("gpu-base", "gpu-base", "1.2.0")).details()).containsKey("metadata.name");
        assertThat(invalid(template("gpu-base-1-2", "gpu-base", "1.2")).details()).containsKey("spec.version");
    }

    @Test
    void variablesAreTypedAndTheirDefaultsChecked() {
        Resource t = parse("""
                kind: StackTemplate
                metadata: {name: net-1-0-0}
                spec:
                  template: net
                  version: 1.0.0
                  layers: [{pack: kubernetes, version: 1.33.4}, {pack: kubernetes, version: 1.32.8}]
                  variables:
                    - {name: podCidr, type: cidr, default: 10.244.0.0/16}
                    - {name: apiAddress, type: ipv4, default: 10.0.0.300}
                    - {name: replicas, type: number, default: "three"}
                    - {name: clusterName, type: string, regex: "^[a-z]+$", default: "Prod1"}
                    - {name: clusterName, type: string, regex: "([", default: x}
                """);
        var details = invalid(t).details();
        assertThat(details).containsKeys("spec.layers[1].pack", "spec.variables[1].default", "spec.variables[2].default",
                "spec.variables[3].default", "spec.variables[4].name", "spec.variables[4].regex");
        assertThat(details).doesNotContainKey("spec.variables[0].default");
    }

    @Test
    void typeErrorsNameTheExpectedType() {
        assertThat(CatalogKinds.typeError("bool", Json.MAPPER.valueToTree("yes"), null)).isEqualTo("must be true or false");
        assertThat(CatalogKinds.typeError("version", Json.MAPPER.valueToTree("12.8"), null)).isNull();
        assertThat(CatalogKinds.typeError("cidr", Json.MAPPER.valueToTree("10.0.0.0/33"), null)).contains("CIDR");
    }

    private static Resource template(String name, String family, String version) {
        ObjectNode spec = Json.object().put("template", family).put("version", version);
        spec.putArray("layers").addObject().put("pack", "kubernetes").put("version", "1.33.4");
        return new Resource("StackTemplate", ObjectMeta.named(name, ""), spec, null);
    }
}
