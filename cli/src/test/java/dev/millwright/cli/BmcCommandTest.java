package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.redfish.SelfSignedCertificate;
import dev.millwright.infra.redfish.TestBmc;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code millwright bmc inspect} against test BMCs serving the real Redfish mockups, over HTTP and HTTPS on loopback. */
class BmcCommandTest {
    @TempDir
    static Path dir;
    static Path passwordFile;
    static SelfSignedCertificate cert;

    /** GPUs per mockup, read off the mockup JSON (see infra's RedfishInventoryTest): count, model, GiB each. */
    static final Map<String, List<Object>> GPUS = Map.of(
            TestBmc.RACKMOUNT, List.of(0, "", 0),
            TestBmc.TOWER, List.of(2, "NVIDIA TU102", 11),
            TestBmc.CRAY_A100, List.of(4, "NVIDIA A100-SXM4-40GB", 40));

    @BeforeAll
    static void setUp() throws IOException {
        passwordFile = Files.writeString(dir.resolve("bmc-password"), TestBmc.PASSWORD + "\n");
        cert = SelfSignedCertificate.create(dir);
    }

    static List<String> mockups() {
        return TestBmc.MOCKUPS;
    }

    private static Cli.Result inspect(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("bmc", "inspect", url, "--username", TestBmc.USER, "--password-file", passwordFile.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void printsTheMachineInventoryAsJsonWithEachGpusModelAndMemory(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start()) {
            Cli.Result r = inspect(bmc.url(), "-o", "json");
            assertThat(r.exit()).as(r.toString()).isZero();
            JsonNode json = Json.tree(r.out());
            List<Object> want = GPUS.get(tree);
            assertThat(json.path("gpuCount").asInt()).isEqualTo(want.get(0));
            assertThat(json.path("gpus")).hasSize((Integer) want.get(0)).allSatisfy(g -> {
                assertThat(g.path("model").asText()).isEqualTo(want.get(1));
                assertThat(g.path("memoryGiB").asInt()).isEqualTo(want.get(2));
                assertThat(g.path("source").asText()).contains("/Processors/");
            });
            assertThat(json.path("cpu").path("model").asText()).isNotBlank();
            assertThat(json.path("memoryGiB").asInt()).isPositive();
            assertThat(json.path("missing").isArray()).isTrue();
            assertThat(json.path("warnings").isArray()).isTrue();
            assertThat(json.path("firmware")).isNotEmpty();
            assertThat(r.out()).doesNotContain(TestBmc.PASSWORD);
        }
    }

    @Test
    void printsAReadableSummaryByDefault() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start()) {
            Cli.Result r = inspect(bmc.url());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("system Node0 (of Node0, Node1)")
                    .contains("CPU        1 x AMD EPYC 7713 64-Core Processor, 64 cores")
                    .contains("Memory     256 GiB")
                    .contains("GPUs       4 (4x A100-SXM4-40GB)")
                    .contains("  0  NVIDIA A100-SXM4-40GB  40 GiB  MIG  serial 1322520068320")
                    .contains("Warnings\n  - this BMC manages 2 systems (Node0, Node1)");
        }
    }

    @Test
    void readsTheSystemNamedBySystemOrInTheUrl() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start()) {
            for (Cli.Result r : List.of(inspect(bmc.url(), "--system", "Node1", "-o", "json"),
                    inspect(bmc.url() + "/redfish/v1/Systems/Node1", "-o", "json"))) {
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(Json.tree(r.out()).path("system").asText()).isEqualTo("Node1");
            }
            Cli.Result missing = inspect(bmc.url(), "--system", "Node9");
            assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(missing.err()).contains("has no system \"Node9\"; it lists Node0, Node1");
        }
    }

    @Test
    void readsOverHttpsTrustingTheCaFileOrInsecureAndRefusesOtherwiseWithATlsError() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).https(cert).start()) {
            Cli.Result trusted = inspect(bmc.url(), "--ca-file", cert.pemFile().toString(), "-o", "json");
            assertThat(trusted.exit()).as(trusted.toString()).isZero();
            assertThat(Json.tree(trusted.out()).path("gpuCount").asInt()).isEqualTo(2);

            Cli.Result insecure = inspect(bmc.url(), "--insecure", "-o", "json");
            assertThat(insecure.exit()).as(insecure.toString()).isZero();

            Cli.Result refused = inspect(bmc.url());
            assertThat(refused.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).startsWith("error: TLS with BMC " + bmc.url() + " failed: ")
                    .contains("trust the BMC's certificate with --ca-file PEM, or skip the check with --insecure (labs only)");

            assertThat(inspect(bmc.url(), "--insecure", "--ca-file", cert.pemFile().toString()).exit()).isEqualTo(ExitCodes.USAGE);
        }
    }

    @Test
    void wrongCredentialsAreDeniedWithoutShowingThePassword() throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong"), "hunter2\n");
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            Cli.Result r = Cli.run("bmc", "inspect", bmc.url(), "-u", "admin", "--password-file", wrong.toString());
            assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
            assertThat(r.err()).contains("refused the credentials of user admin").doesNotContain("hunter2");
            Cli.Result anonymous = Cli.run("bmc", "inspect", bmc.url());
            assertThat(anonymous.exit()).isEqualTo(ExitCodes.DENIED);
            assertThat(anonymous.err()).contains("without credentials").endsWith("pass --username and a password\n");
        }
    }

    @Test
    void anUnreachableBmcIsExitCodeSevenAndAMalformedOneIsAClearError() throws IOException {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Cli.Result gone = inspect("http://127.0.0.1:" + port, "--timeout", "2");
        assertThat(gone.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(gone.err()).startsWith("error: cannot reach BMC http://127.0.0.1:" + port).contains("connection refused");

        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            bmc.faults().malformed(1, "/redfish/v1/Systems/437XR1238R2/Processors");
            Cli.Result bad = inspect(bmc.url());
            assertThat(bad.exit()).isEqualTo(ExitCodes.ERROR);
            assertThat(bad.err()).startsWith("error: BMC " + bmc.url() + " answered GET /redfish/v1/Systems/437XR1238R2/Processors with malformed JSON");
        }
        assertThat(Cli.run("bmc", "inspect", "bmc.example:443").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anInventoryThatContradictsTheExpectedHardwareIsExitCodeTen() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start()) {
            Cli.Result count = inspect(bmc.url(), "--expect-gpus", "8", "-o", "json");
            assertThat(count.exit()).isEqualTo(ExitCodes.INVENTORY_MISMATCH);
            assertThat(Json.tree(count.out()).path("gpuCount").asInt()).as("the inventory is still printed").isEqualTo(4);
            assertThat(count.err()).isEqualTo("error: the BMC shows 4 GPUs (4x A100-SXM4-40GB), not the 8 expected\n");

            Cli.Result model = inspect(bmc.url(), "--expect-gpu-model", "H100 80GB");
            assertThat(model.exit()).isEqualTo(ExitCodes.INVENTORY_MISMATCH);
            assertThat(model.err()).contains("the BMC shows NVIDIA A100-SXM4-40GB GPUs, not H100 80GB");

            assertThat(inspect(bmc.url(), "--expect-gpus", "4", "--expect-gpu-model", "A100").exit()).isZero();
        }
    }

    @Test
    void takesThePasswordFromTheNamedEnvironmentVariable() throws Exception {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start()) {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "bmc", "inspect", bmc.url(), "-u", TestBmc.USER,
                    "--password-env", "TEST_BMC_SECRET", "-o", "json");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
            pb.environment().put("TEST_BMC_SECRET", TestBmc.PASSWORD);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(err).isZero();
            assertThat(Json.tree(out).path("gpuCount").asInt()).isEqualTo(2);

            Cli.Result unset = Cli.run("bmc", "inspect", bmc.url(), "-u", TestBmc.USER, "--password-env", "NO_SUCH_VARIABLE_FOR_MILLWRIGHT");
            assertThat(unset.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(unset.err()).contains("user admin needs a password: set NO_SUCH_VARIABLE_FOR_MILLWRIGHT");
        }
    }
}
