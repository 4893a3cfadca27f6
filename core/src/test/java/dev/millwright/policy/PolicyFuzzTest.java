package dev.millwright.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Policies and what they judge come from people: whatever a policy's expressions say, compiling answers with a
 * policy or problems keyed by field, never an exception; and whatever shape the inputs have (a field of the wrong
 * type, a missing one, deep nesting), judging answers with a decision, failing closed with a message.
 *
 * <p>Under {@code mvn test} this replays the seeds in {@code PolicyFuzzTestInputs}. To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -o -pl core test -Dtest=PolicyFuzzTest}.
 */
class PolicyFuzzTest {
    private static final List<Policy> DEFAULTS = DefaultPolicies.manifests().stream()
            .map(m -> Policy.compile(m.path("metadata").path("name").asText(), m.path("spec")).policy()).toList();

    @FuzzTest(maxDuration = "2m")
    void compilesAnyExpressionsAndJudgesWithThem(FuzzedDataProvider data) {
        var spec = Json.object().put("subject", data.pickValue(new String[] {"StackTemplate", "Environment", "Workload", "Placement", "Nope"}))
                .put("message", "m");
        if (data.consumeBoolean()) spec.put("match", data.consumeString(200));
        spec.put("rule", data.consumeString(300));
        if (data.consumeBoolean()) spec.put("messageExpression", data.consumeRemainingAsString());
        Policy.Compiled c = Policy.compile("fuzzed", spec);
        if (!c.ok()) {
            assertThat(c.problems()).isNotEmpty().allSatisfy((field, reasons) -> {
                assertThat(field).startsWith("spec.");
                assertThat(reasons).isNotEmpty().allSatisfy(r -> assertThat(r).isNotBlank());
            });
            return;
        }
        for (Subject s : Subject.values()) {
            PolicyEngine.Decision d = PolicyEngine.judge(List.of(c.policy()), s, "acme", PolicyInput.forSubject(s, Map.of()));
            assertThat(d.denials()).allSatisfy(v -> assertThat(v.message()).isNotBlank());
        }
    }

    @FuzzTest(maxDuration = "2m")
    void judgesInputsOfAnyShape(byte[] bytes) {
        JsonNode tree;
        try {
            tree = Json.tree(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return; // not JSON: the server refuses such a body before any policy sees it
        }
        Object value = PolicyInput.json(tree);
        for (Subject s : Subject.values()) {
            Map<String, Object> given = new HashMap<>();
            for (String v : s.variables()) given.put(v, v.equals("findings") ? (value instanceof List<?> l ? new ArrayList<>(l) : List.of(value)) : value);
            PolicyEngine.Decision d = PolicyEngine.judge(DEFAULTS, s, "acme", given);
            assertThat(d.denials()).allSatisfy(v -> assertThat(v.message()).isNotBlank());
            assertThat(d.warnings()).allSatisfy(v -> assertThat(v.message()).isNotBlank());
        }
    }
}
