package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the CLI finds its server and token: flags, then MILLWRIGHT_SERVER / MILLWRIGHT_TOKEN, then the first config
 * file of --config, $MILLWRIGHT_CONFIG, ./millwright-data/config.yaml, ~/.millwright/config.yaml. The environment
 * cannot be set from Java, so these tests call {@link ClientConfig#resolve} with a map for it.
 */
class ClientConfigTest {
    @TempDir
    Path tmp;

    private Path home;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void isolateHome() throws Exception {
        home = Files.createDirectory(tmp.resolve("home"));
        env.put("HOME", home.toString());
    }

    @Test
    void flagsWinOverTheEnvironmentAndEveryFile() throws Exception {
        Path file = config("flag.yaml", "http://file:1", "file-token");
        env.put("MILLWRIGHT_SERVER", "http://env:2");
        env.put("MILLWRIGHT_TOKEN", "env-token");
        homeConfig("http://home:3", "home-token");

        ClientConfig c = ClientConfig.resolve("http://flag:4/", "flag-token", file, env);
        assertThat(c.server()).isEqualTo("http://flag:4");
        assertThat(c.token()).isEqualTo("flag-token");
    }

    @Test
    void theEnvironmentWinsOverFiles() throws Exception {
        Path file = config("c.yaml", "http://file:1", "file-token");
        env.put("MILLWRIGHT_SERVER", "http://env:2");
        env.put("MILLWRIGHT_TOKEN", "env-token");

        ClientConfig c = ClientConfig.resolve(null, null, file, env);
        assertThat(c).isEqualTo(new ClientConfig("http://env:2", "env-token", "flags and environment"));
    }

    @Test
    void aFileFillsInWhatFlagsAndEnvironmentLeaveOpen() throws Exception {
        Path file = config("c.yaml", "http://file:1", "file-token");
        env.put("MILLWRIGHT_SERVER", "http://env:2");

        ClientConfig fromEnv = ClientConfig.resolve(null, null, file, env);
        assertThat(fromEnv.server()).isEqualTo("http://env:2");
        assertThat(fromEnv.token()).isEqualTo("file-token");

        ClientConfig fromFlag = ClientConfig.resolve(null, "flag-token", file, env);
        assertThat(fromFlag.server()).isEqualTo("http://env:2");
        assertThat(fromFlag.token()).isEqualTo("flag-token");
        assertThat(ClientConfig.resolve(null, "  ", file, Map.of("HOME", home.toString())).token())
                .as("a blank flag counts as absent").isEqualTo("file-token");
    }

    @Test
    void theConfigFlagWinsOverMillwrightConfigAndHome() throws Exception {
        Path flag = config("flag.yaml", "http://flag-file:1", "flag-file-token");
        Path fromEnv = config("env.yaml", "http://env-file:2", "env-file-token");
        env.put("MILLWRIGHT_CONFIG", fromEnv.toString());
        homeConfig("http://home:3", "home-token");

        ClientConfig c = ClientConfig.resolve(null, null, flag, env);
        assertThat(c).isEqualTo(new ClientConfig("http://flag-file:1", "flag-file-token", flag.toString()));
    }

    @Test
    void millwrightConfigWinsOverTheDataDirectoryAndHome() throws Exception {
        Path fromEnv = config("env.yaml", "http://env-file:2", "env-file-token");
        env.put("MILLWRIGHT_CONFIG", fromEnv.toString());
        homeConfig("http://home:3", "home-token");

        ClientConfig c = ClientConfig.resolve(null, null, null, env);
        assertThat(c).isEqualTo(new ClientConfig("http://env-file:2", "env-file-token", fromEnv.toString()));
    }

    @Test
    void theDataDirectoryOfUpInTheWorkingDirectoryWinsOverHome() throws Exception {
        // ./millwright-data is relative to the working directory, which Java cannot change: use the real one
        assumeNoDataDirectoryHere();
        Path dataDir = Path.of("millwright-data");
        homeConfig("http://home:3", "home-token");
        try {
            Files.createDirectory(dataDir);
            Files.writeString(dataDir.resolve("admin.token"), "data-dir-token\n");
            Files.writeString(dataDir.resolve("config.yaml"), "server: http://127.0.0.1:9999\ntokenFile: admin.token\n");

            ClientConfig c = ClientConfig.resolve(null, null, null, env);
            assertThat(c.server()).isEqualTo("http://127.0.0.1:9999");
            assertThat(c.token()).as("tokenFile, relative to the config file").isEqualTo("data-dir-token");
            assertThat(c.source()).isEqualTo(Path.of("millwright-data", "config.yaml").toString());
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void homeConfigComesFromHomeInTheEnvironment() throws Exception {
        assumeNoDataDirectoryHere();
        Path file = homeConfig("http://home:3/", "home-token");
        ClientConfig c = ClientConfig.resolve(null, null, null, env);
        assertThat(c).isEqualTo(new ClientConfig("http://home:3", "home-token", file.toString()));
    }

    @Test
    void withNothingConfiguredTheDefaultServerIsUsedWithoutAToken() {
        assumeNoDataDirectoryHere();
        ClientConfig c = ClientConfig.resolve(null, null, null, env);
        assertThat(c.server()).isEqualTo(ClientConfig.DEFAULT_SERVER);
        assertThat(c.token()).isNull();
    }

    @Test
    void anAbsoluteTokenFileIsReadAsGiven() throws Exception {
        Path token = Files.writeString(tmp.resolve("elsewhere.token"), "  absolute-token \n");
        Path file = Files.writeString(tmp.resolve("c.yaml"), "server: http://x:1\ntokenFile: " + token + "\n");
        assertThat(ClientConfig.resolve(null, null, file, env).token()).isEqualTo("absolute-token");
        Path inline = Files.writeString(tmp.resolve("both.yaml"), "server: http://x:1\ntoken: inline\ntokenFile: " + token + "\n");
        assertThat(ClientConfig.resolve(null, null, inline, env).token()).as("token wins over tokenFile").isEqualTo("inline");
    }

    @Test
    void aMissingOrBrokenConfigFileNamedByTheFlagIsAUsageError() throws Exception {
        Path missing = tmp.resolve("missing.yaml");
        assertThatThrownBy(() -> ClientConfig.resolve(null, null, missing, env))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining(missing.toString());
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "server: [unclosed\n");
        assertThatThrownBy(() -> ClientConfig.resolve(null, null, broken, env))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining(broken.toString());
        Path noToken = Files.writeString(tmp.resolve("t.yaml"), "server: http://x:1\ntokenFile: gone.token\n");
        assertThatThrownBy(() -> ClientConfig.resolve(null, null, noToken, env))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("gone.token");
    }

    /** ./millwright-data would come before the home config; a developer's real one must not decide these tests. */
    private static void assumeNoDataDirectoryHere() {
        assumeFalse(Files.exists(Path.of("millwright-data")), "a real ./millwright-data exists in " + Path.of("").toAbsolutePath());
    }

    private Path config(String name, String server, String token) throws Exception {
        return Files.writeString(tmp.resolve(name), "server: " + server + "\ntoken: " + token + "\n");
    }

    private Path homeConfig(String server, String token) throws Exception {
        Path dir = Files.createDirectories(home.resolve(".millwright"));
        return Files.writeString(dir.resolve("config.yaml"), "server: " + server + "\ntoken: " + token + "\n");
    }
}
