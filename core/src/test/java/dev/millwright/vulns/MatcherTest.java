package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OSV evaluation rules, one at a time, on small records written for each. */
class MatcherTest {
    private static Advisory record(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            OsvReader.Result r = OsvReader.read(node);
            assertThat(r.problems()).as("the test's record is valid").isEmpty();
            return r.advisory();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A record with one affected package and one range. */
    private static Advisory ranged(String id, String ecosystem, String pkg, String type, String events) {
        return record("""
                {"id":"%s","affected":[{"package":{"ecosystem":"%s","name":"%s"},"ranges":[{"type":"%s","events":[%s]}]}]}"""
                .formatted(id, ecosystem, pkg, type, events));
    }

    private static List<String> ids(Matcher m, String ecosystem, String pkg, String version) {
        Matcher.Answer a = m.affecting(ecosystem, pkg, version);
        assertThat(a.error()).as("%s %s %s answered", ecosystem, pkg, version).isNull();
        return a.ids();
    }

    @Test
    void introducedOpensAndFixedClosesTheRangeFixedItselfIsNotAffected() {
        Matcher m = new Matcher(List.of(ranged("A", "Go", "example.com/m", "SEMVER", "{\"introduced\":\"1.2.0\"},{\"fixed\":\"1.4.1\"}")));
        assertThat(ids(m, "Go", "example.com/m", "1.1.9")).isEmpty();
        assertThat(ids(m, "Go", "example.com/m", "1.2.0")).containsExactly("A");
        assertThat(ids(m, "Go", "example.com/m", "v1.4.0")).containsExactly("A");
        assertThat(ids(m, "Go", "example.com/m", "1.4.1-rc.1")).as("a pre-release of the fix is before it").containsExactly("A");
        assertThat(ids(m, "Go", "example.com/m", "1.4.1")).isEmpty();
        assertThat(ids(m, "Go", "example.com/other", "1.3.0")).as("another package").isEmpty();
    }

    @Test
    void theFixIsTheLowestFixedVersionAboveTheQueryAndNoneIsSaidWhenThereIsNone() {
        Matcher m = new Matcher(List.of(
                ranged("K", "kubernetes", "k8s.io/apiserver", "SEMVER",
                        "{\"introduced\":\"0\"},{\"fixed\":\"1.25.11\"},{\"introduced\":\"1.26.0\"},{\"fixed\":\"1.26.6\"}"),
                ranged("L", "kubernetes", "k8s.io/apiserver", "SEMVER", "{\"introduced\":\"0\"},{\"last_affected\":\"1.30.0\"}")));
        Matcher.Answer old = m.affecting("kubernetes", "k8s.io/apiserver", "1.25.2");
        assertThat(old.ids()).containsExactly("K", "L");
        assertThat(old.fixedIn()).as("K's backport for 1.25; L names no fixed version").containsExactly(java.util.Map.entry("K", "1.25.11"));
        assertThat(m.affecting("kubernetes", "k8s.io/apiserver", "1.26.1").fixedIn()).containsEntry("K", "1.26.6");
    }

    @Test
    void lastAffectedIsItselfAffectedAndNothingAbove() {
        Matcher m = new Matcher(List.of(ranged("B", "PyPI", "vllm", "ECOSYSTEM", "{\"introduced\":\"0\"},{\"last_affected\":\"0.8.5\"}")));
        assertThat(ids(m, "PyPI", "vllm", "0.0.1")).containsExactly("B");
        assertThat(ids(m, "PyPI", "vllm", "0.8.5")).containsExactly("B");
        assertThat(ids(m, "PyPI", "vllm", "0.8.5.post1")).as("a post-release is above it").isEmpty();
        assertThat(ids(m, "PyPI", "vllm", "0.9.0")).isEmpty();
    }

    @Test
    void severalWindowsInOneRangeAsKubernetesBackportsAreWrittenInAnyOrder() {
        // the events out of order on purpose: OSV evaluates them sorted by version
        Matcher m = new Matcher(List.of(ranged("C", "kubernetes", "k8s.io/apiserver", "SEMVER",
                "{\"introduced\":\"1.26.0\"},{\"fixed\":\"1.26.6\"},{\"introduced\":\"0\"},{\"fixed\":\"1.25.11\"},{\"introduced\":\"1.27.0\"},{\"fixed\":\"1.27.3\"}")));
        assertThat(ids(m, "kubernetes", "k8s.io/apiserver", "1.24.0")).containsExactly("C");
        assertThat(ids(m, "kubernetes", "k8s.io/apiserver", "1.25.11")).isEmpty();
        assertThat(ids(m, "kubernetes", "k8s.io/apiserver", "1.25.99")).as("between windows").isEmpty();
        assertThat(ids(m, "kubernetes", "k8s.io/apiserver", "v1.26.5")).containsExactly("C");
        assertThat(ids(m, "kubernetes", "k8s.io/apiserver", "1.27.3")).isEmpty();
        assertThat(ids(m, "kubernetes", "k8s.io/apiserver", "1.28.0")).isEmpty();
    }

    @Test
    void limitEventsBoundTheRangeFromAbove() {
        Matcher m = new Matcher(List.of(ranged("D", "Go", "example.com/m", "SEMVER", "{\"introduced\":\"1.0.0\"},{\"limit\":\"1.5.0\"}"),
                ranged("E", "Go", "example.com/m", "SEMVER", "{\"introduced\":\"2.0.0\"},{\"limit\":\"*\"}")));
        assertThat(ids(m, "Go", "example.com/m", "1.4.9")).containsExactly("D");
        assertThat(ids(m, "Go", "example.com/m", "1.5.0")).isEmpty();
        assertThat(ids(m, "Go", "example.com/m", "9.0.0")).as("limit * is no limit").containsExactly("E");
    }

    @Test
    void gitRangesAreLeftToTheVersionsListThatComesWithThem() {
        Matcher m = new Matcher(List.of(record("""
                {"id":"F","affected":[{"package":{"ecosystem":"PyPI","name":"torch"},
                  "ranges":[{"type":"GIT","repo":"https://github.com/pytorch/pytorch","events":[{"introduced":"0"},{"fixed":"abc123"}]}],
                  "versions":["1.13.0","2.0.0rc1","2.0"]}]}""")));
        assertThat(ids(m, "PyPI", "torch", "1.13.0")).containsExactly("F");
        assertThat(ids(m, "PyPI", "torch", "1.13")).as("the same version to PEP 440").containsExactly("F");
        assertThat(ids(m, "PyPI", "torch", "2.0.0")).containsExactly("F");
        assertThat(ids(m, "PyPI", "torch", "1.12.1")).as("not listed, and a commit range says nothing of it").isEmpty();
    }

    @Test
    void aWithdrawnRecordNeverMatches() {
        Matcher m = new Matcher(List.of(record("""
                {"id":"G","withdrawn":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go","name":"example.com/m"},
                  "ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}""")));
        assertThat(ids(m, "Go", "example.com/m", "1.0.0")).isEmpty();
        assertThat(m.size()).isZero();
    }

    @Test
    void pypiNamesMatchWhateverTheirCaseAndSeparators() {
        Matcher m = new Matcher(List.of(ranged("H", "PyPI", "Flash_Attn", "ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"2.0\"}")));
        assertThat(ids(m, "PyPI", "flash-attn", "1.0")).containsExactly("H");
        assertThat(ids(m, "PyPI", "FLASH.ATTN", "1.0")).containsExactly("H");
        assertThat(ids(m, "Go", "Flash_Attn", "1.0.0")).as("Go module paths are exact and another ecosystem").isEmpty();
    }

    @Test
    void pypiOrderIsPep440NotTextOrSemVer() {
        Matcher m = new Matcher(List.of(ranged("I", "PyPI", "mlflow", "ECOSYSTEM", "{\"introduced\":\"0\"},{\"fixed\":\"1.23.1\"}")));
        assertThat(ids(m, "PyPI", "mlflow", "1.9.0")).as("1.9 is below 1.23").containsExactly("I");
        assertThat(ids(m, "PyPI", "mlflow", "1.23.1rc1")).as("a release candidate of the fix").containsExactly("I");
        assertThat(ids(m, "PyPI", "mlflow", "1.23.1.dev0")).containsExactly("I");
        assertThat(ids(m, "PyPI", "mlflow", "1.23.1+local")).as("a local build of the fix is the fix").isEmpty();
        assertThat(ids(m, "PyPI", "mlflow", "1!0.1")).as("a later epoch").isEmpty();
    }

    @Test
    void everyMatchingRecordIsNamedOnceSorted() {
        Advisory twice = record("""
                {"id":"Z","affected":[
                  {"package":{"ecosystem":"Go","name":"example.com/m"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]},
                  {"package":{"ecosystem":"Go","name":"example.com/m"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"}]}]}]}""");
        Matcher m = new Matcher(List.of(twice, ranged("A", "Go", "example.com/m", "SEMVER", "{\"introduced\":\"0\"}")));
        assertThat(ids(m, "Go", "example.com/m", "1.1.0")).containsExactly("A", "Z");
    }

    @Test
    void anUnknownEcosystemOrAVersionItsEcosystemCannotReadIsAnErrorNotAGuess() {
        Matcher m = new Matcher(List.of(ranged("A", "Maven", "org.example:lib", "ECOSYSTEM", "{\"introduced\":\"0\"}")));
        assertThat(m.affecting("Maven", "org.example:lib", "1.0").error()).contains("unknown ecosystem \"Maven\"");
        assertThat(m.affecting("PyPI", "vllm", "latest").error()).contains("\"latest\" is not a PEP 440 version");
        assertThat(m.affecting("Go", "example.com/m", "1.2").error()).contains("is not a SemVer 2.0 version");
        List<String> errors = new ArrayList<>();
        for (String v : List.of("1.2.3", "v1.2.3", "1.2.3-0.20200101000000-abcdefabcdef")) {
            if (m.affecting("Go", "example.com/m", v).error() != null) errors.add(v);
        }
        assertThat(errors).as("readable Go versions").isEmpty();
    }
}
