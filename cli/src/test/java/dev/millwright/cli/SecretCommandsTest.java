package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.ResourceKey;
import dev.millwright.secrets.Keyring;
import dev.millwright.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets from the command line: apply, get, create from literals and files, set, rekey, and up's key options. */
class SecretCommandsTest {
    private static final String VALUE = "cli-plaintext-4b1e9d";
    private static TestServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
        Cli.Result tenant = Cli.runWithStdin("kind: Tenant\nmetadata: {name: acme}\nspec: {}\n", withAdmin("apply", "-f", "-"));
        assertThat(tenant.exit()).as(tenant.toString()).isZero();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    private static String reveal(String kind, String tenant, String name, String key) {
        return server.server().secrets().reveal(new ResourceKey(kind, tenant, name), key);
    }

    @Test
    void applyCreatesASecretLeavesItUnchangedWhenAppliedAgainAndGetShowsKeysButNoValues() throws Exception {
        Path manifest = Files.writeString(tmp.resolve("hub.yaml"), """
                apiVersion: millwright.dev/v1
                kind: Secret
                metadata: {name: hub, tenant: acme}
                spec:
                  type: hub-token
                  data: {token: %s, user: ci-bot}
                """.formatted(VALUE));
        Cli.Result created = admin("apply", "-f", manifest.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).contains("secrets/acme/hub created");
        assertThat(admin("apply", "-f", manifest.toString()).out()).contains("secrets/acme/hub unchanged");
        Files.writeString(manifest, Files.readString(manifest).replace(VALUE, VALUE + "-2"));
        assertThat(admin("apply", "-f", manifest.toString()).out()).contains("secrets/acme/hub configured");
        assertThat(reveal("Secret", "acme", "hub", "token")).isEqualTo(VALUE + "-2");

        Cli.Result table = admin("get", "secrets", "-t", "acme");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow()).contains("TENANT", "NAME", "TYPE", "KEYS", "ENCRYPTION KEY");
        assertThat(table.out()).contains("hub-token", "token,user");
        for (String format : List.of("yaml", "json")) {
            Cli.Result one = admin("get", "secret", "hub", "-t", "acme", "-o", format);
            assertThat(one.out()).contains("rotatedAt").doesNotContain(VALUE);
        }
        assertThat(table.out() + table.err()).doesNotContain(VALUE);
    }

    @Test
    void createTakesValuesFromLiteralsFilesAndEnvFilesAndSetRotatesOnlyTheKeysGiven() throws Exception {
        Path password = Files.writeString(tmp.resolve("password"), VALUE);
        Path env = Files.writeString(tmp.resolve("registry.env"), "# registry\nREGISTRY=nvcr.io\n\nEMAIL=ci@example.com\n");
        Cli.Result created = admin("create", "secret", "registry", "-t", "acme", "--type", "registry-credentials",
                "--from-literal", "username=$oauthtoken", "--from-file", password.toString(), "--from-env-file", env.toString());
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("secret acme/registry (keys EMAIL, REGISTRY, password, username) created\n");
        assertThat(reveal("Secret", "acme", "registry", "password")).isEqualTo(VALUE);
        assertThat(reveal("Secret", "acme", "registry", "username")).isEqualTo("$oauthtoken");

        Cli.Result set = admin("secrets", "set", "registry", "-t", "acme", "--from-literal", "password=rotated-" + VALUE);
        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(set.out()).isEqualTo("secret acme/registry (keys EMAIL, REGISTRY, password, username) rotated: password\n");
        assertThat(reveal("Secret", "acme", "registry", "REGISTRY")).isEqualTo("nvcr.io");

        Cli.Result platform = admin("create", "platformsecret", "bmc-r01", "--from-literal", "username=root", "--from-literal", "password=" + VALUE);
        assertThat(platform.out()).isEqualTo("platformsecret bmc-r01 (keys password, username) created\n");
        assertThat(reveal("PlatformSecret", "", "bmc-r01", "password")).isEqualTo(VALUE);

        Cli.Result exists = admin("create", "secret", "registry", "-t", "acme", "--from-literal", "password=" + VALUE);
        assertThat(exists.exit()).isEqualTo(ExitCodes.CONFLICT);
        Cli.Result badKey = admin("create", "secret", "bad", "-t", "acme", "--from-literal", VALUE + " pasted=x");
        assertThat(badKey.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(badKey.err()).contains("spec.data").doesNotContain(VALUE);
        for (Cli.Result r : List.of(created, set, platform, exists, badKey)) assertThat(r.out() + r.err()).doesNotContain(VALUE);
        assertThat(admin("create", "secret", "twice", "-t", "acme", "--from-literal", "a=1", "--from-literal", "a=2").err())
                .contains("key a is given twice").doesNotContain("=1");
    }

    @Test
    void rekeyReportsWhatItSealedAndWhatIsLeftUnderEachKey() {
        assertThat(admin("create", "secret", "rekeyed", "-t", "acme", "--from-literal", "token=t").exit()).isZero();
        Cli.Result r = admin("secrets", "rekey");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("re-sealed 0 values in 0 objects under key k-").contains("values by key id: k-");
    }

    @Test
    void upRefusesAMalformedOrDoublyGivenKeyNamingTheFlagOrVariableBeforeStartingAnything() throws Exception {
        Path shortKey = Files.writeString(tmp.resolve("short.key"), java.util.Base64.getEncoder().encodeToString(new byte[16]) + "\n");
        Path data = tmp.resolve("data");
        Cli.Result r = Cli.run("up", "--secret-key-file", shortKey.toString(), "--port", "0", "--data", data.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--secret-key-file " + shortKey + ": line 1").contains("is 16 bytes; an AES-256 key is 32 bytes");
        Cli.Result missing = Cli.run("up", "--secret-key-file", tmp.resolve("nope").toString(), "--port", "0", "--data", data.toString());
        assertThat(missing.err()).contains("--secret-key-file " + tmp.resolve("nope") + ": no such file");
        assertThat(data).doesNotExist();

        assertThatThrownBy(() -> UpCommand.secretKeys(null, Map.of(UpCommand.SECRET_KEY_ENV, "c2hvcnQ=")))
                .isInstanceOf(CliException.class).hasMessageContaining("MILLWRIGHT_SECRET_KEY: line 1").hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> UpCommand.secretKeys(shortKey, Map.of(UpCommand.SECRET_KEY_ENV, Keyring.generate())))
                .isInstanceOf(CliException.class).hasMessageContaining("given twice, by --secret-key-file and by MILLWRIGHT_SECRET_KEY");
        String k2 = Keyring.generate();
        assertThat(UpCommand.secretKeys(null, Map.of(UpCommand.SECRET_KEY_ENV, "k2=" + k2 + ",k1=" + Keyring.generate())).ids()).containsExactly("k2", "k1");
        assertThat(UpCommand.secretKeys(null, Map.of())).as("the data directory's key").isNull();
    }

    private static Cli.Result admin(String... args) {
        return Cli.run(withAdmin(args));
    }

    private static String[] withAdmin(String... args) {
        return Cli.against(server, server.adminToken(), args);
    }
}
