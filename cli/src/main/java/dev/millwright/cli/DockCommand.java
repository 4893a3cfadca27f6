package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** From the loading dock to live: import a rack manifest as a DockBatch, and follow it. */
@Command(name = "dock", description = "Take racks from the loading dock to a node pool: import a manifest, follow its batch.",
        subcommands = {DockCommand.Import.class, DockCommand.Status.class, DockDiscoverCommand.class})
final class DockCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("usage: millwright dock import MANIFEST --site SITE --pool POOL [--name NAME] [--watch] | dock status [BATCH] [--watch]");
        return ExitCodes.USAGE;
    }

    @Command(name = "import", description = "Create a DockBatch from a rack manifest (CSV or YAML).")
    static final class Import implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(index = "0", paramLabel = "MANIFEST", description = "CSV (header: name,bmc,credentials,rack,position[,bmcNetwork]) or YAML")
        Path manifest;
        @Option(names = "--site", required = true, description = "the Site the machines are in")
        String site;
        @Option(names = "--pool", required = true, description = "the NodePool the machines that pass join")
        String pool;
        @Option(names = "--name", description = "the batch's name (default: the manifest's file name)")
        String name;
        @Option(names = "--gpu-model", description = "expected GPU model, such as \"H100 80GB\"")
        String gpuModel;
        @Option(names = "--gpu-count", description = "expected GPUs per machine")
        Integer gpuCount;
        @Option(names = "--per-rack", description = "machines in burn-in at once per rack (server default 4)")
        Integer perRack;
        @Option(names = "--per-bmc-network", description = "machines powering on or inspecting at once per BMC network (server default 16)")
        Integer perBmcNetwork;
        @Option(names = "--per-image-server", description = "OS installs at once (server default 32)")
        Integer perImageServer;
        @Option(names = "--watch", description = "follow the batch until every machine settled")
        boolean watch;

        @Override
        public Integer call() throws Exception {
            ApiClient api = client.client();
            String batch = name != null ? name : manifest.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase().replaceAll("[^a-z0-9-]", "-");
            ObjectNode body = Json.object().put("apiVersion", "millwright.dev/v1").put("kind", "DockBatch");
            body.putObject("metadata").put("name", batch);
            ObjectNode spec = body.putObject("spec").put("site", site).put("pool", pool);
            if (gpuModel != null || gpuCount != null) {
                ObjectNode e = spec.putObject("expected");
                if (gpuModel != null) e.put("gpuModel", gpuModel);
                if (gpuCount != null) e.put("gpuCount", gpuCount);
            }
            if (perRack != null || perBmcNetwork != null || perImageServer != null) {
                ObjectNode l = spec.putObject("limits");
                if (perRack != null) l.put("perRackPower", perRack);
                if (perBmcNetwork != null) l.put("perBmcNetwork", perBmcNetwork);
                if (perImageServer != null) l.put("perImageServer", perImageServer);
            }
            spec.set("machines", DockManifest.read(manifest));
            ApiClient.expectOk(api.send("POST", "/api/v1/dockbatches", Json.bytes(body), "application/json"));
            System.out.printf("dock batch %s created: %d machines to pool %s at site %s%n", batch, spec.get("machines").size(), pool, site);
            System.out.flush();
            return watch ? follow(api, batch) : ExitCodes.OK;
        }
    }

    @Command(name = "status", description = "A batch's progress and ETA, and each machine's lifecycle state, step and reason; without BATCH, every batch.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ClientOptions client;
        @Parameters(index = "0", arity = "0..1", paramLabel = "BATCH")
        String batch;
        @Option(names = "--watch", description = "a progress bar with the ETA until every machine settled, then the table")
        boolean watch;
        @Option(names = {"-o", "--output"}, description = "text or json (default ${DEFAULT-VALUE})", defaultValue = "text")
        String output;

        @Override
        public Integer call() throws Exception {
            ApiClient api = client.client();
            if (batch == null) {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode b : api.get("/api/v1/dockbatches").path("items")) {
                    JsonNode s = b.path("status");
                    rows.add(List.of(b.path("metadata").path("name").asText(), b.path("spec").path("pool").asText(), s.path("progress").asText("-"),
                            s.path("joined").asText("0"), s.path("quarantined").asText("0"), s.path("failed").asText("0"),
                            s.path("phase").asText("Pending"), s.hasNonNull("remaining") ? left(s.get("remaining").asText()) : "-"));
                }
                Output.printTable(System.out, List.of("BATCH", "POOL", "SETTLED", "JOINED", "QUARANTINED", "FAILED", "PHASE", "LEFT"), rows);
                return ExitCodes.OK;
            }
            if (watch) return follow(api, batch);
            JsonNode b = api.get("/api/v1/dockbatches/" + ApiClient.enc(batch));
            if (output.equals("json")) {
                ObjectNode out = Json.object();
                out.set("batch", b);
                out.set("machines", machines(api, batch));
                System.out.println(Json.string(out));
                return ExitCodes.OK;
            }
            print(api, batch, b);
            return ExitCodes.OK;
        }
    }

    /** A progress bar of settled machines with the server's ETA, until the batch finishes; exit 0 only if every machine joined. */
    static int follow(ApiClient api, String batch) throws InterruptedException {
        JsonNode b = api.get("/api/v1/dockbatches/" + ApiClient.enc(batch));
        int total = b.path("spec").path("machines").size();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(batch).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).continuousUpdate().build()) {
            while (true) {
                JsonNode s = b.path("status");
                String progress = s.path("progress").asText("0/" + total);
                bar.stepTo(Long.parseLong(progress.substring(0, progress.indexOf('/'))));
                // what is left first: a narrow terminal cuts the end of the line
                bar.setExtraMessage((s.hasNonNull("remaining") ? left(s.get("remaining").asText()) + " left; " : "")
                        + s.path("joined").asInt() + " joined, " + s.path("quarantined").asInt() + " quarantined, " + s.path("failed").asInt() + " failed");
                if (s.has("finishedAt")) break;
                Thread.sleep(1000);
                b = api.get("/api/v1/dockbatches/" + ApiClient.enc(batch));
            }
        }
        print(api, batch, b);
        return b.path("status").path("phase").asText().equals("Completed") ? ExitCodes.OK : ExitCodes.ROLLOUT_NOT_COMPLETED;
    }

    /** The server's ETA, by the world's clock (the twin's, in a demo). */
    private static String eta(String at) {
        return at.replace("T", " ").replaceFirst("\\.\\d+Z$", "Z");
    }

    /** What the forecast says is left, short enough for a progress bar's line: "2h13m", "45m", "30s". */
    static String left(String isoDuration) {
        try {
            java.time.Duration d = java.time.Duration.parse(isoDuration);
            if (d.toHours() > 0) return d.toHours() + "h" + String.format("%02d", d.toMinutesPart()) + "m";
            return d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
        } catch (java.time.format.DateTimeParseException e) {
            return isoDuration;
        }
    }

    private static JsonNode machines(ApiClient api, String batch) {
        return api.get("/api/v1/machines?labelSelector=" + ApiClient.enc("millwright.dev/dock-batch=" + batch)).path("items");
    }

    private static void print(ApiClient api, String batch, JsonNode b) {
        JsonNode s = b.path("status");
        System.out.printf("dock batch %s: site %s -> pool %s%n", batch, b.path("spec").path("site").asText(), b.path("spec").path("pool").asText());
        System.out.printf("phase:     %s%n", s.path("phase").asText("Pending"));
        System.out.printf("progress:  %s settled (%s)%n", s.path("progress").asText("-"), s.path("message").asText(""));
        if (s.hasNonNull("eta")) {
            System.out.printf("eta:       %s, %s left (forecast at nominal step times, by the world's clock)%n", eta(s.get("eta").asText()),
                    left(s.path("remaining").asText("?")));
        }
        for (JsonNode r : s.path("rejected")) System.out.printf("rejected:  row %d (%s): %s%n", r.path("row").asInt(), r.path("machine").asText(), r.path("reason").asText());
        System.out.println();
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode m : machines(api, batch)) {
            JsonNode l = m.path("status").path("lifecycle");
            String detail = l.hasNonNull("reason") ? l.get("reason").asText() : l.path("message").asText("-");
            rows.add(List.of(m.path("metadata").path("name").asText(), l.path("rack").asText("-"), l.path("state").asText("-"),
                    l.path("stepIndex").asInt() + "/" + l.path("steps").asInt() + " " + l.path("step").asText(""), detail.isEmpty() ? "-" : detail));
        }
        rows.sort((a, c) -> Output.naturalOrder(a.get(1) + " " + a.get(0), c.get(1) + " " + c.get(0))); // by rack, then r1-u2 before r1-u10
        Output.printTable(System.out, List.of("MACHINE", "RACK", "STATE", "STEP", "MESSAGE/REASON"), rows);
    }
}
