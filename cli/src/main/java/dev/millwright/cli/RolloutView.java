package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a rollout reads to a person: its phase and progress, a line per wave with the wave's gate, and a row per
 * node. {@link #follow} keeps it on screen while the rollout runs.
 */
final class RolloutView {
    /** Phases after which the controller never acts again (as RolloutController.FINISHED says). */
    static final Set<String> FINISHED = Set.of("Completed", "CompletedWithFailures", "Aborted", "Refused");
    /** Node phases of a node that is not being worked on. */
    private static final Set<String> AT_REST = Set.of("Pending", "Upgraded", "RolledBack", "Failed");

    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private RolloutView() {
    }

    static String path(String tenant, String name) {
        return collection(tenant) + "/" + ApiClient.enc(name);
    }

    static String collection(String tenant) {
        return "/api/v1/tenants/" + ApiClient.enc(tenant) + "/rollouts";
    }

    static String phase(JsonNode rollout) {
        return rollout.path("status").path("phase").asText("");
    }

    /** What a watch that ended in {@code phase} exits with: only a rollout that upgraded every node is a success. */
    static int exitCode(String phase) {
        return phase.equals("Completed") ? ExitCodes.OK : ExitCodes.ROLLOUT_NOT_COMPLETED;
    }

    /** The status block: what {@code rollout status} prints, and each frame of the live view. */
    static String render(JsonNode rollout) {
        JsonNode spec = rollout.path("spec");
        JsonNode status = rollout.path("status");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        out.printf("rollout %s: environment %s -> %s@%s%n", rollout.path("metadata").path("name").asText(), spec.path("environment").asText(),
                spec.path("template").path("name").asText(), spec.path("template").path("version").asText());
        String phase = status.path("phase").asText("");
        // no phase yet: the controller has not made its first pass
        StringBuilder phaseLine = new StringBuilder(phase.isEmpty() ? "(starting)" : phase);
        // what the spec asks and the controller has not shown yet
        if (!FINISHED.contains(phase)) {
            if (spec.path("abort").asBoolean() && !phase.startsWith("Abort")) phaseLine.append(" (abort asked)");
            else if (spec.path("paused").asBoolean() && !phase.equals("Paused") && !phase.startsWith("Abort")) phaseLine.append(" (pause asked)");
        }
        out.println("phase:       " + phaseLine);
        if (!status.path("message").asText("").isEmpty()) out.println("message:     " + status.path("message").asText());
        if (status.has("progress")) out.println("progress:    " + status.path("progress").asText() + " upgraded" + counts(status.path("counts")));
        // a halted rollout's message already starts with the reason; an aborted one's does not
        String haltReason = status.path("haltReason").asText("");
        if (!haltReason.isEmpty() && !status.path("message").asText("").contains(haltReason)) out.println("halted:      " + haltReason);
        if (status.hasNonNull("nextWindow")) out.println("next window: " + status.path("nextWindow").asText());

        if (status.path("waves").size() > 0) {
            out.println();
            List<List<String>> waves = new ArrayList<>();
            for (JsonNode w : status.path("waves")) {
                int wave = w.path("wave").asInt();
                waves.add(List.of(waveName(wave), w.path("nodes").asText(), w.path("upgraded").asText(), w.path("failed").asText(),
                        gate(status.path("gates"), wave)));
            }
            Output.printTable(out, List.of("WAVE", "NODES", "UPGRADED", "FAILED", "GATE"), waves);
        }
        if (status.path("nodes").size() > 0) {
            out.println();
            List<List<String>> nodes = new ArrayList<>();
            status.path("nodes").fields().forEachRemaining(e -> nodes.add(List.of(e.getKey(), waveName(e.getValue().path("wave").asInt()),
                    e.getValue().path("phase").asText(), detail(e.getValue()))));
            Output.printTable(out, List.of("NODE", "WAVE", "PHASE", "STEP/MESSAGE"), nodes);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Wave 0 is the canary: nothing else starts until it passed. */
    static String waveName(int wave) {
        return wave == 0 ? "canary" : Integer.toString(wave);
    }

    private static String counts(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        counts.fields().forEachRemaining(e -> parts.add(e.getValue().asInt() + " " + e.getKey()));
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String gate(JsonNode gates, int wave) {
        for (JsonNode g : gates) {
            if (g.path("wave").asInt() == wave) return (g.path("passed").asBoolean() ? "passed: " : "failed: ") + g.path("evidence").asText();
        }
        return "-";
    }

    /** What a node is doing now, or what decided its end: the step under way, the controller's message, the evidence. */
    private static String detail(JsonNode node) {
        List<String> parts = new ArrayList<>();
        // a node going back shows the same phases as one going forward: only this tells them apart
        boolean rollingBack = node.path("back").asBoolean() && !AT_REST.contains(node.path("phase").asText());
        for (String field : List.of("step", "message", "evidence")) {
            String text = node.path(field).asText("");
            if (!text.isEmpty() && !parts.contains(text)) parts.add(text);
        }
        if (rollingBack) parts.add(0, "rolling back");
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }

    /**
     * Shows the rollout until it {@link #ends}, and returns the exit code for how it ended. It follows the
     * server's watch of the tenant's rollouts and reconnects where it left off when the stream drops. On a terminal the
     * block is redrawn in place; otherwise (a pipe, a log) a new block is printed only when it changed.
     */
    static int follow(ApiClient api, String tenant, String name, String output) throws InterruptedException {
        Follower f = new Follower(name, output, terminal());
        f.show(api.get(path(tenant, name))); // a missing rollout fails here, not after a silent wait
        if (f.ended != null) return exitCode(f.ended);
        String stream = collection(tenant) + "?watch=true";
        while (true) {
            try {
                api.stream(stream, f.lastEventId, f::event);
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE) throw e;
                System.err.println(e.getMessage() + "; reconnecting");
            } catch (Ended done) {
                return exitCode(f.ended);
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Where following stops: a finished rollout, or a halted one once the nodes already out are back in service (a
     * failed canary rolls back after the halt); from then on it waits for a person, so watching shows nothing new.
     */
    static boolean ends(JsonNode rollout) {
        String phase = phase(rollout);
        if (FINISHED.contains(phase)) return true;
        if (!phase.equals("Halted")) return false;
        for (JsonNode node : rollout.path("status").path("nodes")) {
            if (!AT_REST.contains(node.path("phase").asText())) return false;
        }
        return true;
    }

    /** Ends the watch stream from inside its event callback. */
    private static final class Ended extends RuntimeException {
        Ended() {
            super(null, null, false, false);
        }
    }

    private static final class Follower {
        private final String name;
        private final String output;
        private final boolean terminal;
        private String lastEventId;
        private String shown;
        private String ended;

        Follower(String name, String output, boolean terminal) {
            this.name = name;
            this.output = output;
            this.terminal = terminal;
        }

        void event(String id, JsonNode event) {
            if (id != null) lastEventId = id;
            String type = event.path("type").asText();
            if (type.equals("BOOKMARK")) return;
            if (type.equals("ERROR")) {
                JsonNode error = event.path("object");
                throw new CliException(ExitCodes.forStatus(error.path("status").asInt()), "error: " + error.path("message").asText());
            }
            JsonNode rollout = event.path("object");
            if (!rollout.path("metadata").path("name").asText().equals(name)) return; // the watch covers the tenant's every rollout
            if (type.equals("DELETED")) throw new CliException(ExitCodes.NOT_FOUND, "error: rollout " + name + " was deleted");
            show(rollout);
            if (ended != null) throw new Ended();
        }

        void show(JsonNode rollout) {
            // json compares the status alone: every write moves the resourceVersion, not every write changes what a reader sees
            if (ends(rollout)) ended = phase(rollout);
            String frame = output.equals("json") ? Json.string(rollout.path("status")) : render(rollout);
            if (!frame.equals(shown)) {
                shown = frame;
                if (output.equals("json")) {
                    System.out.println(Json.string(rollout));
                } else if (terminal) {
                    System.out.print(CLEAR_SCREEN + frame + (ended != null ? "" : "\n(watching; Ctrl-C stops watching, not the rollout)\n"));
                } else {
                    System.out.println(frame);
                }
                System.out.flush();
            }
        }
    }

    /** Whether stdout is a terminal. Java 22+ gives a Console even when redirected, so ask it when it can say. */
    static boolean terminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22 a Console exists only on a terminal
        }
    }
}
