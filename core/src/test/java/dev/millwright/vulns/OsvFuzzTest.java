package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Advisory files come from outside: whatever bytes a record file holds, reading answers with advisories and
 * named problems, never with an exception, and whatever was read can be matched without one. Each input is tried
 * as JSON and as YAML.
 *
 * <p>Under {@code mvn test} this replays the seeds in {@code OsvFuzzTestInputs/readsAnyRecordThenMatches}. To
 * fuzz: {@code JAZZER_FUZZ=1 mvn -o -pl core test -Dtest=OsvFuzzTest}.
 */
class OsvFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void readsAnyRecordThenMatches(byte[] bytes) throws IOException {
        for (String name : List.of("record.json", "record.yaml")) {
            OsvFiles.Result r = OsvFiles.read(name, new ByteArrayInputStream(bytes));
            assertThat(r.problems()).allSatisfy(p -> assertThat(p.reasons()).isNotEmpty());
            Matcher m = new Matcher(r.advisories());
            for (Advisory a : r.advisories()) {
                for (Advisory.Affected affected : a.affected()) {
                    for (String v : List.of("0.0.1", "1.2.3", "v1.2.3-0.20200101000000-abcdefabcdef", "1.0.post1", "x")) {
                        Matcher.Answer answer = m.affecting(affected.ecosystem(), affected.name(), v);
                        assertThat(answer.ids() != null && (answer.error() == null || answer.ids().isEmpty())).isTrue();
                    }
                }
            }
        }
    }
}
