package dev.millwright.infra.redfish;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach one BMC: where, as whom, and what to trust. Checked when built, so a bad URL or a contradictory TLS
 * setting is refused before any connection is made.
 *
 * @param endpoint {@code http://} or {@code https://} host and port, optionally with a path: {@code /redfish/v1}, or
 *                 {@code /redfish/v1/Systems/<id>} to name one system of a BMC that manages several
 * @param username null for a BMC that needs no credentials (rare; the service root is always readable)
 * @param password never printed: {@link #toString()} leaves it out
 * @param caFile PEM file of the certificates to trust for https (the operator's trust store); null for the JDK's
 * @param insecure trust any certificate and skip the host name check, for labs with self-signed BMCs
 * @param timeout per request: connect and answer
 * @param attempts tries of one request when the BMC answers 5xx or the connection drops (1 = no retry)
 * @param backoff wait before the second try, doubled before each later one; a Retry-After header lengthens a wait
 *                up to 10 s
 */
public record BmcConnection(URI endpoint, String username, String password, Path caFile, boolean insecure,
                            Duration timeout, int attempts, Duration backoff) {
    /** Per request, connect plus answer: BMCs are slow, but a minute means it is gone. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);

    public BmcConnection {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("BMC endpoint must start with http:// or https://, not " + endpoint);
        }
        if (endpoint.getHost() == null) throw new IllegalArgumentException("BMC endpoint names no host: " + endpoint);
        if (insecure && caFile != null) {
            throw new IllegalArgumentException("choose either a CA file to trust or insecure, not both");
        }
        if (password != null && username == null) throw new IllegalArgumentException("a password needs a username");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("timeout must be positive");
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
        Objects.requireNonNull(backoff, "backoff");
        if (backoff.isNegative()) throw new IllegalArgumentException("backoff must not be negative");
    }

    /** An endpoint with the defaults: no credentials, the JDK's trust store, 30 s timeout, 3 attempts. */
    public static BmcConnection of(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url + " (" + e.getReason() + ")");
        }
        return new BmcConnection(uri, null, null, null, false, DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF);
    }

    public BmcConnection withCredentials(String user, String secret) {
        return new BmcConnection(endpoint, user, secret, caFile, insecure, timeout, attempts, backoff);
    }

    public BmcConnection withCaFile(Path pem) {
        return new BmcConnection(endpoint, username, password, pem, insecure, timeout, attempts, backoff);
    }

    public BmcConnection withInsecure(boolean trustAnything) {
        return new BmcConnection(endpoint, username, password, caFile, trustAnything, timeout, attempts, backoff);
    }

    public BmcConnection withTimeout(Duration perRequest) {
        return new BmcConnection(endpoint, username, password, caFile, insecure, perRequest, attempts, backoff);
    }

    public BmcConnection withRetries(int tries, Duration firstBackoff) {
        return new BmcConnection(endpoint, username, password, caFile, insecure, timeout, tries, firstBackoff);
    }

    /** {@code scheme://host:port}, without the path. */
    String origin() {
        return endpoint.getScheme().toLowerCase(Locale.ROOT) + "://" + endpoint.getRawAuthority();
    }

    /** The system the endpoint's path names ({@code /redfish/v1/Systems/<id>}), or null. */
    String systemInPath() {
        String path = endpoint.getPath() == null ? "" : endpoint.getPath();
        String lower = path.toLowerCase(Locale.ROOT);
        int at = lower.indexOf("/redfish/v1/systems/");
        if (at < 0) return null;
        String rest = path.substring(at + "/redfish/v1/systems/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? null : id;
    }

    @Override
    public String toString() {
        return origin() + (username == null ? "" : " as " + username) + (insecure ? " (insecure)" : "")
                + (caFile == null ? "" : " trusting " + caFile);
    }
}
