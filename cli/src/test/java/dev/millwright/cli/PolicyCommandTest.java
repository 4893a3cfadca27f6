package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.server.TestServer;
import dev.millwright.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy test} against a real server: a dry run by file or by name, and an invalid expression's position. */
class PolicyCommandTest {
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestDatabases.freshUrl("cli-policy"));
        Path world = Files.createTempFile("policy-world", ".yaml");
        Files.writeString(world, """
                kind: Tenant
                metadata: {name: acme}
                spec: {}
                ---
                kind: StackTemplate
                metadata: {name: gpu-1-0-0}
                spec: {template: gpu, version: 1.0.0, layers: [{pack: gpu-driver, version: 580.95.05}, {pack: cuda, version: 12.8.0}]}
                ---
                kind: Environment
                metadata: {name: dev, tenant: acme}
                spec: {stage: dev, template: {name: gpu, version: 1.0.0}, nodePools: []}
                ---
                kind: Environment
                metadata: {name: prod, tenant: acme}
                spec: {stage: prod, template: {name: gpu, version: 1.0.0}, nodePools: []}
                """);
        assertThat(admin("apply", "-f", world.toString()).exit()).isZero();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Cli.Result admin(String... args) {
        return Cli.asAdmin(server, args);
    }

    @Test
    void aDryRunNamesWhatAPolicyWouldDenyBeforeItIsApplied() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, """
                kind: Policy
                metadata: {name: dev-only}
                spec: {subject: Environment, rule: "environment.stage == 'dev'", messageExpression: "environment.name + ' is not dev'", message: m}
                """);
        Cli.Result denied = admin("policy", "test", "-f", file.toString());
        assertThat(denied.exit()).as(denied.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(denied.out()).contains("policy dev-only (Environment, Deny): would deny 1 of the 2 existing Environments it covers")
                .contains("Environment acme/prod").contains("prod is not dev");
        assertThat(admin("get", "policies").out()).doesNotContain("dev-only");

        Cli.Result stored = admin("policy", "test", "fips-builds");
        assertThat(stored.exit()).as(stored.toString()).isZero();
        assertThat(stored.out()).contains("policy fips-builds (Environment, Deny): passes all 2 existing Environments it covers");
    }

    @Test
    void anInvalidExpressionIsShownWithItsPosition() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                kind: Policy
                metadata: {name: bad}
                spec: {subject: Workload, rule: "workload.gpus >", message: m}
                """);
        Cli.Result refused = admin("policy", "test", "-f", file.toString());
        assertThat(refused.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.err()).contains("spec.rule").contains("spec.rule:1:16");
        assertThat(admin("policy", "test").exit()).isEqualTo(ExitCodes.USAGE);
    }
}
