package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.PowerAction;
import dev.millwright.infra.redfish.RedfishException.Failure;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the client does when the BMC misbehaves: every answer here is over real HTTP from a {@link TestBmc}. */
class RedfishFaultsTest {
    static List<String> mockups() {
        return TestBmc.MOCKUPS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void aSessionDroppedMidwayIsOpenedAgainOnceAndTheRequestRepeated(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            client.inventory();
            bmc.faults().dropSessions();
            client.inventory();

            List<TestBmc.Request> logins = bmc.requests().stream().filter(r -> r.method().equals("POST") && r.path().contains("Sessions")).toList();
            assertThat(logins).extracting(TestBmc.Request::status).containsExactly(201, 201);
            assertThat(bmc.requests()).filteredOn(r -> r.status() == 401).hasSize(1);
            assertThat(bmc.requests()).filteredOn(r -> !r.path().contains("Sessions") && !r.path().equalsIgnoreCase("/redfish/v1/"))
                    .allSatisfy(r -> assertThat(r.auth()).isEqualTo("session"));
        }
    }

    @Test
    void aBmcThatRefusesTheNewSessionTooIsDeniedAfterOneTry() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            client.system();
            bmc.faults().dropSessions().failNext(1, 401, "GET", "/Systems/");
            assertThatThrownBy(client::health).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.DENIED);
                assertThat(e.getMessage()).contains("refused GET /redfish/v1/Systems/437XR1238R2 as admin (401");
            });
            assertThat(bmc.requests()).filteredOn(r -> r.method().equals("POST") && r.path().contains("Sessions")).hasSize(2);
        }
    }

    @Test
    void aBmcWithoutSessionsGetsBasicAuthentication() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).basicOnly().start(); RedfishBmc client = Bmcs.connect(bmc)) {
            assertThat(client.inventory().inventory().gpus()).hasSize(2);
            assertThat(bmc.requests()).filteredOn(r -> r.path().contains("/Systems")).allSatisfy(r -> assertThat(r.auth()).isEqualTo("basic"));
        }
    }

    @Test
    void wrongCredentialsAreDeniedNamingTheUserAndNeverThePassword() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start();
             RedfishBmc client = RedfishBmc.connect(Bmcs.connection(bmc.url()).withCredentials("admin", "hunter2"))) {
            assertThatThrownBy(client::inventory).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.DENIED);
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).isEqualTo("BMC " + bmc.url() + " refused the credentials of user admin (401 on POST /redfish/v1/SessionService/Sessions)")
                        .doesNotContain("hunter2");
            });
        }
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).basicOnly().start();
             RedfishBmc client = RedfishBmc.connect(Bmcs.connection(bmc.url()).withCredentials("admin", "hunter2"))) {
            assertThatThrownBy(client::inventory).isInstanceOfSatisfying(RedfishException.class,
                    e -> assertThat(e.getMessage()).contains("as admin (401, credentials not accepted)").doesNotContain("hunter2"));
        }
    }

    @Test
    void noCredentialsForABmcThatWantsThemIsDenied() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start(); RedfishBmc client = RedfishBmc.connect(BmcConnection.of(bmc.url()))) {
            assertThatThrownBy(client::inventory).isInstanceOfSatisfying(RedfishException.class,
                    e -> assertThat(e.getMessage()).contains("refused GET /redfish/v1/Systems without credentials (401"));
        }
    }

    @Test
    void fiveHundredsAreRetriedWithBackoffUpToTheLimitThenReportedWithTheBmcsMessage() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            client.system();
            bmc.faults().failNext(2, 503, "GET", "/Systems/");
            assertThat(client.health().reachable()).isTrue();
            assertThat(bmc.requests()).filteredOn(r -> r.path().endsWith("/Systems/437XR1238R2")).extracting(TestBmc.Request::status)
                    .endsWith(503, 503, 200);

            bmc.faults().failNext(5, 500, "GET", "/Systems/");
            long start = System.nanoTime();
            assertThatThrownBy(client::health).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.HTTP_ERROR);
                assertThat(e.status()).isEqualTo(500);
                assertThat(e.getMessage()).contains("GET /redfish/v1/Systems/437XR1238R2 failed: HTTP 500: injected fault");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("3 tries, 20 + 40 ms apart").isLessThan(Duration.ofSeconds(2));
            assertThat(bmc.requests()).filteredOn(r -> r.status() == 500).hasSize(3);
        }
    }

    @Test
    void anActionIsNotRepeatedAfterA500ButIsAfterA503() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            bmc.faults().failNext(1, 500, "POST", "ComputerSystem.Reset");
            assertThatThrownBy(() -> client.reset(PowerAction.OFF)).isInstanceOf(RedfishException.class);
            bmc.faults().failNext(1, 503, "POST", "ComputerSystem.Reset");
            assertThat(client.reset(PowerAction.OFF)).contains("GracefulShutdown");
            assertThat(bmc.requests()).filteredOn(r -> r.path().endsWith("ComputerSystem.Reset")).extracting(TestBmc.Request::status)
                    .containsExactly(500, 503, 204);
        }
    }

    @Test
    void aBmcSlowerThanTheTimeoutIsATimeoutWithinAboutOneTimeout() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start();
             RedfishBmc client = RedfishBmc.connect(Bmcs.connection(bmc.url()).withTimeout(Duration.ofMillis(300)))) {
            client.system();
            bmc.faults().delayNext(1, "/Systems/437XR1238R2", Duration.ofSeconds(3));
            long start = System.nanoTime();
            assertThatThrownBy(client::health).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.TIMEOUT);
                assertThat(e.getMessage()).isEqualTo("BMC " + bmc.url() + " did not answer GET /redfish/v1/Systems/437XR1238R2 within 300 ms");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void malformedJsonIsReportedWithTheRequestAndWhereTheJsonBroke(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            bmc.faults().malformed(1, "/redfish/v1/Systems");
            assertThatThrownBy(client::inventory).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.MALFORMED);
                assertThat(e.getMessage()).startsWith("BMC " + bmc.url() + " answered GET /redfish/v1/Systems with malformed JSON: ")
                        .contains("(line 1, column ");
            });
        }
    }

    @Test
    void aPortNobodyListensOnIsUnreachableAfterTheRetries() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (RedfishBmc client = RedfishBmc.connect(Bmcs.connection("http://127.0.0.1:" + port))) {
            assertThatThrownBy(client::inventory).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.UNREACHABLE);
                assertThat(e.getMessage()).startsWith("cannot reach BMC http://127.0.0.1:" + port + " (GET /redfish/v1/, 3 tries): ")
                        .contains("ConnectException");
            });
        }
    }

    @Test
    void aMissingSystemIsNamedWithTheOnesTheBmcHas() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start();
             RedfishBmc client = RedfishBmc.connect(Bmcs.connection(bmc.url()), "Node7")) {
            assertThatThrownBy(client::inventory).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.NOT_FOUND);
                assertThat(e.getMessage()).isEqualTo("BMC " + bmc.url() + " has no system \"Node7\"; it lists Node0, Node1");
            });
        }
    }

    @Test
    void missingOptionalResourcesAreNamedAndTheRestIsStillRead() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            bmc.edit("/redfish/v1/Systems/437XR1238R2", s -> s.remove(List.of("Memory", "MemorySummary", "EthernetInterfaces")));
            bmc.remove("/redfish/v1/UpdateService");
            try (RedfishBmc client = Bmcs.connect(bmc)) {
                InventoryReport report = client.inventory();
                assertThat(report.inventory().gpus()).hasSize(2);
                assertThat(report.inventory().memoryGiB()).isZero();
                assertThat(report.inventory().firmware()).containsExactly(new dev.millwright.infra.Inventory.Firmware("BIOS", "P79 v1.95 (12/06/2019)"));
                assertThat(report.missing()).containsExactly(
                        "MemorySummary and Memory: the machine's memory is unknown (0)",
                        "EthernetInterfaces: the host's network interfaces are not listed",
                        "UpdateService FirmwareInventory: firmware versions come from the system's BiosVersion only");
            }
        }
    }

    @Test
    void aCollectionSplitIntoPagesIsReadToTheLastPage() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            String processors = "/redfish/v1/Systems/437XR1238R2/Processors";
            var all = (com.fasterxml.jackson.databind.node.ArrayNode) bmc.resource(processors).get("Members");
            assertThat(all).hasSize(10);
            var second = dev.millwright.resource.Json.object().put("@odata.id", processors + "?$skip=6");
            second.putArray("Members").addAll(List.of(all.get(6), all.get(7), all.get(8), all.get(9)));
            bmc.put(processors + "?$skip=6", second);
            bmc.edit(processors, c -> {
                var members = (com.fasterxml.jackson.databind.node.ArrayNode) c.get("Members");
                while (members.size() > 6) members.remove(6);
                c.put("Members@odata.nextLink", processors + "?$skip=6");
            });
            try (RedfishBmc client = Bmcs.connect(bmc)) {
                var inv = client.inventory().inventory();
                assertThat(inv.sockets()).isEqualTo(8);
                assertThat(inv.gpus()).hasSize(2);
            }
        }
    }

    @Test
    void anEndpointWithoutARedfishServiceSaysSo() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            bmc.remove("/redfish/v1");
            assertThatThrownBy(client::inventory).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.NOT_SUPPORTED);
                assertThat(e.getMessage()).isEqualTo("no Redfish service at " + bmc.url() + ": GET /redfish/v1/ answered 404");
            });
        }
    }
}
