package dev.millwright.infra.redfish;

import java.time.Duration;

/** Clients for a {@link TestBmc}: its credentials, a short timeout and quick retries, so fault tests run fast. */
final class Bmcs {
    private Bmcs() {
    }

    static BmcConnection connection(String url) {
        return BmcConnection.of(url).withCredentials(TestBmc.USER, TestBmc.PASSWORD)
                .withTimeout(Duration.ofSeconds(5)).withRetries(3, Duration.ofMillis(20));
    }

    static RedfishBmc connect(TestBmc bmc) {
        return RedfishBmc.connect(connection(bmc.url()));
    }
}
