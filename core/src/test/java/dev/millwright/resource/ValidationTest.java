package dev.millwright.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.millwright.kinds.Kinds;
import dev.millwright.resource.ResourceCodec.Format;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation against the real kinds; bodies are written as users write them, in YAML. */
class ValidationTest {
    private static Resource parse(String yaml) {
        return ResourceCodec.parse(yaml.getBytes(StandardCharsets.UTF_8), Format.YAML);
    }

    private static void validate(String yaml) {
        Resource r = parse(yaml);
        Validation.validate(Kinds.registry().require(r.kind()), r);
    }

    /** The details of the InvalidResourceException that validating {@code yaml} throws. */
    private static Map<String, List<String>> errorsOf(String yaml) {
        InvalidResourceException e = catchThrowableOfType(InvalidResourceException.class, () -> validate(yaml));
        assertThat(e).as("validating %s", yaml).isNotNull();
        return e.details();
    }

    private static Resource tenantScoped(String kind, String tenant, Map<String, String> labels, Map<String, String> annotations) {
        return new Resource(kind, new ObjectMeta("ci", tenant, labels, annotations, null, 0, 0, null),
                Json.object().put("role", "viewer"), null);
    }

    @Test
    void acceptsAValidTenant() {
        assertThatCode(() -> validate("""
                kind: Tenant
                metadata:
                  name: acme
                  labels: {millwright.dev/tier: gold}
                spec:
                  displayName: ACME Corp
                  members:
                    - {user: alice, role: tenant-admin}
                    - {user: bob, role: practitioner}
                  compliance: {residency: [DE, FR], fips: true, confidentialComputing: false}
                """)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAValidProject() {
        assertThatCode(() -> validate("""
                apiVersion: millwright.dev/v1
                kind: Project
                metadata: {name: vision, tenant: acme}
                spec:
                  description: computer vision
                  members: [{user: carol, role: viewer}]
                """)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAValidUser() {
        assertThatCode(() -> validate("""
                kind: User
                metadata: {name: alice}
                spec: {displayName: Alice, email: alice@example.com, platformAdmin: false, disabled: false}
                """)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAValidServiceAccount() {
        assertThatCode(() -> validate("""
                kind: ServiceAccount
                metadata: {name: ci, tenant: acme}
                spec: {role: practitioner, description: builds images}
                """)).doesNotThrowAnyException();
    }

    @Test
    void namesABadMemberRoleByItsIndexedPath() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Project
                metadata: {name: vision, tenant: acme}
                spec:
                  members: [{user: alice, role: boss}]
                """);

        assertThat(errors).containsOnlyKeys("spec.members[0].role");
        assertThat(errors.get("spec.members[0].role")).singleElement().asString().contains("enumeration");
    }

    @Test
    void namesAMissingRequiredSpecField() {
        Map<String, List<String>> errors = errorsOf("""
                kind: ServiceAccount
                metadata: {name: ci, tenant: acme}
                spec: {}
                """);

        assertThat(errors).isEqualTo(Map.of("spec.role", List.of("required field is missing")));
    }

    @Test
    void namesAMissingFieldInsideAnArrayItem() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Project
                metadata: {name: vision, tenant: acme}
                spec:
                  members: [{user: alice, role: viewer}, {role: viewer}]
                """);

        assertThat(errors).isEqualTo(Map.of("spec.members[1].user", List.of("required field is missing")));
    }

    @Test
    void namesUnknownSpecFieldsAtEveryDepth() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Tenant
                metadata: {name: acme}
                spec:
                  displayname: typo
                  members: [{user: alice, role: viewer, rol: viewer}]
                  compliance: {fips: true, hipaa: true}
                """);

        assertThat(errors).containsOnlyKeys("spec.displayname", "spec.members[0].rol", "spec.compliance.hipaa");
        assertThat(errors.values()).allSatisfy(reasons -> assertThat(reasons).containsExactly("unknown field"));
    }

    @Test
    void quotesUnknownSpecFieldNamesThatAreNoPlainIdentifiers() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Tenant
                metadata: {name: acme}
                spec: {"": 1, "a.b": 2, "with space": 3}
                """);

        assertThat(errors).containsOnlyKeys("spec[\"\"]", "spec[\"a.b\"]", "spec[\"with space\"]");
    }

    @Test
    void namesWrongTypesAndPatternsInsideNestedArrays() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Tenant
                metadata: {name: acme}
                spec:
                  members: {alice: viewer}
                  compliance: {residency: [DE, de], fips: yes please}
                """);

        assertThat(errors).containsOnlyKeys("spec.members", "spec.compliance.residency[1]", "spec.compliance.fips");
    }

    @Test
    void rejectsAUserListedTwiceInAProject() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Project
                metadata: {name: vision, tenant: acme}
                spec:
                  members: [{user: alice, role: viewer}, {user: bob, role: viewer}, {user: alice, role: tenant-admin}]
                """);

        assertThat(errors).isEqualTo(Map.of("spec.members[2].user", List.of("user alice is listed more than once")));
    }

