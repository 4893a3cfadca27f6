package dev.millwright.infra.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rendered YAML compared byte for byte with {@code src/test/resources/golden/<case>.yaml}.
 *
 * <p>After an intended change to the output, regenerate the files and review their diff:
 * {@code mvn -o -pl core,infra -am test -Dtest='dev.millwright.infra.kubernetes.**' -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}
 * (surefire passes {@code -Dgolden.update=true} on to the tests, which then write the files instead of comparing).
 */
final class GoldenFiles {
    /** Read from the source tree, not the classpath, so that an update and a comparison touch the same file. */
    private static final Path DIR = Path.of("src", "test", "resources", "golden");

    private GoldenFiles() {
    }

    static void assertMatches(String caseName, String actual) {
        Path file = DIR.resolve(caseName + ".yaml");
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            assertThat(file).as("golden file %s (create it with -Dgolden.update=true)", file).exists();
            assertThat(actual).as("rendered %s against %s", caseName, file)
                    .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
