package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Shows who the configured token belongs to and its roles. */
@Command(name = "whoami", description = "Show the caller's identity and roles.")
final class WhoamiCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() {
        ApiClient api = client.client();
        JsonNode me = api.get("/api/v1/whoami");
        System.out.println(me.path("identity").asText() + (me.path("platformAdmin").asBoolean() ? " (platform admin)" : "") + " at " + api.server());
        me.path("tenants").fields().forEachRemaining(e -> System.out.println("  " + e.getKey() + ": " + e.getValue().asText()));
        return ExitCodes.OK;
    }
}
