package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.twin.Twin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rack manifest from the loading dock to a node pool, on a real server and the twin: healthy machines are
 * inspected, burnt in, installed and joined; a machine that fails a gate is quarantined with the evidence; bad
 * rows (an unreachable BMC, refused credentials, malformed answers, a missing credentials secret, hardware that
 * contradicts the order) each end with their reason while the rest of the batch goes on.
 */
class DockTest {
    @Test
    void aBatchJoinsItsHealthyMachinesQuarantinesTheBadOneAndSaysWhyOfEveryBadRow() {
        try (TestServer s = TestServer.start(TestServer.config(dev.millwright.store.TestDatabases.freshUrl("dock"))
                .withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES))) {
            create(s, "/api/v1/sites", site("muc", "datacenter", "DE"));
            create(s, "/api/v1/clusters", cluster("c1", "muc", null));
            create(s, "/api/v1/nodepools", pool("new", "c1"));
            create(s, "/api/v1/platformsecrets", "{\"kind\":\"PlatformSecret\",\"metadata\":{\"name\":\"bmc-r1\"},\"spec\":{\"data\":{\"password\":\"p\"}}}");
            List<String> rows = new ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                String endpoint = "twin://hgx-h100/r" + (i % 2 + 1) + "-" + i + (i == 5 ? "?fail=nccl" : "");
                rows.add(row("n" + i, endpoint, "bmc-r1", "r" + (i % 2 + 1), i));
            }
            rows.add(row("unreachable", "twin://hgx-h100/x1?bmc=unreachable", "bmc-r1", "r1", 20));
            rows.add(row("wrong-creds", "twin://hgx-h100/x2?bmc=unauthorized", "bmc-r1", "r1", 21));
            rows.add(row("garbled", "twin://hgx-h100/x3?bmc=malformed", "bmc-r1", "r1", 22));
            rows.add(row("no-secret", "twin://hgx-h100/x4", "bmc-r9", "r1", 23));
            rows.add(row("l40s", "twin://l40s-4x/x5", "bmc-r1", "r2", 24));

            // a manifest with one BMC twice is refused as a whole, naming both rows
            List<String> twice = new ArrayList<>(rows);
            twice.add(row("copy", "twin://hgx-h100/r2-1", "bmc-r1", "r2", 30));
            assertError(s.admin("POST", "/api/v1/dockbatches", batch(twice)), 422,
                    "spec.machines[17].bmc", "duplicates spec.machines[0].bmc (twin://hgx-h100/r2-1)");

            create(s, "/api/v1/dockbatches", batch(rows));
            // while it runs the status forecasts the end, by the world's clock
            JsonNode running = s.awaitAdvancing(() -> get(s, "/api/v1/dockbatches/rack-a").path("status"), st -> st.has("eta"),
                    Duration.ofSeconds(0), "a forecast");
            java.time.Duration left = java.time.Duration.parse(running.path("remaining").asText());
            // one machine's path is 67 min (power-on 4, inspect 6, burn-in 33, install 18, join 6); seven machines in a
            // rack of three burn-ins at once take three rounds
            assertThat(left).as("13 machines, 2 racks of 3 burn-ins at once, at nominal times").isBetween(
                    java.time.Duration.ofMinutes(10 + 3 * 33 + 18 + 6), java.time.Duration.ofHours(4));
            java.time.Duration drift = java.time.Duration.between(s.server().twin().clock().instant().plus(left),
                    java.time.Instant.parse(running.path("eta").asText()));
            assertThat(drift.abs()).as("eta = the world's now + remaining").isLessThan(java.time.Duration.ofSeconds(1));
            JsonNode done = s.awaitAdvancing(() -> get(s, "/api/v1/dockbatches/rack-a").path("status"),
                    st -> st.has("finishedAt"), Duration.ofMinutes(3), "the batch settles");

