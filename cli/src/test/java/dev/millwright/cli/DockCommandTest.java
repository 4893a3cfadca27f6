package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.Json;
import dev.millwright.server.ServerConfig;
import dev.millwright.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dock import} and {@code dock status} against a real server whose still twin is moved on by the test. */
class DockCommandTest {
    @TempDir
    Path tmp;

    @Test
    void importsACsvManifestFollowsItAndShowsEachMachinesStateAndReason() throws Exception {
        try (TestServer s = TestServer.start(TestServer.config(dev.millwright.store.TestDatabases.freshUrl("dock-cli"))
                .withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES))) {
            post(s, "/api/v1/sites", "{\"kind\":\"Site\",\"metadata\":{\"name\":\"muc\"},\"spec\":{\"kind\":\"datacenter\",\"region\":\"eu\",\"jurisdiction\":\"DE\"}}");
            post(s, "/api/v1/clusters", "{\"kind\":\"Cluster\",\"metadata\":{\"name\":\"c1\"},\"spec\":{\"site\":\"muc\"}}");
            post(s, "/api/v1/nodepools", "{\"kind\":\"NodePool\",\"metadata\":{\"name\":\"new\"},\"spec\":{\"cluster\":\"c1\",\"role\":\"worker\",\"machines\":[]}}");
            Path dup = tmp.resolve("dup.csv");
            Files.writeString(dup, "name,bmc,rack,position\na1,twin://hgx-h100/a1,r1,1\na2,twin://hgx-h100/a1,r1,2\n");
            Cli.Result refused = Cli.run("dock", "import", dup.toString(), "--site", "muc", "--pool", "new", "--server", s.url(), "--token", s.adminToken());
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.INVALID);
            assertThat(refused.err()).contains("spec.machines[1].bmc", "duplicates spec.machines[0].bmc");

            Path csv = tmp.resolve("rack-b.csv");
            Files.writeString(csv, """
                    name,bmc,credentials,rack,position
                    b1,twin://hgx-h100/b1,,r1,1
                    b2,twin://hgx-h100/b2?fail=dcgm,,r1,2
                    b3,twin://hgx-h100/b3,,r2,1
                    b4,twin://hgx-h100/b4,missing-secret,r2,2
                    """);
            Cli.Result created = Cli.run("dock", "import", csv.toString(), "--site", "muc", "--pool", "new", "--gpu-model", "H100 80GB",
                    "--gpu-count", "8", "--per-rack", "1", "--server", s.url(), "--token", s.adminToken());
            assertThat(created.exit()).as(created.toString()).isZero();
            assertThat(created.out()).contains("dock batch rack-b created: 4 machines to pool new at site muc");

            s.awaitAdvancing(() -> Json.tree(s.admin("GET", "/api/v1/dockbatches/rack-b", null).body()).path("status"),
                    st -> st.has("finishedAt"), Duration.ofMinutes(5), "the batch settles");
            Cli.Result watched = Cli.run("dock", "status", "rack-b", "--watch", "--server", s.url(), "--token", s.adminToken());
            assertThat(watched.exit()).as("not every machine joined: %s", watched).isEqualTo(ExitCodes.ROLLOUT_NOT_COMPLETED);
            assertThat(watched.out()).contains("phase:     CompletedWithFailures", "progress:  4/4 settled (2 joined, 1 quarantined, 1 failed, 0 in progress)");
            assertThat(line(watched.out(), "b1")).contains("r1", "Joined", "9/9 done");
            assertThat(line(watched.out(), "b2")).contains("Quarantined", "DCGM r3 failed: GPU");
            assertThat(line(watched.out(), "b4")).contains("Failed", "credentials secret missing-secret does not exist (PlatformSecret)");

            Cli.Result all = Cli.run("dock", "status", "--server", s.url(), "--token", s.adminToken());
            assertThat(line(all.out(), "rack-b").split("\\s+")).containsExactly("rack-b", "new", "4/4", "2", "1", "1", "CompletedWithFailures", "-");
        }
    }

    private static String line(String out, String first) {
        return out.lines().filter(l -> l.startsWith(first + " ")).findFirst().orElseThrow(() -> new AssertionError("no line for " + first + " in\n" + out));
    }

    private static void post(TestServer s, String path, String body) {
        var r = s.admin("POST", path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
