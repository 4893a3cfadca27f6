package dev.millwright.console;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * The web console: static files in the jar ({@code resources/console}) served at {@code /}, and uPlot from its
 * webjar at {@code /webjars/}. No front-end build: plain ES modules that call the same API as the CLI, with the
 * token the person logs in with, and follow changes with the watch API.
 */
public final class Console {
    private Console() {
    }

    public static void serve(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/console";
            files.location = Location.CLASSPATH;
            // the page holds a bearer token in session storage: no framing, no sniffing, no referrer to leak paths
            files.headers = Map.of("X-Frame-Options", "DENY", "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer",
                    "Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
        });
        config.staticFiles.enableWebjars();
    }
}