            assertThat(done.path("phase").asText()).isEqualTo("CompletedWithFailures");
            assertThat(done.path("joined").asInt()).isEqualTo(11);
            assertThat(done.path("quarantined").asInt()).isEqualTo(2);
            assertThat(done.path("failed").asInt()).isEqualTo(4);
            JsonNode poolNow = get(s, "/api/v1/nodepools/new");
            List<String> members = new ArrayList<>();
            poolNow.path("spec").path("machines").forEach(m -> members.add(m.asText()));
            assertThat(members).hasSize(11).doesNotContain("n5", "l40s", "unreachable", "wrong-creds", "garbled", "no-secret");

            JsonNode n5 = lifecycle(s, "n5");
            assertThat(n5.path("state").asText()).isEqualTo("Quarantined");
            assertThat(n5.path("reason").asText()).startsWith("NCCL all-reduce bus bandwidth ").contains("(at least 400.0)");
            assertThat(n5.path("evidence").toString()).contains("DCGM r2: 8 GPUs passed", "NVLink: 144/144 links up");
            assertThat(reason(s, "l40s")).isEqualTo("inventory contradicts the order: expected 8 GPUs, the BMC reports 4; "
                    + "GPU 0 is NVIDIA L40S, expected H100 80GB; GPU 0 has 48 GiB, expected 80");
            assertThat(reason(s, "unreachable")).isEqualTo("power on failed 3 times: BMC does not answer");
            assertThat(reason(s, "wrong-creds")).isEqualTo("power on failed, not retried: HTTP 401 Unauthorized from the BMC: the credentials were refused");
            assertThat(reason(s, "garbled")).startsWith("power on failed 3 times: the BMC answered malformed JSON");
            assertThat(reason(s, "no-secret")).isEqualTo("credentials secret bmc-r9 does not exist (PlatformSecret)");

            JsonNode n1 = lifecycle(s, "n1");
            assertThat(n1.path("state").asText()).isEqualTo("Joined");
            assertThat(n1.path("entered").has("Validating")).isTrue();
            assertThat(n1.path("entered").has("Deployed")).isTrue();
            Twin twin = s.server().twin();
            assertThat(twin.installedPacks("n1")).containsEntry("kubernetes", "1.33.4").containsEntry("ubuntu", "24.04");
            for (int i = 1; i <= 12; i++) {
                if (i == 5) continue;
                assertThat(twin.operations("n" + i).stream().filter(o -> o.kind().startsWith("check:")).map(o -> o.kind()))
                        .as("n%d ran each check once", i).containsExactly("check:inspect", "check:dcgm-r2", "check:nvlink", "check:infiniband",
                                "check:nccl", "check:stress");
            }
            assertThat(twin.operations("n5")).noneMatch(o -> o.kind().equals("install"));
            assertThat(done.path("problems").toString()).contains("\"machine\":\"n5\"", "\"state\":\"Quarantined\"");
        }
    }

    private static JsonNode lifecycle(TestServer s, String machine) {
        return get(s, "/api/v1/machines/" + machine).path("status").path("lifecycle");
    }

    private static String reason(TestServer s, String machine) {
        return lifecycle(s, machine).path("reason").asText();
    }

    static String row(String name, String bmc, String credentials, String rack, int position) {
        return "{\"name\":\"%s\",\"bmc\":\"%s\",\"credentialsRef\":\"%s\",\"rack\":\"%s\",\"position\":%d}".formatted(name, bmc, credentials, rack, position);
    }

    static String batch(List<String> rows) {
        return """
                {"kind":"DockBatch","metadata":{"name":"rack-a"},"spec":{"site":"muc","pool":"new",
                 "expected":{"gpuModel":"H100 80GB","gpuCount":8,"gpuMemoryGiB":80,"firmware":{"BIOS":"2.4.1"}},
                 "gates":[{"check":"dcgm","level":2},{"check":"nvlink"},{"check":"infiniband","minRateGbps":400},{"check":"nccl"},
                          {"check":"stress","minutes":15}],
                 "limits":{"perBmcNetwork":4,"perRackPower":3,"perImageServer":4},
                 "machines":[%s]}}""".formatted(String.join(",", rows));
    }
}
