package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.server.TestServer;
import dev.millwright.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code vulns fix} against a real server and the real vLLM advisories: a tenant admin gets an UpgradePlan to a
 * published fix, is told plainly when only a platform admin can publish one, and a platform admin publishes the
 * solver's smallest change and plans it in one command.
 */
class VulnsFixCommandTest {
    private static TestServer server;
    private static String tenantAdmin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestDatabases.freshUrl("cli-vulns-fix"));
        Path world = Files.createTempFile("fix-world", ".yaml");
        Files.writeString(world, """
                kind: User
                metadata: {name: tia}
                spec: {displayName: Tia}
                ---
                kind: Tenant
                metadata: {name: fix-co}
                spec: {members: [{user: tia, role: tenant-admin}]}
                ---
                kind: StackTemplate
                metadata: {name: serve-1-0-0}
                spec: {template: serve, version: 1.0.0, layers: [{pack: gpu-driver, version: 550.54.15}, {pack: cuda, version: 12.2.2},
                  {pack: kubernetes, version: "1.30"}, {pack: gpu-operator, version: 24.3.0}, {pack: vllm, version: 0.6.6}]}
                ---
                kind: Environment
                metadata: {name: dev, tenant: fix-co}
                spec: {stage: dev, template: {name: serve, version: 1.0.0}, nodePools: []}
                ---
                kind: Environment
                metadata: {name: prod, tenant: fix-co}
                spec: {stage: prod, template: {name: serve, version: 1.0.0}, nodePools: []}
                """);
        assertThat(admin("apply", "-f", world.toString()).exit()).isZero();
        Cli.Result imported = admin("vulns", "import", "../core/src/test/resources/vulns/ghsa-vuln-list");
        assertThat(imported.exit()).as(imported.toString()).isZero();
        JsonNode issued = Json.tree(server.admin("POST", "/api/v1/tokens", "{\"user\":\"tia\"}").body());
        tenantAdmin = issued.path("token").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Cli.Result as(String token, String... args) {
        return Cli.run(Cli.against(server, token, args));
    }

    private static Cli.Result admin(String... args) {
        return as(server.adminToken(), args);
    }

    @Test
    void aTenantAdminIsToldThatOnlyAPlatformAdminCanPublishTheFix() {
        Cli.Result shown = as(tenantAdmin, "vulns", "fix", "dev", "-t", "fix-co", "--finding", "CVE-2025-24357");
        assertThat(shown.exit()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains("fix-co/dev (serve@1.0.0): CVE-2025-24357")
                .contains("smallest change: cuda 12.2.2 -> 12.4.0, vllm 0.6.6 -> 0.7.3").contains("--publish makes it serve@1.0.1");

        Cli.Result refused = as(tenantAdmin, "vulns", "fix", "dev", "-t", "fix-co", "--finding", "CVE-2025-24357", "--save", "fix-dev");
        assertThat(refused.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.err()).contains("no published version of serve has the fix").contains("--publish");
        assertThat(admin("get", "upgradeplans", "-t", "fix-co").out()).doesNotContain("fix-dev");

        Cli.Result beyond = as(tenantAdmin, "vulns", "fix", "dev", "-t", "fix-co", "--finding", "CVE-2025-6242", "--save", "never");
        assertThat(beyond.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(beyond.err()).contains("nothing fixes it").contains("fixed in PyPI vllm 0.11.0");

        Cli.Result notAdmin = as(tenantAdmin, "vulns", "fix", "dev", "-t", "fix-co", "--finding", "CVE-2025-24357", "--publish");
        assertThat(notAdmin.exit()).isEqualTo(ExitCodes.DENIED);
    }

    @Test
    void aPlatformAdminPublishesTheSmallestChangeAndPlansItInOneCommand() throws Exception {
        Cli.Result done = admin("vulns", "fix", "prod", "-t", "fix-co", "--finding", "CVE-2025-46570", "--publish", "--save", "fix-prod");
        assertThat(done.exit()).as(done.toString()).isZero();
        assertThat(done.err()).contains("published StackTemplate serve@1.0.1").contains("saved as UpgradePlan fix-prod (to serve@1.0.1)");
        JsonNode plan = awaitPlanned("fix-prod");
        assertThat(plan.path("status").path("phase").asText()).isEqualTo("Planned");
        assertThat(plan.path("status").toString()).contains("vllm").contains("0.9.2");

        // now published, a tenant admin plans the same fix for another environment without a platform admin
        Cli.Result tenantPlan = as(tenantAdmin, "vulns", "fix", "dev", "-t", "fix-co", "--finding", "CVE-2025-46570", "--save", "fix-dev-2");
        assertThat(tenantPlan.exit()).as(tenantPlan.toString()).isZero();
        assertThat(tenantPlan.out()).contains("published fix:   serve@1.0.1");
        assertThat(awaitPlanned("fix-dev-2").path("spec").path("template").path("version").asText()).isEqualTo("1.0.1");
    }

    private static JsonNode awaitPlanned(String name) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        JsonNode plan = Json.tree(admin("get", "upgradeplan", name, "-t", "fix-co", "-o", "json").out());
        while (!plan.path("status").has("phase") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            plan = Json.tree(admin("get", "upgradeplan", name, "-t", "fix-co", "-o", "json").out());
        }
        return plan;
    }
}
