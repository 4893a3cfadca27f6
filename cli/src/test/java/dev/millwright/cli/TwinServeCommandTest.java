package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.twin.RemoteTwin;
import dev.millwright.resource.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code millwright twin serve}: a twin in a process of its own, paced by its speed, reachable by servers. */
class TwinServeCommandTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void refusesASpeedOutOfBounds() {
        Cli.Result r = Cli.run("twin", "serve", "--speed", "-1");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("twin speed must be from 0 to 86400");
    }

    @Test
    void servesATwinWhoseClockRunsAtItsSpeedAndThatAServerCanEnrollMachinesIn() throws Exception {
        Path log = tmp.resolve("twin.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "twin", "serve", "--port", "0", "--speed", "3600", "--no-faults")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI url = awaitUrl(p, log);
            JsonNode first = get(url.resolve("/v1/clock"));
            assertThat(first.path("speed").asDouble()).isEqualTo(3600.0);
            Thread.sleep(500);
            JsonNode later = get(url.resolve("/v1/clock"));
            Duration moved = Duration.between(Instant.parse(first.path("now").asText()), Instant.parse(later.path("now").asText()));
            assertThat(moved).as("half a second at an hour per second").isGreaterThanOrEqualTo(Duration.ofMinutes(10));

            try (RemoteTwin twin = RemoteTwin.connect(url)) {
                twin.enrollDelivered(new MachineRef("n1", "twin://hgx-b200/n1", null));
                assertThat(twin.inventory("n1").gpus()).hasSize(8);
            }
            JsonNode status = get(url.resolve("/v1/status"));
            assertThat(status.path("machines").asInt()).isEqualTo(1);
            assertThat(status.path("gpus").asInt()).isEqualTo(8);
            assertThat(status.path("recent").get(0).asText()).contains("n1", "enrolled hgx-b200");
        } finally {
            p.destroy();
            p.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    private static URI awaitUrl(Process p, Path log) throws Exception {
        Pattern up = Pattern.compile("Millwright twin is up at (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = up.matcher(out);
            if (m.find()) return URI.create(m.group(1));
            if (!p.isAlive()) throw new AssertionError("twin serve exited with " + p.exitValue() + ":\n" + out);
            Thread.sleep(50);
        }
        throw new AssertionError("twin serve did not come up:\n" + Files.readString(log));
    }

    private static JsonNode get(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.tree(r.body());
    }
}
