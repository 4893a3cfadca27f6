package dev.millwright.infra.twin;

import static dev.millwright.infra.twin.TwinFixtures.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.CheckReport;
import dev.millwright.infra.Health;
import dev.millwright.infra.Health.NodeState;
import dev.millwright.infra.Health.PowerState;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A twin served over loopback HTTP is the same world as one called in-process: same calls, same answers. */
class RemoteTwinTest {
    private static final FaultRates FREQUENT = new FaultRates(
            FaultRates.REALISTIC.machineDeath() * 100, FaultRates.REALISTIC.gpuXid() * 100,
            FaultRates.REALISTIC.bmcUnreachable() * 100, FaultRates.REALISTIC.slowNode() * 100,
            FaultRates.REALISTIC.burnInFailure() * 10);

    private static Twin twin() {
        return Twin.builder().seed(7).faults(FREQUENT).gateFailures(new GateRates(0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2)).build();
    }

    private static TwinServer serve(Twin twin) {
        return TwinServer.start(twin, 0, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /**
     * Half a day of bring-up, checks and work on a dozen machines, every method of the port used, each call
     * decided by what the port answered before (as a controller's are). Returns what the caller saw.
     */
    private static List<String> halfADay(Infrastructure port, Consumer<Duration> advance) {
        List<String> seen = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "node-" + i;
            if (i % 2 == 0) port.enroll(machine(name, i % 4 == 0 ? "hgx-h100" : "l40s-4x"));
            else port.enrollDelivered(machine(name, "hgx-h200"));
            names.add(name);
        }
        for (String n : names) seen.add(port.power(n, PowerAction.ON).toString());
        advance.accept(Duration.ofMinutes(10));
        List<Operation> checks = new ArrayList<>();
        for (String n : names) {
            seen.add(port.inventory(n).toString());
            checks.add(port.check(n, "inspect", null));
            checks.add(port.check(n, "stress", Duration.ofMinutes(20)));
        }
        advance.accept(Duration.ofMinutes(40));
        for (Operation c : checks) {
            Operation now = port.operation(c.id());
            seen.add(now.toString());
            if (now.state() == Operation.State.SUCCEEDED) {
                CheckReport r = port.checkReport(now.id());
                seen.add(r.toString());
            }
        }
        for (String n : names) {
            if (port.health(n).node() == NodeState.NONE && port.health(n).power() == PowerState.ON) port.install(n, BootSource.VIRTUAL_MEDIA, "ubuntu-24.04");
        }
        advance.accept(Duration.ofMinutes(30));
        for (String layer : List.of("gpu-driver", "cuda", "kubernetes")) {
            for (String n : names) {
                if (port.health(n).node() == NodeState.OS) seen.add(port.installPack(n, layer, "1").toString());
            }
            advance.accept(Duration.ofMinutes(15));
        }
        for (int hour = 0; hour < 10; hour++) {
            for (String n : names) {
                Health h = port.health(n);
                seen.add(h.toString());
                if (h.node() != NodeState.READY) continue;
                seen.add(port.installedPacks(n).toString());
                List<Integer> gpus = new ArrayList<>();
                for (int g = 0; g < port.inventory(n).gpus().size(); g++) gpus.add(g);
                String w = n + "-h" + hour;
                seen.add(port.startWorkload(new WorkloadPlacement(w, n, gpus, 500, gpus.size() * 1800.0)).toString());
                if (hour == 5) seen.add(port.drain(n, Duration.ofMinutes(2)).toString());
                if (hour == 6) seen.add(port.cordon(n).toString());
                if (hour == 7) seen.add(port.uncordon(n).toString());
                if (!h.healthy()) seen.add(port.power(n, PowerAction.RESTART).toString());
            }
            advance.accept(Duration.ofHours(1));
            for (String n : names) {
                try {
                    seen.add(port.gpuTelemetry(n).toString());
                } catch (UnreachableException e) {
                    seen.add("telemetry: " + e.getMessage());
                }
                WorkloadObservation o = port.workload(n + "-h" + hour);
                seen.add(o.toString());
                if (o.state() == WorkloadObservation.State.RUNNING) seen.add(port.stopWorkload(o.workload()).toString());
            }
        }
        seen.add(port.removePack("node-0", "cuda").toString());
        names.forEach(n -> seen.add(port.operations(n).toString()));
        port.release("node-11");
        seen.add(port.health("node-11").toString());
        return seen;
    }

    @Test
    void aServedTwinAnswersEveryCallAsTheTwinItself() {
        Twin local = twin();
        List<String> direct = halfADay(local, local::advance);

        Twin served = twin();
        try (TwinServer server = serve(served); RemoteTwin remote = RemoteTwin.connect(server.url())) {
            List<String> overHttp = halfADay(remote, served::advance);

            assertThat(overHttp).hasSize(direct.size()).isEqualTo(direct);
            assertThat(served.historyDigest()).isEqualTo(local.historyDigest());
            assertThat(local.history()).anySatisfy(l -> assertThat(l).contains("fault:"));
            assertThat(direct).anySatisfy(s -> assertThat(s).contains("FAILED"));
        }
    }

    @Test
    void theExceptionsOfThePortCrossOverAsThemselves() {
        Twin twin = twin();
        try (TwinServer server = serve(twin); RemoteTwin remote = RemoteTwin.connect(server.url())) {
            assertThatThrownBy(() -> remote.inventory("nobody")).isInstanceOf(UnreachableException.class)
                    .hasMessage("no BMC answers for machine nobody");
            assertThat(remote.health("nobody")).isEqualTo(Health.unreachable("machine nobody is not enrolled"));
            assertThatThrownBy(() -> remote.operation("op-404")).isInstanceOf(UnreachableException.class).hasMessageContaining("op-404");
            assertThatThrownBy(() -> twin.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            remote.enroll(machine("n1", "hgx-h100"));
            Operation unknownCheck = remote.check("n1", "smoke-signals", null);
            assertThat(unknownCheck.state()).isEqualTo(Operation.State.FAILED);
            assertThat(unknownCheck.message()).isEqualTo("unknown check smoke-signals");
        }
    }

    @Test
    void theTwinsOwnControlsAnswerOverHttpAndRefuseBadInputNamingTheField() throws Exception {
        Twin twin = twin();
        try (TwinServer server = serve(twin); RemoteTwin remote = RemoteTwin.connect(server.url())) {
            remote.enroll(machine("n1", "hgx-h100"));
            Instant start = twin.clock().instant();
            assertThat(post(server, "/v1/advance", "{\"seconds\": 3600}")).startsWith("200 ");
            assertThat(twin.clock().instant()).isEqualTo(start.plus(Duration.ofHours(1)));
            assertThat(post(server, "/v1/faults", "{\"machine\": \"n1\", \"fault\": \"gpu-xid\"}")).startsWith("200 ");
            assertThat(remote.health("n1").gpuFaults()).hasSize(1);

            long history = twin.historySize();
            assertThat(post(server, "/v1/advance", "{\"seconds\": -1}")).isEqualTo("400 {\"error\":\"IllegalArgument\",\"message\":\"seconds: must be a number of at least 0\"}");
            assertThat(post(server, "/v1/faults", "{\"machine\": \"n1\", \"fault\": \"gremlins\"}"))
                    .contains("400 ", "fault: must be one of machine-death, gpu-xid, bmc-unreachable, slow-node, got gremlins");
            assertThat(post(server, "/v1/port/power", "{\"machine\": \"n1\"}")).contains("400 ", "action: required text is missing");
            assertThat(post(server, "/v1/port/burnIn", "{\"machine\": \"n1\", \"length\": \"an hour\"}"))
                    .contains("400 ", "length: not an ISO-8601 duration: an hour");
            assertThat(post(server, "/v1/port/health", "{not json")).contains("400 ", "the body is not JSON");
            assertThat(post(server, "/v1/port/selfDestruct", "{}")).contains("501 ", "the port has no method selfDestruct");
            assertThat(twin.historySize()).as("nothing done by a refused call").isEqualTo(history);
        }
    }

    private static String post(TwinServer server, String path, String body) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(server.url().resolve(path))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void theClockFollowsTheTwinsAndNeverGoesBack() {
        Twin twin = twin();
        try (TwinServer server = serve(twin); RemoteTwin remote = RemoteTwin.connect(server.url())) {
            Instant start = remote.clock().instant();
            assertThat(start).isEqualTo(twin.clock().instant());
            twin.advance(Duration.ofHours(3));
            remote.health("anyone"); // every answer carries the twin's time
            assertThat(remote.clock().instant()).isEqualTo(start.plus(Duration.ofHours(3)));
            Instant before = remote.clock().instant();
            for (int i = 0; i < 1000; i++) {
                Instant now = remote.clock().instant();
                assertThat(now).isAfterOrEqualTo(before);
                before = now;
            }
        }
    }

    @Test
    void aTwinThatStoppedAnsweringMakesEveryMachineUnreachable() {
        Twin twin = twin();
        TwinServer server = serve(twin);
        URI url = server.url();
        RemoteTwin remote = RemoteTwin.connect(url);
        remote.enroll(machine("n1", "hgx-h100"));
        server.close();

        assertThat(remote.health("n1").reachable()).isFalse();
        assertThat(remote.health("n1").message()).startsWith("the twin at " + url + " does not answer");
        assertThatThrownBy(() -> remote.power("n1", PowerAction.ON)).isInstanceOf(UnreachableException.class)
                .hasMessageStartingWith("the twin at " + url + " does not answer");
        remote.close();

        assertThatThrownBy(() -> RemoteTwin.connect(url)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no twin answers at " + url);
        assertThatThrownBy(() -> RemoteTwin.connect(URI.create("https://127.0.0.1:1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("twin url must be http://HOST:PORT, got https://127.0.0.1:1");
    }
}
