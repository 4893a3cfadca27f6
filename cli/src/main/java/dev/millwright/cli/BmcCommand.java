package dev.millwright.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.control.fleet.GpuSummary;
import dev.millwright.control.fleet.MachineController;
import dev.millwright.fleet.GpuModels;
import dev.millwright.infra.Inventory;
import dev.millwright.infra.redfish.BmcConnection;
import dev.millwright.infra.redfish.InventoryReport;
import dev.millwright.infra.redfish.RedfishBmc;
import dev.millwright.infra.redfish.RedfishException;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millwright bmc inspect URL}: reads one BMC over Redfish, with no server involved. */
@Command(name = "bmc", mixinStandardHelpOptions = true, subcommands = BmcCommand.Inspect.class,
        description = "Talk to a machine's BMC directly over Redfish (no Millwright server needed).")
final class BmcCommand implements Runnable {
    /** Where the password comes from when neither flag names a place. */
    static final String DEFAULT_PASSWORD_ENV = "MILLWRIGHT_BMC_PASSWORD";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = {
            "Read one BMC and print the Machine inventory Millwright would record for it:",
            "CPUs, memory, GPUs (model and memory each, counted once however the BMC lists",
            "them), NICs, firmware, and what the BMC did not offer.",
            "",
            "Exit codes: 0 read; 2 bad flags; 3 no such system; 5 credentials refused;",
            "7 unreachable, a timeout or a TLS failure; 10 the GPUs contradict --expect-gpus",
            "or --expect-gpu-model; 1 anything else (malformed JSON, a BMC error).",
            ""})
    static final class Inspect implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "URL", description = "the BMC: http(s)://host[:port], optionally with /redfish/v1/Systems/<id>")
        String url;

        @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "BMC account; without one only what the BMC shows anyone is read")
        String username;

        @Option(names = "--password-env", paramLabel = "VAR", description = "environment variable holding the password (default: " + DEFAULT_PASSWORD_ENV + ")")
        String passwordEnv;

        @Option(names = "--password-file", paramLabel = "FILE", description = "file whose first line is the password")
        Path passwordFile;

        @Option(names = "--ca-file", paramLabel = "PEM", description = "trust the certificates in this PEM file (the BMC's CA) for https")
        Path caFile;

        @Option(names = "--insecure", description = "do not check the BMC's certificate or host name (labs only)")
        boolean insecure;

        @Option(names = "--system", paramLabel = "ID", description = "which system of a BMC that manages several (default: the URL's, else the first)")
        String system;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "per request (default: ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Option(names = "--expect-gpus", paramLabel = "N", description = "fail with exit code 10 unless the BMC shows exactly N GPUs")
        Integer expectGpus;

        @Option(names = "--expect-gpu-model", paramLabel = "MODEL", description = "fail with exit code 10 unless every GPU is this model (\"H100 80GB\", \"A100\")")
        String expectModel;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text, json or yaml (default: ${DEFAULT-VALUE})")
        String output;

        @Override
        public Integer call() {
            if (!List.of("text", "json", "yaml").contains(output)) {
                throw new CliException(ExitCodes.USAGE, "error: unknown output format \"" + output + "\"; use text, json or yaml");
            }
            BmcConnection connection = connection();
            InventoryReport report;
            try (RedfishBmc bmc = RedfishBmc.connect(connection, system)) {
                report = bmc.inventory();
            } catch (RedfishException e) {
                throw failure(e);
            }
            switch (output) {
                case "json" -> System.out.println(Json.string(json(connection, report)));
                case "yaml" -> System.out.print(Json.yaml(json(connection, report)));
                default -> text(connection, report);
            }
            String contradiction = contradiction(report.inventory());
            if (contradiction != null) throw new CliException(ExitCodes.INVENTORY_MISMATCH, "error: " + contradiction);
            return ExitCodes.OK;
        }

        private BmcConnection connection() {
            String target = url.trim();
            String lower = target.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                throw new CliException(ExitCodes.USAGE, "error: the BMC URL must start with http:// or https://, not " + url);
            }
            if (timeoutSeconds < 1) throw new CliException(ExitCodes.USAGE, "error: --timeout must be at least 1 second");
            if (insecure && caFile != null) throw new CliException(ExitCodes.USAGE, "error: choose either --ca-file or --insecure, not both");
            if (caFile != null && !Files.isReadable(caFile)) throw new CliException(ExitCodes.USAGE, "error: cannot read --ca-file " + caFile);
            try {
                BmcConnection c = BmcConnection.of(target).withTimeout(Duration.ofSeconds(timeoutSeconds)).withInsecure(insecure).withCaFile(caFile);
                return username == null ? c : c.withCredentials(username, password());
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "error: " + e.getMessage());
            }
        }

        private String password() {
            return BmcCommand.password(username, passwordFile, passwordEnv);
        }

        /** The exit code and words for what the BMC did; a TLS failure says which flag fixes it. */
        private CliException failure(RedfishException e) {
            String hint = switch (e.failure()) {
                case TLS -> caFile == null && !insecure
                        ? "; trust the BMC's certificate with --ca-file PEM, or skip the check with --insecure (labs only)" : "";
                case DENIED -> username == null ? "; pass --username and a password" : "";
                case TIMEOUT -> "; a slow BMC may need a longer --timeout";
                default -> "";
            };
            int code = switch (e.failure()) {
                case UNREACHABLE, TIMEOUT, TLS -> ExitCodes.UNREACHABLE;
                case DENIED -> ExitCodes.DENIED;
                case NOT_FOUND -> ExitCodes.NOT_FOUND;
                default -> ExitCodes.ERROR;
            };
            return new CliException(code, "error: " + e.getMessage() + hint);
        }

        private String contradiction(Inventory inv) {
            GpuSummary found = new GpuSummary();
            inv.gpus().forEach(g -> found.add(g.model(), 1));
            if (expectGpus != null && inv.gpus().size() != expectGpus) {
                return "the BMC shows " + inv.gpus().size() + " GPUs (" + found + "), not the " + expectGpus + " expected";
            }
            if (expectModel != null) {
                List<String> other = inv.gpus().stream().map(Inventory.Gpu::model)
                        .filter(m -> !GpuModels.matches(expectModel, m) && !m.toLowerCase(Locale.ROOT).contains(expectModel.toLowerCase(Locale.ROOT)))
                        .distinct().toList();
                if (!other.isEmpty()) return "the BMC shows " + String.join(", ", other) + " GPUs, not " + expectModel + " (" + found + ")";
                if (inv.gpus().isEmpty()) return "the BMC shows no GPUs, not " + expectModel;
            }
            return null;
        }
    }

    /** The Machine inventory as the machine controller records it, with what was read from where and what was missing. */
    static ObjectNode json(BmcConnection connection, InventoryReport report) {
        ObjectNode out = Json.object();
        out.put("endpoint", connection.endpoint().toString());
        out.put("system", report.system());
        var systems = out.putArray("systems");
        report.systems().forEach(systems::add);
        ObjectNode inventory = MachineController.inventoryJson(report.inventory());
        for (int i = 0; i < report.gpuSources().size(); i++) ((ObjectNode) inventory.get("gpus").get(i)).put("source", report.gpuSources().get(i));
        out.setAll(inventory);
        GpuSummary gpus = new GpuSummary();
        report.inventory().gpus().forEach(g -> gpus.add(g.model(), 1));
        out.put("gpuCount", report.inventory().gpus().size());
        out.set("gpusByModel", Json.MAPPER.valueToTree(gpus.byModel()));
        var missing = out.putArray("missing");
        report.missing().forEach(missing::add);
        var warnings = out.putArray("warnings");
        report.warnings().forEach(warnings::add);
        return out;
    }

    private static void text(BmcConnection connection, InventoryReport report) {
        Inventory inv = report.inventory();
        var out = System.out;
        out.println("BMC        " + connection.endpoint() + "  system " + report.system()
                + (report.systems().size() > 1 ? " (of " + String.join(", ", report.systems()) + ")" : ""));
        out.println("CPU        " + inv.sockets() + " x " + inv.cpuModel() + ", " + inv.cores() + " cores");
        out.println("Memory     " + inv.memoryGiB() + " GiB");
        GpuSummary summary = new GpuSummary();
        inv.gpus().forEach(g -> summary.add(g.model(), 1));
        out.println("GPUs       " + inv.gpus().size() + (inv.gpus().isEmpty() ? "" : " (" + summary + ")"));
        for (Inventory.Gpu g : inv.gpus()) {
            out.println("  " + g.index() + "  " + g.model() + "  " + (g.memoryGiB() > 0 ? g.memoryGiB() + " GiB" : "memory unknown")
                    + (g.mig() ? "  MIG" : "") + (g.confidentialComputing() ? "  CC" : "") + (g.serial() == null ? "" : "  serial " + g.serial()));
        }
        out.println("NICs       " + (inv.nics().isEmpty() ? "none listed" : String.join(", ", inv.nics().stream()
                .map(n -> n.name() + " (" + n.kind() + (n.speedGbps() > 0 ? " " + n.speedGbps() + " Gb/s" : "") + ")").toList())));
        out.println("Firmware   " + (inv.firmware().isEmpty() ? "none listed" : inv.firmware().size() + " items"));
        for (Inventory.Firmware f : inv.firmware()) out.println("  " + f.component() + "  " + f.version());
        if (!report.missing().isEmpty()) {
            out.println("Missing");
            report.missing().forEach(m -> out.println("  - " + m));
        }
        if (!report.warnings().isEmpty()) {
            out.println("Warnings");
            report.warnings().forEach(w -> out.println("  - " + w));
        }
    }

    /**
     * A BMC user's password: the first line of {@code file}, else the environment variable {@code env} (by
     * default {@value #DEFAULT_PASSWORD_ENV}); never an argument, so it stays out of the process list and history.
     */
    static String password(String username, Path file, String env) {
        if (file != null) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) throw new CliException(ExitCodes.USAGE, "error: --password-file " + file + " is empty");
                return lines.get(0);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "error: cannot read --password-file " + file + ": " + e.getMessage());
            }
        }
        String variable = env != null ? env : DEFAULT_PASSWORD_ENV;
        String value = System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "error: user " + username + " needs a password: set " + variable
                    + (env == null ? " (or name another variable with --password-env)" : "") + ", or pass --password-file FILE");
        }
        return value;
    }
}
