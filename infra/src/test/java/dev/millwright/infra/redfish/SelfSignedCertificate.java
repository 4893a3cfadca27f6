package dev.millwright.infra.redfish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's own keytool (no network,
 * nothing downloaded): the key store a test BMC serves HTTPS with, and the certificate as a PEM file, which is what an
 * operator hands the client as its trust store.
 */
public final class SelfSignedCertificate {
    private static final String PASSWORD = "test-bmc";
    private final Path keyStore;
    private final Path pem;

    private SelfSignedCertificate(Path keyStore, Path pem) {
        this.keyStore = keyStore;
        this.pem = pem;
    }

    /** Makes a fresh key pair and certificate for localhost and 127.0.0.1 in {@code dir}. */
    public static SelfSignedCertificate create(Path dir) {
        return create(dir, "dns:localhost,ip:127.0.0.1");
    }

    /** Makes a certificate for other names ({@code "dns:bmc.example"}): one that does not match the test BMC's address. */
    public static SelfSignedCertificate create(Path dir, String subjectAlternativeNames) {
        String name = "bmc-" + Integer.toHexString(subjectAlternativeNames.hashCode());
        Path store = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + "-ca.pem");
        keytool("-genkeypair", "-alias", "bmc", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=localhost, O=Millwright test BMC", "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "bmc", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-file", pem.toString());
        return new SelfSignedCertificate(store, pem);
    }

    /** The certificate, PEM-encoded: what {@code --ca-file} takes. */
    public Path pemFile() {
        return pem;
    }

    SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the test BMC's key store: " + e.getMessage(), e);
        }
    }

    private static void keytool(String... args) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + keytool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
