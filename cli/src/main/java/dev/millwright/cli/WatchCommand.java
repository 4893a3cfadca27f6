package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints changes to objects of a kind as they happen. When the stream drops it reconnects from the last
 * revision it printed, so no change is missed or printed twice.
 */
@Command(name = "watch", description = "Print changes to objects of a kind as they happen (Ctrl-C to stop).")
final class WatchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", description = "kind")
    String kind;

    @Option(names = {"-t", "--tenant"}, description = "only this tenant")
    String tenant;

    @Option(names = {"-l", "--selector"}, description = "label selector")
    String selector;

    @Option(names = "--resource-version", description = "print changes after this revision (default: the current objects, then changes)")
    String resourceVersion;

    @Option(names = {"-o", "--output"}, description = "line or json (default ${DEFAULT-VALUE})", defaultValue = "line")
    String output;

    @Option(names = "--max-events", description = "stop after this many events (0: never)", defaultValue = "0")
    int maxEvents;

    private String last;
    private int seen;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient api = client.client();
        ApiClient.Kind k = api.kind(kind);
        last = resourceVersion;
        StringBuilder path = new StringBuilder(ApiClient.collection(k, tenant)).append("?watch=true");
        if (selector != null) path.append("&labelSelector=").append(ApiClient.enc(selector));
        while (true) {
            try {
                api.stream(path.toString(), last, this::print);
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE) throw e;
                System.err.println(e.getMessage() + "; reconnecting");
            } catch (Done d) {
                return ExitCodes.OK;
            }
            Thread.sleep(1000);
        }
    }

    /** Ends the stream once --max-events have been printed. */
    private static final class Done extends RuntimeException {
        Done() {
            super(null, null, false, false);
        }
    }

    /** Prints one event; only events with an id (changes and bookmarks) move the point to resume from. */
    private void print(String id, JsonNode event) {
        String type = event.path("type").asText();
        if (id != null) last = id;
        if (type.equals("BOOKMARK")) return;
        if (type.equals("ERROR")) {
            JsonNode error = event.path("object");
            throw new CliException(ExitCodes.forStatus(error.path("status").asInt()), "error: " + error.path("message").asText());
        }
        JsonNode meta = event.path("object").path("metadata");
        if (output.equals("json")) {
            System.out.println(Json.string(event));
        } else {
            String tenantPart = meta.has("tenant") ? meta.path("tenant").asText() + "/" : "";
            System.out.printf("%-9s %s/%s%s  resourceVersion=%s%n", type, event.path("object").path("kind").asText(),
                    tenantPart, meta.path("name").asText(), meta.path("resourceVersion").asText());
        }
        System.out.flush();
        if (maxEvents > 0 && ++seen >= maxEvents) throw new Done();
    }
}
