package dev.millwright.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A watch as a client sees it: one server-sent-events stream read by a thread of its own into a queue,
 * so that a test can wait for events with a timeout and disconnect at any moment.
 *
 * <p>The body is read as an InputStream rather than with {@code BodyHandlers.ofLines()}: closing a lines
 * stream from another thread waits for the reader's lock, which a blocked read holds until the next event.
 */
final class SseStream implements AutoCloseable {
    /**
     * One event: its {@code id} (the revision; null for the initial ADDED events of a watch without a revision,
     * and for ERROR), its type, and its data as JSON.
     */
    record Event(String id, String type, JsonNode data) {
        long revision() {
            return Long.parseLong(id);
        }

        /** The object's name, for ADDED, MODIFIED and DELETED. */
        String name() {
            return data.path("object").path("metadata").path("name").asText();
        }

        long objectResourceVersion() {
            return Long.parseLong(data.path("object").path("metadata").path("resourceVersion").asText());
        }

        @Override
        public String toString() {
            return type + " " + (type.equals("BOOKMARK") || type.equals("ERROR") ? "" : name() + " ") + "@" + id;
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Event END = new Event(null, "END", Json.object());

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final Thread reader;
    private String errorBody;

    private SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        } else {
            reader = null;
            try (InputStream in = response.body()) {
                errorBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                errorBody = "";
            }
        }
    }

    /** Opens {@code path} (which should carry {@code watch=true}) with the given token and extra headers. */
    static SseStream open(TestServer s, String path, String token, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path)).GET()
                .header("Accept", "text/event-stream");
        if (token != null) b.header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        try {
            return new SseStream(CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("could not open watch " + path, e);
        }
    }

    static SseStream open(TestServer s, String path, String token) {
        return open(s, path, token, Map.of());
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The body of a refused watch (a JSON error). */
    String errorBody() {
        return errorBody;
    }

    /** The next event, or null after {@code timeout}; fails when the stream ended. */
    Event next(Duration timeout) {
        try {
            Event e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (e == END) {
                queue.add(END);
                throw new AssertionError("the watch stream ended");
            }
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Every event up to and including the first that matches {@code last}; fails after {@code timeout}. */
    List<Event> until(Predicate<Event> last, Duration timeout) {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left > 0 ? next(Duration.ofNanos(left)) : null;
            if (e == null) throw new AssertionError("timed out waiting for an event; received " + out);
            out.add(e);
            if (last.test(e)) return out;
        }
    }

    /** Events that arrive within {@code window}, waiting the whole window. */
    List<Event> drain(Duration window) {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return out;
            Event e = next(Duration.ofNanos(left));
            if (e != null) out.add(e);
        }
    }

    /** Every event until the server ends the stream; fails when it is still open after {@code timeout}. */
    List<Event> rest(Duration timeout) {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Event e = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                if (e == null) throw new AssertionError("the watch stream is still open after " + timeout + "; received " + out);
                if (e == END) {
                    queue.add(END);
                    return out;
                }
                out.add(e);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String type = "message";
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0) queue.add(new Event(id, type, Json.tree(data.toString())));
                    id = null;
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) data.append('\n');
                    data.append(line.substring(5).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed by the test, or the server went away
        } finally {
            queue.add(END);
        }
    }

    /** Disconnects: the body's subscription is cancelled, which closes the connection. */
    @Override
    public void close() {
        if (reader == null) return;
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
        reader.interrupt();
    }
}
