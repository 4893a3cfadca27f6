package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.Health;
import dev.millwright.infra.Operation;
import dev.millwright.infra.twin.Twin;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rollouts against a still twin moved on by hand: a canary then waves bring an environment to a new template
 * with each node changed once and left uncordoned; a bad driver is stopped at the canary and rolled back; pause,
 * resume and abort; and the bad input a rollout must refuse.
 */
class RolloutTest {
    private static TestServer server;
    private static Twin twin;

    @BeforeAll
    static void start() {
        server = TwinWorld.start("rollout");
        twin = server.server().twin();
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        create(server, "/api/v1/clusters", cluster("c1", "muc", null));
        for (String p : List.of("pa", "pb", "pc", "pd")) {
            for (int i = 1; i <= 3; i++) create(server, "/api/v1/machines", machine(p + i, "muc", "twin://hgx-h100/" + p + i, 8));
            create(server, "/api/v1/nodepools", pool(p, "c1", p + "1", p + "2", p + "3"));
        }
        template("1.0.0", "580.95.05", "12.8.0");
        template("1.1.0", "580.95.05", "12.9.1");
        template("1.2.0", "580.105.08", "12.9.1");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static void template(String version, String driver, String cuda) {
        String layers = "{\"pack\":\"ubuntu\",\"version\":\"24.04\"},{\"pack\":\"gpu-driver\",\"version\":\"%s\"},{\"pack\":\"cuda\",\"version\":\"%s\"},{\"pack\":\"kubernetes\",\"version\":\"1.33\"}"
                .formatted(driver, cuda);
        create(server, "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"gpu-%s"},"spec":{"template":"gpu","version":"%s","layers":[%s]}}"""
                .formatted(version.replace('.', '-'), version, layers));
    }

    private static void environment(String name, String pool, String extra) {
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"%s"},"spec":{"stage":"prod","template":{"name":"gpu","version":"1.0.0"},
                 "nodePools":["%s"]%s}}""".formatted(name, pool, extra));
        awaitEnvironment(name, s -> s.path("phase").asText().equals("Ready") && s.path("nodesInSync").asInt() == 3, "ready on 1.0.0");
    }

    private static JsonNode awaitEnvironment(String name, Predicate<JsonNode> until, String what) {
        return TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/environments/" + name).path("status"),
                until, Duration.ofMinutes(2), "environment " + name + " " + what);
    }

    private static HttpResponse<String> rollout(String name, String env, String version, String extra) {
        return server.admin("POST", "/api/v1/tenants/acme/rollouts", """
                {"kind":"Rollout","metadata":{"name":"%s"},"spec":{"environment":"%s","template":{"name":"gpu","version":"%s"}%s}}"""
                .formatted(name, env, version, extra));
    }

    private static JsonNode awaitRollout(String name, Predicate<JsonNode> until, String what) {
        return TwinWorld.awaitAdvancing(server, () -> get(server, "/api/v1/tenants/acme/rollouts/" + name).path("status"),
                until, Duration.ofSeconds(30), "rollout " + name + " " + what);
    }

    private static long operations(String machine, String kind) {
        return twin.operations(machine).stream().filter(o -> o.kind().equals(kind)).count();
    }

    @Test
    void aCanaryThenWavesMoveTheEnvironmentChangingEachNodeOnceAndLeavingNoneCordoned() {
        environment("serve", "pa", "");
        ApiFixtures.expect(rollout("serve-1-1", "serve", "1.1.0", ",\"canary\":1,\"maxUnavailable\":2"), 201);

        List<String> phasesSeen = new ArrayList<>();
        JsonNode done = awaitRollout("serve-1-1", s -> {
            phasesSeen.add(get(server, "/api/v1/tenants/acme/environments/serve").path("status").path("phase").asText());
            return s.path("phase").asText().equals("Completed");
        }, "completed");

        assertThat(done.path("progress").asText()).isEqualTo("3/3");
        assertThat(done.path("gates").get(0).path("passed").asBoolean()).as("the canary's gate").isTrue();
        assertThat(phasesSeen).as("the environment is never Ready while its nodes change").doesNotContain("Applying");
        for (int i = 1; i <= 3; i++) {
            String m = "pa" + i;
            assertThat(twin.installedPacks(m)).containsEntry("cuda", "12.9.1");
            assertThat(operations(m, "install:cuda@12.9.1")).as("%s changed once", m).isEqualTo(1);
            assertThat(operations(m, "install:gpu-driver@580.95.05")).as("%s: an unchanged layer is not touched by the rollout", m).isEqualTo(1);
            assertThat(twin.health(m).node()).as("%s is uncordoned", m).isEqualTo(Health.NodeState.READY);
        }
        JsonNode env = awaitEnvironment("serve", s -> s.path("template").asText().equals("gpu@1.1.0") && s.path("phase").asText().equals("Ready"),
                "on 1.1.0");
        assertThat(env.path("nodesInSync").asInt()).isEqualTo(3);
    }

    @Test
    void aBadDriverIsStoppedAtTheCanaryAndRolledBackWithTheEvidence() {
        environment("train", "pb", "");
        twin.breakVersion("gpu-driver", "580.105.08");
        ApiFixtures.expect(rollout("train-bad", "train", "1.2.0", ",\"canary\":1,\"maxUnavailable\":3"), 201);

        JsonNode halted = awaitRollout("train-bad", s -> s.path("phase").asText().equals("Halted")
                && s.path("counts").path("RolledBack").asInt() == 1, "halted at the canary");

        assertThat(halted.path("haltReason").asText()).contains("canary").contains("Xid 79");
        String canary = null;
        var it = halted.path("nodes").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().path("wave").asInt() == 0) canary = e.getKey();
            else assertThat(e.getValue().path("phase").asText()).as("%s is beyond the blast radius", e.getKey()).isEqualTo("Pending");
        }
        assertThat(canary).isNotNull();
        assertThat(twin.installedPacks(canary)).containsEntry("gpu-driver", "580.95.05").containsEntry("cuda", "12.8.0");
        assertThat(twin.health(canary).healthy()).as("the canary's GPUs are back").isTrue();
        assertThat(twin.health(canary).node()).isEqualTo(Health.NodeState.READY);
        for (int i = 1; i <= 3; i++) {
            String m = "pb" + i;
            if (m.equals(canary)) continue;
            assertThat(operations(m, "install:gpu-driver@580.105.08")).as("%s never got the bad driver", m).isZero();
        }
        // a halted rollout still governs the environment; aborting it ends it, with every node on the old version
        ApiFixtures.expect(server.call("PATCH", "/api/v1/tenants/acme/rollouts/train-bad", server.adminToken(), "{\"spec\":{\"abort\":true}}",
                "application/merge-patch+json"), 200);
        awaitRollout("train-bad", s -> s.path("phase").asText().equals("Aborted"), "aborted");
        assertThat(get(server, "/api/v1/tenants/acme/environments/train").path("spec").path("template").path("version").asText()).isEqualTo("1.0.0");
    }

    @Test
    void pauseHoldsNewNodesAndAbortSendsChangedNodesBack() {
        environment("stage", "pc", "");
        ApiFixtures.expect(rollout("stage-up", "stage", "1.1.0", ",\"canary\":1,\"maxUnavailable\":1"), 201);
        awaitRollout("stage-up", s -> s.path("counts").path("Upgraded").asInt() >= 1, "the canary upgraded");
        patch("stage-up", "{\"spec\":{\"paused\":true}}");
        JsonNode paused = awaitRollout("stage-up", s -> s.path("phase").asText().equals("Paused")
                && s.path("counts").path("Pending").asInt() + s.path("counts").path("Upgraded").asInt() == 3, "paused with nothing in flight");
        int upgraded = paused.path("counts").path("Upgraded").asInt();
        refused(rollout("stage-again", "stage", "1.2.0", ""), "spec.environment", "rollout stage-up is already moving environment stage");
        for (int i = 0; i < 20; i++) twin.advance(Duration.ofMinutes(5));
        assertThat(get(server, "/api/v1/tenants/acme/rollouts/stage-up").path("status").path("counts").path("Upgraded").asInt())
                .as("nothing starts while paused").isEqualTo(upgraded);

        patch("stage-up", "{\"spec\":{\"abort\":true}}");
        JsonNode aborted = awaitRollout("stage-up", s -> s.path("phase").asText().equals("Aborted"), "aborted");
        assertThat(aborted.path("counts").path("RolledBack").asInt()).isEqualTo(upgraded);
        for (int i = 1; i <= 3; i++) {
            assertThat(twin.installedPacks("pc" + i)).containsEntry("cuda", "12.8.0");
            assertThat(twin.health("pc" + i).node()).isEqualTo(Health.NodeState.READY);
        }
        HttpResponse<String> resume = server.call("PATCH", "/api/v1/tenants/acme/rollouts/stage-up", server.adminToken(),
                "{\"spec\":{\"abort\":false}}", "application/merge-patch+json");
        assertThat(resume.statusCode()).isEqualTo(422);
        assertThat(resume.body()).contains("spec.abort");
    }

    @Test
    void aSavedPlanIsKeptCurrentRefusedWhenItCannotBeAndExecutedByARollout() {
        environment("planned", "pd", "");
        create(server, "/api/v1/tenants/acme/upgradeplans", """
                {"kind":"UpgradePlan","metadata":{"name":"planned-cuda"},"spec":{"environment":"planned","template":{"name":"gpu","version":"1.1.0"},"parallel":2}}""");
        JsonNode plan = FleetFixtures.awaitObject(server, "/api/v1/tenants/acme/upgradeplans/planned-cuda",
                p -> p.path("status").path("phase").asText().equals("Planned"), "planned").path("status");
        assertThat(plan.path("changes")).hasSize(1);
        assertThat(plan.path("changes").get(0).path("pack").asText()).isEqualTo("cuda");
        assertThat(plan.path("changes").get(0).path("from").asText()).isEqualTo("12.8.0");
        assertThat(plan.path("waves").asInt()).as("3 nodes, 2 at a time").isEqualTo(2);
        assertThat(plan.path("text").asText()).contains("cuda 12.8.0 -> 12.9.1").contains("Estimate: 3 worker nodes, 2 at a time");

        refused(server.admin("POST", "/api/v1/tenants/acme/upgradeplans", """
                {"kind":"UpgradePlan","metadata":{"name":"planned-same"},"spec":{"environment":"planned","template":{"name":"gpu","version":"1.0.0"}}}"""),
                "spec.template", "nothing to do");
        refused(rollout("planned-other", "planned", "1.2.0", ",\"plan\":\"planned-cuda\""), "spec.plan", "not what this rollout says");

        ApiFixtures.expect(rollout("planned-run", "planned", "1.1.0", ",\"plan\":\"planned-cuda\",\"maxUnavailable\":2"), 201);
        awaitRollout("planned-run", s -> s.path("phase").asText().equals("Completed"), "completed");
        FleetFixtures.awaitObject(server, "/api/v1/tenants/acme/upgradeplans/planned-cuda",
                p -> p.path("status").path("phase").asText().equals("Applied"), "the plan applied");
    }

    private static void patch(String rollout, String body) {
        ApiFixtures.expect(server.call("PATCH", "/api/v1/tenants/acme/rollouts/" + rollout, server.adminToken(), body,
                "application/merge-patch+json"), 200);
    }

    @Test
    void badRolloutsAreRefusedWithTheFieldAndTheReason() {
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"refuse"},"spec":{"stage":"dev","template":{"name":"gpu","version":"1.1.0"},"nodePools":[]}}""");
        refused(rollout("older", "refuse", "1.0.0", ""), "spec.template", "older");
        refused(rollout("no-room", "refuse", "1.2.0", ",\"maxUnavailable\":0,\"maxSurge\":0"), "spec.maxUnavailable", "no node could ever be taken out");
        refused(rollout("pct", "refuse", "1.2.0", ",\"maxUnavailable\":\"lots\""), "spec.maxUnavailable", "percentage");
        refused(rollout("empty", "refuse", "1.2.0", ""), "spec.environment", "has no nodes to upgrade");

        HttpResponse<String> never = server.admin("POST", "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"frozen"},"spec":{"stage":"dev","template":{"name":"gpu","version":"1.0.0"},
                 "maintenanceWindows":[{"days":["sat"],"start":"22:00","durationMinutes":240,"until":"2020-01-01"}]}}""");
        refused(never, "spec.maintenanceWindows[0]", "never opens");
        refused(server.admin("POST", "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"frozen"},"spec":{"stage":"dev","template":{"name":"gpu","version":"1.0.0"},
                 "maintenanceWindows":[{"days":[],"start":"25:00","durationMinutes":0,"timeZone":"Mars/Olympus"}]}}"""),
                "spec.maintenanceWindows[0].timeZone", "not a time zone");
    }

    private static void refused(HttpResponse<String> r, String field, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.body()).contains(field).contains(reason);
    }
}
