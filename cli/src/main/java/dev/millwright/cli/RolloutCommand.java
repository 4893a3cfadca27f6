package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Rollouts: move an environment to another template version (canary, then waves), follow it, pause, resume or abort it. */
@Command(name = "rollout", mixinStandardHelpOptions = true, description = {
        "Move an environment to another template version: start, status, pause, resume, abort.",
        "A canary goes first, then waves, each behind a health gate; a node that fails is rolled back."},
        subcommands = {RolloutCommand.Start.class, RolloutCommand.Status.class, RolloutCommand.Pause.class,
                RolloutCommand.Resume.class, RolloutCommand.Abort.class})
final class RolloutCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a rollout of an environment to a template version.")
    static final class Start implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ENVIRONMENT", description = "the environment whose nodes move (or --plan)")
        String environment;

        @Option(names = {"-t", "--tenant"}, required = true, paramLabel = "TENANT", description = "the tenant it belongs to")
        String tenant;

        @Option(names = "--to", paramLabel = "TEMPLATE@VERSION", description = "the template version to move to, as TEMPLATE@VERSION (or --plan)")
        String to;

        @Option(names = "--plan", paramLabel = "PLAN", description = "execute a saved UpgradePlan: its environment and target")
        String plan;

        @Option(names = "--name", paramLabel = "NAME", description = "the rollout's name (default: ENVIRONMENT-TEMPLATE-VERSION, dots as dashes)")
        String name;

        @Option(names = "--canary", paramLabel = "N", description = "nodes upgraded first; nothing else starts until they passed (server default 1)")
        Integer canary;

        @Option(names = "--max-unavailable", paramLabel = "N|P%", description = "nodes out of service at once (server default 1)")
        String maxUnavailable;

        @Option(names = "--max-surge", paramLabel = "N|P%", description = "further nodes out, while their work has room elsewhere (server default 0)")
        String maxSurge;

        @Option(names = "--failure-budget", paramLabel = "N|P%", description = "nodes that may fail before the rollout halts (server default 1)")
        String failureBudget;

        @Option(names = {"-w", "--watch"}, description = "then follow it until it finishes or halts")
        boolean watch;

        @Override
        public Integer call() throws InterruptedException {
            ApiClient api = client.client();
            if (plan != null) {
                // the plan names what moves where; the rollout records which plan it executes
                JsonNode saved = api.get("/api/v1/tenants/" + ApiClient.enc(tenant) + "/upgradeplans/" + ApiClient.enc(plan)).path("spec");
                if (environment == null) environment = saved.path("environment").asText();
                if (to == null) to = saved.path("template").path("name").asText() + "@" + saved.path("template").path("version").asText();
            }
            if (environment == null || to == null) {
                throw new CliException(ExitCodes.USAGE, "error: rollout start takes ENVIRONMENT --to TEMPLATE@VERSION, or --plan PLAN");
            }
            int at = to.indexOf('@');
            if (at <= 0 || at == to.length() - 1 || to.indexOf('@', at + 1) >= 0) {
                throw new CliException(ExitCodes.USAGE, "error: --to takes TEMPLATE@VERSION, such as llm@1.1.0; got " + to);
            }
            String template = to.substring(0, at);
            String version = to.substring(at + 1);
            String rolloutName = name != null ? name : (environment + "-" + template + "-" + version).replace('.', '-');

            ObjectNode body = Json.object().put("apiVersion", "millwright.dev/v1").put("kind", "Rollout");
            body.putObject("metadata").put("name", rolloutName);
            ObjectNode s = body.putObject("spec").put("environment", environment);
            s.putObject("template").put("name", template).put("version", version);
            if (plan != null) s.put("plan", plan);
            if (canary != null) s.put("canary", canary);
            putCount(s, "maxUnavailable", maxUnavailable);
            putCount(s, "maxSurge", maxSurge);
            putCount(s, "failureBudget", failureBudget);

            ApiClient.Reply created = api.send("POST", RolloutView.collection(tenant), Json.bytes(body), "application/json");
            ApiClient.expectOk(created);
            created.warnings().forEach(w -> System.err.println("warning: rollout " + rolloutName + ": " + w));
            JsonNode saved = created.body().path("spec");
            System.out.printf("rollout %s started: environment %s -> %s, canary %s, max unavailable %s, max surge %s, failure budget %s%n",
                    rolloutName, environment, to, saved.path("canary").asText("1"), saved.path("maxUnavailable").asText("1"),
                    saved.path("maxSurge").asText("0"), saved.path("failureBudget").asText("1"));
            System.out.flush();
            return watch ? RolloutView.follow(api, tenant, rolloutName, "text") : ExitCodes.OK;
        }

        /** A number of nodes goes as a number; anything else (25%) as text, for the server to accept or explain. */
        private static void putCount(ObjectNode spec, String field, String value) {
            if (value == null) return;
            if (value.matches("\\d{1,9}")) spec.put(field, Integer.parseInt(value));
            else spec.put(field, value);
        }
    }

    /** The rollout a command acts on: its name and tenant. */
    static final class Named {
        @Parameters(index = "0", paramLabel = "NAME", description = "the rollout")
        String name;

        @Option(names = {"-t", "--tenant"}, required = true, paramLabel = "TENANT", description = "the tenant it belongs to")
        String tenant;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a rollout: phase, progress, each wave and its gate, each node.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Mixin
        Named rollout;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text or json (default ${DEFAULT-VALUE})", defaultValue = "text")
        String output;

        @Option(names = {"-w", "--watch"}, description = "follow it until it finishes or halts; exits 0 only if it Completed")
        boolean watch;

        @Override
        public Integer call() throws InterruptedException {
            if (!output.equals("text") && !output.equals("json")) {
                throw new CliException(ExitCodes.USAGE, "unknown output format \"" + output + "\"; use text or json");
            }
            ApiClient api = client.client();
            if (watch) return RolloutView.follow(api, rollout.tenant, rollout.name, output);
            JsonNode shown = api.get(RolloutView.path(rollout.tenant, rollout.name));
            System.out.print(output.equals("json") ? Json.string(shown) + "\n" : RolloutView.render(shown));
            return ExitCodes.OK;
        }
    }

    /** What pause, resume and abort share: change one spec field, then wait briefly for the controller to show it. */
    abstract static class Steer implements Callable<Integer> {
        /** The controller acts on a spec change at once; this bounds the wait when it is busy or down. */
        static final Duration WAIT = Duration.ofSeconds(10);

        @Mixin
        ClientOptions client;

        @Mixin
        Named rollout;

        abstract String verb();

        /** The verb as the result reads: paused, resumed, aborted. */
        abstract String past();

        abstract String patch();

        /** Whether the phase shows the change took hold (or that it cannot show: a halt outranks a pause). */
        abstract boolean shows(String phase);

        @Override
        public Integer call() throws InterruptedException {
            ApiClient api = client.client();
            String name = rollout.name;
            String path = RolloutView.path(rollout.tenant, name);
            String before = RolloutView.phase(api.get(path));
            // a finished rollout never acts again: the change would be stored and silently ignored
            if (RolloutView.FINISHED.contains(before)) {
                throw new CliException(ExitCodes.CONFLICT, "error: rollout " + name + " has already finished (" + before + "): nothing to " + verb());
            }
            ApiClient.expectOk(api.send("PATCH", path, patch().getBytes(StandardCharsets.UTF_8), "application/merge-patch+json"));
            JsonNode now = await(api, path, this::shows);
            String phase = RolloutView.phase(now);
            String message = now.path("status").path("message").asText("");
            System.out.println("rollout " + name + " " + past() + ": phase " + (phase.isEmpty() ? "(starting)" : phase)
                    + (message.isEmpty() ? "" : " (" + message + ")") + (shows(phase) ? "" : "; the controller has not acted on it yet"));
            return ExitCodes.OK;
        }

        private static JsonNode await(ApiClient api, String path, Predicate<String> done) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            JsonNode r = api.get(path);
            while (!done.test(RolloutView.phase(r)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                r = api.get(path);
            }
            return r;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Start no new node; nodes already out finish (spec.paused: true).")
    static final class Pause extends Steer {
        @Override
        String verb() {
            return "pause";
        }

        @Override
        String past() {
            return "paused";
        }

        @Override
        String patch() {
            return "{\"spec\":{\"paused\":true}}";
        }

        @Override
        boolean shows(String phase) {
            return Set.of("Paused", "Halted", "Aborting").contains(phase) || RolloutView.FINISHED.contains(phase);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Go on after a pause (spec.paused: false).")
    static final class Resume extends Steer {
        @Override
        String verb() {
            return "resume";
        }

        @Override
        String past() {
            return "resumed";
        }

        @Override
        String patch() {
            return "{\"spec\":{\"paused\":false}}";
        }

        @Override
        boolean shows(String phase) {
            return !phase.equals("Paused");
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Send every node the rollout changed back to the previous version (spec.abort: true); cannot be undone.")
    static final class Abort extends Steer {
        @Override
        String verb() {
            return "abort";
        }

        @Override
        String past() {
            return "aborted";
        }

        @Override
        String patch() {
            return "{\"spec\":{\"abort\":true}}";
        }

        @Override
        boolean shows(String phase) {
            return phase.equals("Aborting") || phase.equals("Aborted");
        }
    }
}
