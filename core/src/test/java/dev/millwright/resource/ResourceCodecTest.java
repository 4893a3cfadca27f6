package dev.millwright.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.ResourceCodec.Format;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceCodecTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Resource sampleProject() {
        ObjectNode spec = Json.object();
        spec.put("displayName", "Vision team");
        spec.put("description", "multi\nline: with # and - and 'quotes' and \"double quotes\"");
        spec.putArray("members").addObject().put("user", "alice").put("role", "tenant-admin");
        ObjectNode odd = spec.putObject("x");
        for (String tricky : new String[] {"123", "1.5", "-7", "1e3", ".5", "0x1F", "0o17", "1_000", "190:20:30.15", ".inf",
                "true", "no", "yes", "on", "null", "~", "", "- item", "a: b", "@at", "*ref", "&anchor", "# not a comment"}) {
            odd.put("k" + odd.size(), tricky);
        }
        odd.put("int", 42).put("negative", -7).put("bool", false).putNull("nothing");
        ObjectNode status = Json.object().put("phase", "Ready");
        ObjectMeta meta = new ObjectMeta("vision", "acme", Map.of("env", "prod", "millwright.dev/team", "cv"),
                Map.of("millwright.dev/note", "any text: even with spaces"), null, 0, 0, null);
        return new Resource("Project", meta, spec, status);
    }

    @Test
    void roundTripsThroughJson() {
        Resource original = sampleProject();

        Resource parsed = ResourceCodec.parse(Json.bytes(ResourceCodec.toJson(original)), Format.JSON);

        assertThat(parsed).isEqualTo(original);
    }

    @Test
    void roundTripsThroughYaml() {
        Resource original = sampleProject();
        String yaml = Json.yaml(ResourceCodec.toJson(original));

        Resource parsed = ResourceCodec.parse(utf8(yaml), Format.YAML);

        assertThat(parsed.kind()).isEqualTo(original.kind());
        assertThat(parsed.metadata()).isEqualTo(original.metadata());
        assertThat(parsed.spec()).as(yaml).isEqualTo(original.spec());
        assertThat(parsed.status()).isEqualTo(original.status());
    }

    @Test
    void keepsTheResourceVersionAClientSendsBackButDropsOtherStoreOwnedFields() {
        Resource stored = sampleProject().withMetadata(sampleProject().metadata()
                .stored("b7c5e8d2-0000-4000-8000-000000000001", 17, 3, Instant.parse("2025-01-02T03:04:05Z")));
        ObjectNode wire = ResourceCodec.toJson(stored);
        assertThat(wire.path("metadata").path("resourceVersion").asText()).isEqualTo("17");

        Resource parsed = ResourceCodec.parse(Json.bytes(wire), Format.JSON);

        assertThat(parsed.metadata()).isEqualTo(sampleProject().metadata().withResourceVersion(17));
    }

    @Test
    void readsAMinimalYamlBodyWithoutApiVersionSpecOrStatus() {
        Resource r = ResourceCodec.parse(utf8("kind: Tenant\nmetadata:\n  name: acme\n"), Format.YAML);

        assertThat(r.key()).isEqualTo(ResourceKey.platform("Tenant", "acme"));
        assertThat(r.spec()).isEqualTo(Json.object());
        assertThat(r.status()).isEqualTo(Json.object());
    }

    @Test
    void reportsMalformedJsonWithLineAndColumn() {
        String body = "{\"kind\": \"Project\",\n \"metadata\": {\"name\": }}";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.JSON))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.details()).containsOnlyKeys("body");
                    assertThat(e.getMessage()).contains("malformed JSON at line 2 column 23");
                });
    }

    @Test
    void reportsMalformedYamlWithLineAndColumn() {
        String body = "kind: [Project\nmetadata: {name: p}\n";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.YAML))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.details()).containsOnlyKeys("body");
                    assertThat(e.getMessage()).contains("malformed YAML at line 2 column 9");
                });
    }

    @Test
    void rejectsTrailingContentAfterTheJsonObject() {
        assertThatThrownBy(() -> ResourceCodec.parse(utf8("{\"kind\":\"Tenant\",\"metadata\":{\"name\":\"a\"}} {}"), Format.JSON))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.details()).containsOnlyKeys("body"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void rejectsAnEmptyBody(Format format) {
        for (String body : new String[] {"", "  \n  "}) {
            assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), format))
                    .isInstanceOfSatisfying(BadRequestException.class,
                            e -> assertThat(e.details()).isEqualTo(Map.of("body", java.util.List.of("is empty"))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "42", "\"text\"", "true"})
    void rejectsABodyThatIsNoObject(String body) {
        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.JSON))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.details()).containsOnlyKeys("body");
                    assertThat(e.getMessage()).contains("must be an object");
                });
    }

    @Test
    void namesUnknownTopLevelAndMetadataFieldsByPath() {
        String body = """
                {"kind": "Project", "spce": {}, "metadata": {"name": "p", "tenant": "acme", "namespace": "x"}}""";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.JSON))
                .isInstanceOfSatisfying(InvalidResourceException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.details()).containsOnlyKeys("spce", "metadata.namespace");
                    assertThat(e.details().get("spce")).containsExactly("unknown field");
                    assertThat(e.getMessage()).startsWith("Project \"p\" is invalid");
                });
    }

    @Test
    void reportsEveryWrongTypeAtOnce() {
        String body = """
                {"kind": "Project", "spec": [], "status": "Ready",
                 "metadata": {"name": 5, "tenant": true, "labels": {"env": 1, "ok": "yes"}, "annotations": ["x"]}}""";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.JSON))
                .isInstanceOfSatisfying(InvalidResourceException.class, e -> assertThat(e.details()).containsOnlyKeys(
                        "spec", "status", "metadata.name", "metadata.tenant", "metadata.labels.env", "metadata.annotations"));
    }

    @Test
    void reportsNumericLabelValuesInYamlByLabelKey() {
        String body = "kind: Project\nmetadata:\n  name: p\n  labels:\n    replicas: 3\n    enabled: true\n";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.YAML))
                .isInstanceOfSatisfying(InvalidResourceException.class, e -> {
                    assertThat(e.details()).containsOnlyKeys("metadata.labels.replicas", "metadata.labels.enabled");
                    assertThat(e.details().get("metadata.labels.replicas")).containsExactly("must be a string");
                });
    }

    @Test
    void requiresKindAndName() {
        assertThatThrownBy(() -> ResourceCodec.parse(utf8("{}"), Format.JSON))
                .isInstanceOfSatisfying(InvalidResourceException.class,
                        e -> assertThat(e.details()).containsOnlyKeys("kind", "metadata.name"));
        assertThatThrownBy(() -> ResourceCodec.parse(utf8("{\"kind\":\"Tenant\",\"metadata\":\"acme\"}"), Format.JSON))
                .isInstanceOfSatisfying(InvalidResourceException.class,
                        e -> assertThat(e.details()).containsOnlyKeys("metadata"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"v1\"", "\"millwright.dev/v2\"", "1", "{}", "\"\""})
    void rejectsAnyApiVersionButTheServedOne(String apiVersion) {
        String body = "{\"apiVersion\": " + apiVersion + ", \"kind\": \"Tenant\", \"metadata\": {\"name\": \"acme\"}}";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.JSON))
                .isInstanceOfSatisfying(InvalidResourceException.class, e -> {
                    assertThat(e.details()).containsOnlyKeys("apiVersion");
                    assertThat(e.details().get("apiVersion")).containsExactly("must be " + Resource.API_VERSION);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "\"-1\"", "\"abc\"", "1.5", "true", "\"99999999999999999999\""})
    void rejectsAResourceVersionTheServerCannotHaveReturned(String rv) {
        String body = "{\"kind\": \"Tenant\", \"metadata\": {\"name\": \"acme\", \"resourceVersion\": " + rv + "}}";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.JSON))
                .isInstanceOfSatisfying(InvalidResourceException.class,
                        e -> assertThat(e.details()).containsOnlyKeys("metadata.resourceVersion"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void acceptsNestingUpToTheLimit(Format format) {
        assertThat(ResourceCodec.parse(nested(Json.MAX_NESTING_DEPTH), format).spec()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesNestingPastTheLimitAsABadRequest(Format format) {
        assertThatThrownBy(() -> ResourceCodec.parse(nested(Json.MAX_NESTING_DEPTH + 1), format))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.details()).containsOnlyKeys("body"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesHundredThousandOpenBracketsWithoutOverflowingTheStack(Format format) {
        assertThatThrownBy(() -> ResourceCodec.parse(utf8("[".repeat(100_000)), format))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> ResourceCodec.parse(utf8("{\"a\":".repeat(100_000)), format))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void refusesDeeplyNestedYamlBlockSequences() {
        String body = "kind: Tenant\nmetadata: {name: acme}\nspec:\n  x:\n" + "    " + "- ".repeat(10_000) + "leaf\n";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.YAML)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void namesTheLimitAnOverlongNumberBreaksRatherThanBlamingNesting() {
        String body = "{\"kind\":\"Tenant\",\"metadata\":{\"name\":\"acme\"},\"spec\":{\"x\":" + "1".repeat(5000) + "}}";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.JSON))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.details()).containsOnlyKeys("body");
                    assertThat(e.getMessage()).doesNotContain("nests deeper").contains("Number value length (5000)");
                });
    }

    @Test
    void refusesANumberWhosePlainFormWouldNeedAGigabyte() {
        // 1e999999999 is 11 bytes of JSON; written out digit by digit it is a billion characters
        String body = "{\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"ci\",\"tenant\":\"acme\"},\"spec\":{\"role\":1e999999999}}";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.JSON))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.details()).containsOnlyKeys("spec.role"));
    }

    @Test
    void refusesAYamlNumberTooLargeForADoubleRatherThanStoringInfinity() {
        String body = "kind: Tenant\nmetadata: {name: acme}\nspec:\n  x: [1, 1e400]\n";

        assertThatThrownBy(() -> ResourceCodec.parse(utf8(body), Format.YAML))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.details()).containsOnlyKeys("spec.x[1]"));
    }

    @Test
    void keepsOrdinaryDecimalsExactly() {
        String body = "{\"kind\":\"Tenant\",\"metadata\":{\"name\":\"acme\"},\"spec\":{\"x\":0.1,\"y\":1e300,\"z\":1.0E-300}}";

        ObjectNode spec = ResourceCodec.parse(utf8(body), Format.JSON).spec();

        assertThat(spec.get("x").decimalValue()).isEqualByComparingTo("0.1");
        assertThat(spec.get("y").decimalValue()).isEqualByComparingTo("1e300");
        assertThat(spec.get("z").decimalValue()).isEqualByComparingTo("1e-300");
    }

    /** A Tenant whose spec holds arrays nested so that the whole document is {@code depth} levels deep. */
    private static byte[] nested(int depth) {
        // the body object and spec are two levels; the rest are arrays
        int arrays = depth - 2;
        return utf8("{\"kind\":\"Tenant\",\"metadata\":{\"name\":\"acme\"},\"spec\":{\"x\":"
                + "[".repeat(arrays) + "]".repeat(arrays) + "}}");
    }
}
