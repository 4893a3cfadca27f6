package dev.millwright.infra.redfish;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The TLS trust a {@link BmcConnection} asks for: the JDK's, an operator's PEM file, or none at all (labs). */
final class RedfishTls {
    private RedfishTls() {
    }

    static SSLContext context(BmcConnection c) {
        try {
            if (c.insecure()) return withTrustManagers(new TrustManager[] {new TrustAnything()});
            if (c.caFile() != null) return withTrustManagers(fromPem(c.caFile()));
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static SSLContext withTrustManagers(TrustManager[] managers) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, managers, new SecureRandom());
        return ctx;
    }

    /** Trusts exactly the certificates in the file; the host name is still checked against the BMC's certificate. */
    private static TrustManager[] fromPem(Path pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CA file " + pem + ": " + e.getMessage(), e);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("the CA file " + pem + " holds no readable PEM certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) throw new IllegalArgumentException("the CA file " + pem + " holds no PEM certificate");
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (Certificate cert : certs) store.setCertificateEntry("ca-" + i++, cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    /**
     * Accepts every certificate. An extended trust manager on purpose: the JDK checks the host name inside the
     * extended checks, so this one also skips that, where a plain X509TrustManager would still be wrapped with it.
     */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
