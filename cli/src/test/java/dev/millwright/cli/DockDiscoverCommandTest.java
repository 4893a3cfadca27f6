package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.infra.redfish.TestBmc;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dock discover} over a loopback range with two test BMCs (the DMTF tower and the HPE Cray EX235n
 * mockups) on two ports: both found with their GPUs, every other address and port counted as silent, and the
 * manifest printed is one {@code dock import} reads.
 */
class DockDiscoverCommandTest {
    @TempDir
    Path dir;

    @Test
    void findsTheBmcsOfARangeAndPrintsAManifestDockImportReads() throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), TestBmc.PASSWORD + "\n");
        Path wrong = Files.writeString(dir.resolve("wrong"), "nope\n");
        try (TestBmc tower = TestBmc.serving(TestBmc.TOWER).start(); TestBmc cray = TestBmc.serving(TestBmc.CRAY_A100).start()) {
            String p1 = Integer.toString(URI.create(tower.url()).getPort());
            String p2 = Integer.toString(URI.create(cray.url()).getPort());
            Cli.Result r = Cli.run("dock", "discover", "127.0.0.0/30", "--http", "--port", p1, "--port", p2, "--username", TestBmc.USER,
                    "--password-file", password.toString(), "--credentials", "bmc-lab", "--rack", "r1", "--timeout", "2");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out().lines()).containsExactly("name,bmc,credentials,rack,position",
                    "bmc-127-0-0-1-" + p1 + ",http://127.0.0.1:" + p1 + ",bmc-lab,r1,1",
                    "bmc-127-0-0-1-" + p2 + ",http://127.0.0.1:" + p2 + ",bmc-lab,r1,2");
            assertThat(r.err()).contains("2x NVIDIA TU102", "4x NVIDIA A100-SXM4-40GB", "2 BMCs found; 6 addresses answered no Redfish service");

            Path manifest = Files.writeString(dir.resolve("rack.csv"), r.out());
            assertThat(DockManifest.read(manifest)).hasSize(2);

            // a BMC that refuses the credentials is still listed, with why, so the operator can fix them
            Cli.Result refused = Cli.run("dock", "discover", "127.0.0.1/32", "--http", "--port", p1, "--username", TestBmc.USER,
                    "--password-file", wrong.toString(), "--timeout", "2");
            assertThat(refused.out().lines()).hasSize(2);
            assertThat(refused.err()).contains("credentials refused");
        }
        assertThat(Cli.run("dock", "discover", "10.0.0.0/8").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(Cli.run("dock", "discover", "not-a-range").err()).contains("is not an IPv4 range");
    }
}
