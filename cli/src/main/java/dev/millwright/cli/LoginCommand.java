package dev.millwright.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Saves a server URL and token to ~/.millwright/config.yaml (mode 0600), after checking that they work. */
@Command(name = "login", description = "Check a server and token, then save them in ~/.millwright/config.yaml.")
final class LoginCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "API server URL")
    String server;

    @Option(names = "--token", description = "bearer token (default: $MILLWRIGHT_TOKEN)")
    String token;

    @Option(names = "--config", description = "write here instead of ~/.millwright/config.yaml")
    Path config;

    @Override
    public Integer call() throws IOException {
        String t = token != null ? token : System.getenv("MILLWRIGHT_TOKEN");
        if (t == null || t.isBlank()) throw new CliException(ExitCodes.USAGE, "error: give --token or set MILLWRIGHT_TOKEN");
        ApiClient api = new ApiClient(new ClientConfig(server.endsWith("/") ? server.substring(0, server.length() - 1) : server, t, "login"));
        String identity = api.get("/api/v1/whoami").path("identity").asText();
        Path file = config != null ? config : ClientConfig.homeConfig(System.getenv());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, "server: " + api.server() + "\ntoken: " + t + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("logged in to " + api.server() + " as " + identity + "; saved in " + file);
        return ExitCodes.OK;
    }
}