    @Test
    void rejectsAUserListedTwiceInATenantEvenWithTheSameRole() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Tenant
                metadata: {name: acme}
                spec:
                  members: [{user: alice, role: viewer}, {user: alice, role: viewer}]
                """);

        assertThat(errors).containsOnlyKeys("spec.members[1].user");
    }

    @Test
    void rejectsATenantOnAPlatformScopedKind() {
        Map<String, List<String>> errors = errorsOf("""
                kind: User
                metadata: {name: alice, tenant: acme}
                """);

        assertThat(errors).isEqualTo(Map.of("metadata.tenant", List.of("User is platform-scoped and belongs to no tenant")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Project | {}", "ServiceAccount | {role: viewer}"})
    void requiresATenantOnATenantScopedKind(String kind, String spec) {
        Map<String, List<String>> errors = errorsOf("kind: " + kind + "\nmetadata: {name: x}\nspec: " + spec + "\n");

        assertThat(errors).isEqualTo(Map.of("metadata.tenant", List.of("must not be empty")));
    }

    @Test
    void rejectsNamesAndTenantsThatAreNotDns1123Labels() {
        Map<String, List<String>> errors = errorsOf("""
                kind: ServiceAccount
                metadata: {name: CI_Bot, tenant: -acme}
                spec: {role: viewer}
                """);

        assertThat(errors).containsOnlyKeys("metadata.name", "metadata.tenant");
    }

    @Test
    void namesInvalidLabelsByKey() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Tenant
                metadata:
                  name: acme
                  labels: {"-bad-key": ok, good: "-bad-value", "also/bad/key": "-and-bad-value", fine: ""}
                """);

        assertThat(errors).containsOnlyKeys("metadata.labels.-bad-key", "metadata.labels.good", "metadata.labels.also/bad/key");
        assertThat(errors.get("metadata.labels.also/bad/key")).hasSize(2);
    }

    @Test
    void namesInvalidAnnotationKeys() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Tenant
                metadata:
                  name: acme
                  annotations: {"bad key": "any value at all, even -this-"}
                """);

        assertThat(errors).containsOnlyKeys("metadata.annotations.bad key");
    }

    @Test
    void acceptsAnnotationsOfExactlyTheSizeLimit() {
        String key = "millwright.dev/blob";
        String value = "x".repeat(Validation.MAX_ANNOTATIONS_BYTES - key.length());
        Resource r = tenantScoped("ServiceAccount", "acme", Map.of(), Map.of(key, value));

        assertThatCode(() -> Validation.validate(Kinds.registry().byKind("ServiceAccount"), r)).doesNotThrowAnyException();
    }

    @Test
    void rejectsAnnotationsOneBytePastTheSizeLimitCountingUtf8Bytes() {
        String key = "millwright.dev/blob";
        // 'é' is two bytes in UTF-8: one character fewer than the limit in chars, one byte more in bytes
        String value = "x".repeat(Validation.MAX_ANNOTATIONS_BYTES - key.length() - 1) + "é";
        Resource r = tenantScoped("ServiceAccount", "acme", Map.of(), Map.of(key, value));

        assertThatThrownBy(() -> Validation.validate(Kinds.registry().byKind("ServiceAccount"), r))
                .isInstanceOfSatisfying(InvalidResourceException.class, e -> assertThat(e.details())
                        .isEqualTo(Map.of("metadata.annotations",
                                List.of("must hold at most 262144 bytes (holds 262145)"))));
    }

    @Test
    void reportsMetadataAndSpecProblemsTogetherAndNamesTheObject() {
        assertThatThrownBy(() -> validate("""
                kind: ServiceAccount
                metadata: {name: ci, tenant: acme, labels: {env: "-x"}}
                spec: {role: owner}
                """))
                .isInstanceOfSatisfying(InvalidResourceException.class, e -> {
                    assertThat(e.details()).containsOnlyKeys("metadata.labels.env", "spec.role");
                    assertThat(e.getMessage()).startsWith("ServiceAccount acme/ci is invalid: metadata.labels.env: ");
                });
    }
}
