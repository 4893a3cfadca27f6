package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.redfish.RedfishException.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to a BMC with a self-signed certificate made for the test: trusted by a PEM file, or not checked at all. */
class RedfishTlsTest {
    @TempDir
    static Path dir;
    static SelfSignedCertificate cert;

    @BeforeAll
    static void makeCertificate() {
        cert = SelfSignedCertificate.create(dir);
    }

    @Test
    void readsTheBmcOverHttpsTrustingTheOperatorsPemFile() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).https(cert).start();
             RedfishBmc client = RedfishBmc.connect(Bmcs.connection(bmc.url()).withCaFile(cert.pemFile()))) {
            assertThat(bmc.url()).startsWith("https://");
            assertThat(client.inventory().inventory().gpus()).hasSize(2);
        }
    }

    @Test
    void readsTheBmcOverHttpsWithoutCheckingWhenToldInsecure() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).https(cert).start();
             RedfishBmc client = RedfishBmc.connect(Bmcs.connection(bmc.url().replace("127.0.0.1", "localhost")).withInsecure(true))) {
            assertThat(client.inventory().inventory().gpus()).hasSize(2);
        }
    }

    @Test
    void refusesAnUntrustedCertificateWithATlsFailure() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).https(cert).start();
             RedfishBmc client = RedfishBmc.connect(Bmcs.connection(bmc.url()))) {
            assertThatThrownBy(client::inventory).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.TLS);
                assertThat(e.getMessage()).startsWith("TLS with BMC " + bmc.url() + " failed: ").contains("PKIX");
            });
            assertThat(bmc.requests()).as("nothing, credentials least of all, went over the untrusted connection").isEmpty();
        }
    }

    @Test
    void aTrustedCertificateIssuedForAnotherNameIsRefusedUnlessInsecure() {
        SelfSignedCertificate elsewhere = SelfSignedCertificate.create(dir, "dns:bmc.example");
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).https(elsewhere).start();
             RedfishBmc checked = RedfishBmc.connect(Bmcs.connection(bmc.url()).withCaFile(elsewhere.pemFile()));
             RedfishBmc insecure = RedfishBmc.connect(Bmcs.connection(bmc.url()).withInsecure(true))) {
            assertThatThrownBy(checked::inventory).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(Failure.TLS);
                assertThat(e.getMessage()).contains("127.0.0.1");
            });
            assertThat(insecure.system()).isEqualTo("437XR1238R2");
        }
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsRefusedBeforeAnyConnection() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThatThrownBy(() -> RedfishBmc.connect(BmcConnection.of("https://127.0.0.1:1").withCaFile(junk)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("junk.pem").hasMessageContaining("no");
        assertThatThrownBy(() -> BmcConnection.of("https://bmc").withCaFile(junk).withInsecure(true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("choose either a CA file to trust or insecure, not both");
    }
}
