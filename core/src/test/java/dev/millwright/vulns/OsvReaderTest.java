package dev.millwright.vulns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsvReaderTest {
    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("test JSON does not parse: " + text, e);
        }
    }

    /** A record with one affected package of {@code ecosystem} and one range of {@code type} with {@code events} (a JSON list). */
    private static String record(String id, String ecosystem, String type, String events) {
        return """
                {"id": "%s", "summary": "s", "affected": [{"package": {"ecosystem": "%s", "name": "pkg"},
                 "ranges": [{"type": "%s", "events": %s}]}]}""".formatted(id, ecosystem, type, events);
    }

    private static OsvReader.Result read(String text) {
        return OsvReader.read(json(text));
    }

    /** The record is refused: no advisory, and a problem at each of {@code paths}. */
    private static OsvReader.Result refused(String text, String... paths) {
        OsvReader.Result r = read(text);
        assertThat(r.ok()).as("refused: %s", text).isFalse();
        assertThat(r.advisory()).isNull();
        if (paths.length > 0) assertThat(r.problems()).as("problems of %s", text).containsKeys(paths);
        r.problems().forEach((path, reasons) -> assertThat(reasons).as("reasons at %s", path).isNotEmpty().allSatisfy(reason -> assertThat(reason).isNotBlank()));
        return r;
    }

    @Test
    @DisplayName("is read whole: id, aliases, summary, dates, severity, package, ranges and versions")
    void readsEverything() {
        OsvReader.Result r = read("""
                {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2024-0001"], "summary": "bad thing",
                 "published": "2024-01-01T00:00:00Z", "modified": "2024-02-01T00:00:00Z",
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected": [{"package": {"ecosystem": "PyPI", "name": "Torch"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.2.0"}]}],
                               "versions": ["2.0.0", "2.1.0"]}],
                 "unused_field": {"anything": true}}""");
        assertThat(r.ok()).isTrue();
        assertThat(r.problems()).isEmpty();
        Advisory a = r.advisory();
        assertThat(a.id()).isEqualTo("GHSA-aaaa-bbbb-cccc");
        assertThat(a.aliases()).containsExactly("CVE-2024-0001");
        assertThat(a.summary()).isEqualTo("bad thing");
        assertThat(a.published()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(a.modified()).isEqualTo("2024-02-01T00:00:00Z");
        assertThat(a.withdrawn()).isNull();
        assertThat(a.isWithdrawn()).isFalse();
        assertThat(a.severity()).containsExactly(new Advisory.Severity("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        assertThat(a.affected()).hasSize(1);
        Advisory.Affected p = a.affected().get(0);
        assertThat(p.ecosystem()).isEqualTo("PyPI");
        assertThat(p.name()).isEqualTo("Torch");
        assertThat(p.versions()).containsExactly("2.0.0", "2.1.0");
        assertThat(p.ranges()).containsExactly(new Advisory.Range(Advisory.Type.ECOSYSTEM, null,
                List.of(new Advisory.Event(Advisory.Kind.INTRODUCED, "0"), new Advisory.Event(Advisory.Kind.FIXED, "2.2.0"))));
    }

    @Test
    @DisplayName("introduced \"0\" and limit \"*\" are accepted in a SEMVER range")
    void introducedZeroAndLimitStar() {
        OsvReader.Result r = read(record("GO-2024-0001", "Go", "SEMVER", """
                [{"introduced": "0"}, {"fixed": "1.2.3"}, {"limit": "*"}]"""));
        assertThat(r.problems()).isEmpty();
        assertThat(r.advisory().affected().get(0).ranges().get(0).events()).containsExactly(
                new Advisory.Event(Advisory.Kind.INTRODUCED, "0"), new Advisory.Event(Advisory.Kind.FIXED, "1.2.3"),
                new Advisory.Event(Advisory.Kind.LIMIT, "*"));
    }

    @Test
    @DisplayName("introduced \"0\" and limit \"*\" are accepted in a PyPI ECOSYSTEM range")
    void introducedZeroAndLimitStarPypi() {
        OsvReader.Result r = read(record("PYSEC-1", "PyPI", "ECOSYSTEM", """
                [{"introduced": "0"}, {"last_affected": "1.0.post1"}, {"limit": "*"}]"""));
        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isTrue();
    }

    @Test
    @DisplayName("Go ECOSYSTEM ranges read Go's versions: v-prefixed, pseudo-versions, +incompatible")
    void goEcosystemVersions() {
        OsvReader.Result r = read(record("GO-2024-0002", "Go", "ECOSYSTEM", """
                [{"introduced": "0.0.0-20190927203648-9ce6eca90e73"}, {"fixed": "v2.0.0+incompatible"}]"""));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    @DisplayName("a GIT range with a repo is accepted, its commits left unparsed")
    void gitRange() {
        OsvReader.Result r = read("""
                {"id": "OSV-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"},
                 "ranges": [{"type": "GIT", "repo": "https://github.com/x/x",
                             "events": [{"introduced": "0"}, {"fixed": "9ce6eca90e73a1b2"}]}]}]}""");
        assertThat(r.problems()).isEmpty();
        Advisory.Range range = r.advisory().affected().get(0).ranges().get(0);
        assertThat(range.type()).isEqualTo(Advisory.Type.GIT);
        assertThat(range.repo()).isEqualTo("https://github.com/x/x");
    }

    @Test
    @DisplayName("an unknown ecosystem (Maven) is accepted, its ECOSYSTEM range versions left unparsed")
    void unknownEcosystemAccepted() {
        OsvReader.Result r = read(record("GHSA-mvn", "Maven", "ECOSYSTEM", """
                [{"introduced": "1.0-SNAPSHOT.weird!!"}, {"fixed": "not a version at all"}]"""));
        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isTrue();
        Advisory.Affected p = r.advisory().affected().get(0);
        assertThat(p.ecosystem()).isEqualTo("Maven");
        assertThat(p.ranges().get(0).events()).containsExactly(
                new Advisory.Event(Advisory.Kind.INTRODUCED, "1.0-SNAPSHOT.weird!!"),
                new Advisory.Event(Advisory.Kind.FIXED, "not a version at all"));
    }

    @Test
    @DisplayName("an unknown ecosystem's SEMVER range is still checked as SemVer")
    void unknownEcosystemSemverStillChecked() {
        OsvReader.Result r = read(record("GHSA-mvn2", "Maven", "SEMVER", """
                [{"introduced": "0"}, {"fixed": "1.2"}]"""));
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events[1].fixed");
    }

    @Test
    @DisplayName("an ecosystem with a release suffix (\"PyPI:foo\") is read as its base ecosystem")
    void ecosystemSuffix() {
        assertThat(read(record("X-1", "PyPI:3.11", "ECOSYSTEM", """
                [{"introduced": "0"}, {"fixed": "1.0-beta-gamma"}]""")).problems())
                .containsOnlyKeys("affected[0].ranges[0].events[1].fixed");
    }

    @Test
    @DisplayName("a withdrawn record is read, and says so")
    void withdrawn() {
        OsvReader.Result r = read("""
                {"id": "OSV-W", "withdrawn": "2024-03-01T00:00:00Z", "affected": []}""");
        assertThat(r.ok()).isTrue();
        assertThat(r.advisory().isWithdrawn()).isTrue();
        assertThat(r.advisory().withdrawn()).isEqualTo("2024-03-01T00:00:00Z");
    }

    @Test
    @DisplayName("a record without an id is refused at \"id\"")
    void missingId() {
        OsvReader.Result r = refused("""
                {"summary": "no id", "affected": []}""", "id");
        assertThat(r.problems()).containsOnlyKeys("id");
        assertThat(r.problems().get("id")).singleElement().asString().contains("required");
    }

    @Test
    @DisplayName("a blank or non-text id is refused at \"id\"")
    void blankId() {
        refused("""
                {"id": "  "}""", "id");
        refused("""
                {"id": 42}""", "id");
    }

    @Test
    @DisplayName("a record that is not a JSON object is refused as a whole")
    void notAnObject() {
        OsvReader.Result r = OsvReader.read(json("[1, 2]"));
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).containsOnlyKeys("");
        assertThat(r.problems().get("")).singleElement().asString().contains("object");
    }

    @Test
    @DisplayName("a package without an ecosystem is refused at affected[0].package.ecosystem")
    void missingEcosystem() {
        OsvReader.Result r = refused("""
                {"id": "X-1", "affected": [{"package": {"name": "pkg"},
                 "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}""", "affected[0].package.ecosystem");
        assertThat(r.problems()).containsOnlyKeys("affected[0].package.ecosystem");
        assertThat(r.problems().get("affected[0].package.ecosystem")).singleElement().asString().contains("required");
    }

    @Test
    @DisplayName("affected[1].package.name missing: the index names the package")
    void missingNameOfSecondPackage() {
        OsvReader.Result r = refused("""
                {"id": "X-1", "affected": [{"package": {"ecosystem": "Go", "name": "a"}},
                                           {"package": {"ecosystem": "Go"}}]}""", "affected[1].package.name");
        assertThat(r.problems()).containsOnlyKeys("affected[1].package.name");
    }

    @Test
    @DisplayName("an event with two keys is refused at the event")
    void eventWithTwoKeys() {
        OsvReader.Result r = refused(record("X-1", "PyPI", "ECOSYSTEM", """
                [{"introduced": "0", "fixed": "1.0.0"}]"""), "affected[0].ranges[0].events[0]");
        assertThat(r.problems().get("affected[0].ranges[0].events[0]")).singleElement().asString()
                .contains("exactly one").contains("introduced").contains("fixed");
    }

    @Test
    @DisplayName("an event with two keys next to a good introduced event is the only problem")
    void eventWithTwoKeysAlone() {
        OsvReader.Result r = refused(record("X-1", "PyPI", "ECOSYSTEM", """
                [{"introduced": "0"}, {"introduced": "1.0", "fixed": "1.0.0"}]"""), "affected[0].ranges[0].events[1]");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events[1]");
    }

    @Test
    @DisplayName("an empty event and a non-object event are refused at the event")
    void emptyAndNonObjectEvents() {
        OsvReader.Result r = refused(record("X-1", "Go", "SEMVER", """
                [{"introduced": "0"}, {}, "fixed"]"""), "affected[0].ranges[0].events[1]", "affected[0].ranges[0].events[2]");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events[1]", "affected[0].ranges[0].events[2]");
    }

    @Test
    @DisplayName("an unknown event key is refused at that key, naming the allowed ones")
    void unknownEventKey() {
        OsvReader.Result r = refused(record("X-1", "Go", "SEMVER", """
                [{"introduced": "0"}, {"patched": "1.0.0"}]"""), "affected[0].ranges[0].events[1].patched");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events[1].patched");
        assertThat(r.problems().get("affected[0].ranges[0].events[1].patched")).singleElement().asString()
                .contains("introduced").contains("fixed").contains("last_affected").contains("limit");
    }

    @Test
    @DisplayName("an event whose version is not a string is refused at that key")
    void nonTextVersion() {
        OsvReader.Result r = refused(record("X-1", "Go", "SEMVER", """
                [{"introduced": "0"}, {"fixed": 1}]"""), "affected[0].ranges[0].events[1].fixed");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events[1].fixed");
    }

    @Test
    @DisplayName("a range without an introduced event is refused at its events")
    void noIntroduced() {
        OsvReader.Result r = refused(record("X-1", "Go", "SEMVER", """
                [{"fixed": "1.0.0"}]"""), "affected[0].ranges[0].events");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events");
        assertThat(r.problems().get("affected[0].ranges[0].events")).singleElement().asString().contains("introduced");
    }

    @Test
    @DisplayName("a range without events is refused at its events")
    void noEvents() {
        refused(record("X-1", "Go", "SEMVER", "[]"), "affected[0].ranges[0].events");
        refused("""
                {"id": "X-1", "affected": [{"package": {"ecosystem": "Go", "name": "a"}, "ranges": [{"type": "SEMVER"}]}]}""",
                "affected[0].ranges[0].events");
    }

    @Test
    @DisplayName("a range with both fixed and last_affected is refused at its events")
    void fixedAndLastAffected() {
        OsvReader.Result r = refused(record("X-1", "PyPI", "ECOSYSTEM", """
                [{"introduced": "0"}, {"fixed": "1.0"}, {"last_affected": "0.9"}]"""), "affected[0].ranges[0].events");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events");
        assertThat(r.problems().get("affected[0].ranges[0].events")).singleElement().asString()
                .contains("fixed").contains("last_affected");
    }

    @Test
    @DisplayName("a range of type FOO is refused at its type, naming the types")
    void unknownType() {
        OsvReader.Result r = refused(record("X-1", "Go", "FOO", """
                [{"introduced": "0"}]"""), "affected[0].ranges[0].type");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].type");
        assertThat(r.problems().get("affected[0].ranges[0].type")).singleElement().asString()
                .contains("FOO").contains("SEMVER").contains("ECOSYSTEM").contains("GIT");
    }

    @Test
    @DisplayName("a range without a type is refused at its type")
    void missingType() {
        refused("""
                {"id": "X-1", "affected": [{"package": {"ecosystem": "Go", "name": "a"},
                 "ranges": [{"events": [{"introduced": "0"}]}]}]}""", "affected[0].ranges[0].type");
    }

    @Test
    @DisplayName("a GIT range without a repo is refused at its repo")
    void gitWithoutRepo() {
        OsvReader.Result r = refused(record("X-1", "PyPI", "GIT", """
                [{"introduced": "0"}, {"fixed": "abcdef"}]"""), "affected[0].ranges[0].repo");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].repo");
        assertThat(r.problems().get("affected[0].ranges[0].repo")).singleElement().asString().contains("GIT");
    }

    @Test
    @DisplayName("a SEMVER event that is not SemVer (\"1.2\") is refused at that event's key, quoting it")
    void semverEventNotSemver() {
        OsvReader.Result r = refused(record("X-1", "PyPI", "SEMVER", """
                [{"introduced": "0"}, {"fixed": "1.2"}]"""), "affected[0].ranges[0].events[1].fixed");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events[1].fixed");
        assertThat(r.problems().get("affected[0].ranges[0].events[1].fixed")).singleElement().asString()
                .contains("\"1.2\"").contains("SemVer");
    }

    @Test
    @DisplayName("a SEMVER introduced that is not \"0\" is still checked")
    void semverIntroducedChecked() {
        refused(record("X-1", "Go", "SEMVER", """
                [{"introduced": "1"}]"""), "affected[0].ranges[0].events[0].introduced");
    }

    @Test
    @DisplayName("a PyPI ECOSYSTEM event that is not PEP 440 is refused at that event's key, quoting it")
    void pypiEventNotPep440() {
        OsvReader.Result r = refused(record("X-1", "PyPI", "ECOSYSTEM", """
                [{"introduced": "0"}, {"fixed": "1.0-beta-gamma"}]"""), "affected[0].ranges[0].events[1].fixed");
        assertThat(r.problems()).containsOnlyKeys("affected[0].ranges[0].events[1].fixed");
        assertThat(r.problems().get("affected[0].ranges[0].events[1].fixed")).singleElement().asString()
                .contains("\"1.0-beta-gamma\"").contains("PEP 440");
    }

    @Test
    @DisplayName("\"*\" is only special as a limit: a fixed \"*\" is checked as a version")
    void starOnlyForLimit() {
        refused(record("X-1", "Go", "SEMVER", """
                [{"introduced": "0"}, {"fixed": "*"}]"""), "affected[0].ranges[0].events[1].fixed");
    }

    @Test
    @DisplayName("a severity without a score is refused at its index")
    void badSeverity() {
        refused("""
                {"id": "X-1", "severity": [{"type": "CVSS_V3"}],
                 "affected": [{"package": {"ecosystem": "Go", "name": "a"}, "severity": [{"score": "x"}]}]}""",
                "severity[0]", "affected[0].severity[0]");
    }

    @Test
    @DisplayName("aliases, versions and affected that are not lists are refused at their paths")
    void notLists() {
        refused("""
                {"id": "X-1", "aliases": "CVE-1",
                 "affected": [{"package": {"ecosystem": "Go", "name": "a"}, "versions": "1.0.0"}]}""",
                "aliases", "affected[0].versions");
        refused("""
                {"id": "X-1", "affected": "everything"}""", "affected");
    }

    @Test
    @DisplayName("an affected that is an object, not a list, is reported, not a crash")
    void affectedObjectNotList() {
        refused("""
                {"id": "X-1", "affected": {"package": {"ecosystem": "Go", "name": "a"}}}""", "affected");
    }

    @Test
    @DisplayName("ranges or a severity that are an object, not a list, are refused, not a crash")
    void rangesAndSeverityObjectNotList() {
        String ranges = """
                {"id": "X-1", "affected": [{"package": {"ecosystem": "Go", "name": "a"},
                 "ranges": {"type": "SEMVER", "events": [{"introduced": "0"}]}}]}""";
        String severity = """
                {"id": "X-1", "severity": {"type": "CVSS_V3", "score": "x"}, "affected": []}""";
        for (String text : List.of(ranges, severity)) {
            assertThatCode(() -> read(text)).as("reading %s", text).doesNotThrowAnyException();
            assertThat(read(text).ok()).as("refused: %s", text).isFalse();
        }
    }

    @Test
    @DisplayName("events that are an object, not a list, are reported, not a crash")
    void eventsObjectNotList() {
        refused(record("X-1", "Go", "SEMVER", """
                {"introduced": "0"}"""), "affected[0].ranges[0].events");
    }

    @Test
    @DisplayName("a record with several problems has all of them reported at once")
    void severalProblemsAtOnce() {
        OsvReader.Result r = refused("""
                {"affected": [
                  {"package": {"name": "a"},
                   "ranges": [{"type": "FOO", "events": [{"introduced": "0"}]},
                              {"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1.0.0"}, {"fixed": "1.2"}, {"last_affected": "1.0.0"}]},
                              {"type": "GIT", "events": [{"introduced": "0"}]}]},
                  {"package": {"ecosystem": "PyPI", "name": "b"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1..0"}, {"bogus": "2.0"}]}]}
                ]}""");
        assertThat(r.problems()).containsOnlyKeys(
                "id",
                "affected[0].package.ecosystem",
                "affected[0].ranges[0].type",
                "affected[0].ranges[1].events[0]",
                "affected[0].ranges[1].events[1].fixed",
                "affected[0].ranges[1].events",
                "affected[0].ranges[2].repo",
                "affected[1].ranges[0].events[1].fixed",
                "affected[1].ranges[0].events[2].bogus");
        // affected[0].ranges[1].events: no introduced (the two-key event does not count) and both fixed and last_affected
        assertThat(r.problems().get("affected[0].ranges[1].events")).hasSize(2);
    }

    private static final String GO_RECORD = record("GO-1", "Go", "SEMVER", """
            [{"introduced": "0"}, {"fixed": "1.2.3"}]""");
    private static final String PY_RECORD = record("PYSEC-1", "PyPI", "ECOSYSTEM", """
            [{"introduced": "0"}, {"fixed": "2.0.post1"}]""");
    private static final String YAML_RECORD = """
            id: GHSA-yaml-0001
            summary: from YAML
            affected:
              - package:
                  ecosystem: kubernetes
                  name: kube-apiserver
                ranges:
                  - type: SEMVER
                    events:
                      - introduced: "1.28.0"
                      - fixed: "1.28.4"
            """;

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static List<String> ids(OsvFiles.Result r) {
        return r.advisories().stream().map(Advisory::id).toList();
    }

    @Test
    @DisplayName("OsvFiles: a directory: .json and .yaml records read, README.md ignored, a broken file reported by name")
    void directory(@TempDir Path dir) throws IOException {
        write(dir.resolve("go/GO-1.json"), GO_RECORD);
        write(dir.resolve("k8s/GHSA-yaml-0001.yaml"), YAML_RECORD);
        write(dir.resolve("PYSEC-1.yml"), PY_RECORD);
        write(dir.resolve("README.md"), "# not a record\n{\"id\": \"nope\"}\n");
        write(dir.resolve("broken.json"), "{\"id\": \"BROKEN-1\", \"affected\": [");
        OsvFiles.Result r = OsvFiles.read(dir);
        assertThat(ids(r)).containsExactlyInAnyOrder("GO-1", "GHSA-yaml-0001", "PYSEC-1");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).contains("broken.json");
            assertThat(p.reasons()).containsOnlyKeys("");
            assertThat(p.reasons().get("")).singleElement().asString().contains("not valid JSON");
            assertThat(p.toString()).contains("broken.json").contains("(record)");
        });
        Advisory yaml = r.advisories().stream().filter(a -> a.id().equals("GHSA-yaml-0001")).findFirst().orElseThrow();
        assertThat(yaml.summary()).isEqualTo("from YAML");
        assertThat(yaml.affected().get(0).ecosystem()).isEqualTo("kubernetes");
        assertThat(yaml.affected().get(0).ranges().get(0).events()).containsExactly(
                new Advisory.Event(Advisory.Kind.INTRODUCED, "1.28.0"), new Advisory.Event(Advisory.Kind.FIXED, "1.28.4"));
    }

    @Test
    @DisplayName("OsvFiles: a directory: an invalid record is reported with its file, id and field, the others still read")
    void directoryWithInvalidRecord(@TempDir Path dir) throws IOException {
        write(dir.resolve("GO-1.json"), GO_RECORD);
        write(dir.resolve("BAD-1.json"), record("BAD-1", "Go", "SEMVER", """
                [{"introduced": "0"}, {"fixed": "1.2"}]"""));
        OsvFiles.Result r = OsvFiles.read(dir);
        assertThat(ids(r)).containsExactly("GO-1");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).contains("BAD-1.json").contains("BAD-1");
            assertThat(p.reasons()).containsOnlyKeys("affected[0].ranges[0].events[1].fixed");
            assertThat(p.toString()).contains("affected[0].ranges[0].events[1].fixed");
        });
    }

    @Test
    @DisplayName("OsvFiles: a zip of two records is read")
    void zip(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("osv.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("GO-1.json"));
            z.write(GO_RECORD.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("nested/"));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("nested/GHSA-yaml-0001.yaml"));
            z.write(YAML_RECORD.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("LICENSE"));
            z.write("not a record".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        OsvFiles.Result r = OsvFiles.read(zip);
        assertThat(r.problems()).isEmpty();
        assertThat(ids(r)).containsExactlyInAnyOrder("GO-1", "GHSA-yaml-0001");
    }

    @Test
    @DisplayName("OsvFiles: a zip with a broken entry reports it by zip and entry name, the other still read")
    void zipWithBrokenEntry(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("osv.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("GO-1.json"));
            z.write(GO_RECORD.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("broken.json"));
            z.write("{".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        OsvFiles.Result r = OsvFiles.read(zip);
        assertThat(ids(r)).containsExactly("GO-1");
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.source()).contains("osv.zip").contains("broken.json"));
    }

    @Test
    @DisplayName("OsvFiles: a file holding a JSON list of records reads each; a bad one is reported with its index and id")
    void jsonList(@TempDir Path dir) throws IOException {
        Path file = write(dir.resolve("all.json"), "[" + GO_RECORD + "," + PY_RECORD + ","
                + record("BAD-2", "PyPI", "ECOSYSTEM", "[{\"fixed\": \"1.0\"}]") + "]");
        OsvFiles.Result r = OsvFiles.read(file);
        assertThat(ids(r)).containsExactly("GO-1", "PYSEC-1");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).contains("all.json").contains("[2]").contains("BAD-2");
            assertThat(p.reasons()).containsOnlyKeys("affected[0].ranges[0].events");
        });
    }

    @Test
    @DisplayName("OsvFiles: a {\"vulns\": [...]} wrapper, as the OSV API answers, reads each record")
    void vulnsWrapper(@TempDir Path dir) throws IOException {
        Path file = write(dir.resolve("query.json"), "{\"vulns\": [" + GO_RECORD + "," + PY_RECORD + "], \"next_page_token\": \"x\"}");
        OsvFiles.Result r = OsvFiles.read(file);
        assertThat(r.problems()).isEmpty();
        assertThat(ids(r)).containsExactly("GO-1", "PYSEC-1");
    }

    @Test
    @DisplayName("OsvFiles: a single-record file is read")
    void singleFile(@TempDir Path dir) throws IOException {
        OsvFiles.Result r = OsvFiles.read(write(dir.resolve("GO-1.json"), GO_RECORD));
        assertThat(r.problems()).isEmpty();
        assertThat(ids(r)).containsExactly("GO-1");
    }

    @Test
    @DisplayName("OsvFiles: an empty file is reported, not read as a record")
    void emptyFile(@TempDir Path dir) throws IOException {
        OsvFiles.Result r = OsvFiles.read(write(dir.resolve("empty.json"), ""));
        assertThat(r.advisories()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.source()).contains("empty.json"));
    }

    @Test
    @DisplayName("OsvFiles: records read from a stream are named by the given source")
    void stream() throws IOException {
        OsvFiles.Result r = OsvFiles.read("upload.json", new ByteArrayInputStream(("[" + GO_RECORD + ", {\"id\": \"X\", \"affected\": 1}]")
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(ids(r)).containsExactly("GO-1");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).contains("upload.json").contains("[1]").contains("X");
            assertThat(p.reasons()).containsOnlyKeys("affected");
        });
    }

    @Test
    @DisplayName("OsvFiles: a missing path is reported as a problem, not thrown")
    void missingPath(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-dir");
        OsvFiles.Result r = OsvFiles.read(missing);
        assertThat(r.advisories()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).contains("no-such-dir");
            assertThat(p.reasons().get("")).singleElement().asString().contains("no such file");
        });
    }

    @Test
    @DisplayName("OsvFiles: a missing .zip path is reported as a problem, not thrown")
    void missingZip(@TempDir Path dir) {
        Path missing = dir.resolve("no-such.zip");
        OsvFiles.Result r = OsvFiles.read(missing);
        assertThat(r.advisories()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.source()).contains("no-such.zip"));
    }
}
