package dev.millwright.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that talks to a server shares. */
final class ClientOptions {
    @Option(names = "--server", description = "API server URL (default: $MILLWRIGHT_SERVER, the config file, or " + ClientConfig.DEFAULT_SERVER + ")")
    String server;

    @Option(names = "--token", description = "bearer token (default: $MILLWRIGHT_TOKEN or the config file)")
    String token;

    @Option(names = "--config", description = "config file (default: $MILLWRIGHT_CONFIG, ./millwright-data/config.yaml, ~/.millwright/config.yaml)")
    Path config;

    ApiClient client() {
        return new ApiClient(ClientConfig.resolve(server, token, config, System.getenv()));
    }
}
