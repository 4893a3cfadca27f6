package dev.millwright.cli;

import dev.millwright.infra.redfish.BmcConnection;
import dev.millwright.infra.redfish.InventoryReport;
import dev.millwright.infra.redfish.RedfishBmc;
import dev.millwright.infra.redfish.RedfishException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code millwright dock discover CIDR}: the BMCs that answer Redfish in an address range, as a rack manifest
 * that {@code dock import} takes. Each address (and each port given) is asked for its service root and its
 * system's inventory, many at once with a short timeout; what answers becomes a row, what does not is counted.
 */
@Command(name = "discover", mixinStandardHelpOptions = true, description = {
        "Find the BMCs that answer Redfish in an address range and print them as a rack manifest (CSV) for dock import.",
        "  millwright dock discover 10.0.8.0/26 --username admin --credentials bmc-rack8 --rack r08 > rack8.csv",
        "Each machine found is named in the summary on stderr with its GPUs; addresses without a Redfish service are counted."})
final class DockDiscoverCommand implements Callable<Integer> {
    /** Larger ranges are a mistake more often than a rack: scan them in parts. */
    static final int MAX_ADDRESSES = 4096;

    @Parameters(index = "0", paramLabel = "CIDR", description = "the BMC network, such as 10.0.8.0/26 (IPv4)")
    String cidr;

    @Option(names = "--port", paramLabel = "PORT", description = "port(s) to try on each address (default 443)")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--http", description = "plain HTTP instead of HTTPS (labs and emulators)")
    boolean http;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "BMC user; without it only the service root is read")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR", description = "environment variable holding the password (default: MILLWRIGHT_BMC_PASSWORD)")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE", description = "file whose first line is the password")
    Path passwordFile;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "trust only these CA certificates")
    Path caFile;

    @Option(names = "--insecure", description = "do not check the BMCs' certificates (labs only)")
    boolean insecure;

    @Option(names = "--credentials", paramLabel = "SECRET", description = "the PlatformSecret the manifest names for these BMCs (default: bmc-credentials)")
    String credentials = "bmc-credentials";

    @Option(names = "--rack", paramLabel = "RACK", description = "the rack the manifest puts them in (default: none)")
    String rack = "";

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "per request (default 3)")
    int timeoutSeconds = 3;

    @Override
    public Integer call() throws Exception {
        if (insecure && caFile != null) throw new CliException(ExitCodes.USAGE, "error: choose either --ca-file or --insecure, not both");
        List<String> addresses = addresses(cidr);
        List<Integer> tried = ports.isEmpty() ? List.of(http ? 80 : 443) : ports;
        String password = username == null ? null : password();

        List<Future<String[]>> probes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            for (String address : addresses) {
                for (int port : tried) probes.add(pool.submit(() -> probe(address, port, password)));
            }
            System.out.println("name,bmc,credentials,rack,position");
            int position = 0;
            int silent = 0;
            for (Future<String[]> f : probes) {
                String[] found = f.get();
                if (found == null) {
                    silent++;
                    continue;
                }
                position++;
                System.out.println(String.join(",", found[0], found[1], credentials, rack, Integer.toString(position)));
                System.err.println("found " + found[1] + ": " + found[2]);
            }
            System.err.println(position + " BMCs found; " + silent + " address" + (silent == 1 ? "" : "es") + " answered no Redfish service");
            return ExitCodes.OK;
        } finally {
            pool.shutdownNow();
        }
    }

    private String password() {
        return BmcCommand.password(username, passwordFile, passwordEnv);
    }

    /** {name, url, what it holds}, or null when nothing there speaks Redfish. */
    private String[] probe(String address, int port, String password) {
        String scheme = http ? "http" : "https";
        boolean defaultPort = port == (http ? 80 : 443);
        String url = scheme + "://" + address + (defaultPort ? "" : ":" + port);
        BmcConnection c = BmcConnection.of(url).withTimeout(Duration.ofSeconds(timeoutSeconds)).withRetries(1, Duration.ofMillis(100))
                .withInsecure(insecure).withCaFile(caFile);
        if (username != null) c = c.withCredentials(username, password);
        String name = "bmc-" + address.replace('.', '-') + (defaultPort ? "" : "-" + port);
        try (RedfishBmc bmc = RedfishBmc.connect(c)) {
            InventoryReport report = bmc.inventory();
            var gpus = report.inventory().gpus();
            String holds = "system " + report.system() + ", " + (gpus.isEmpty() ? "no GPUs" : gpus.size() + "x " + gpus.get(0).model());
            return new String[] {name, url, holds};
        } catch (RedfishException e) {
            // a Redfish service that refused us is still a BMC: listed, with why, so the operator fixes credentials
            return e.failure() == RedfishException.Failure.DENIED ? new String[] {name, url, "credentials refused: " + e.getMessage()} : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Every host address of an IPv4 range ("10.0.8.0/30" is 10.0.8.0 to .3; a /32 is the one address). */
    static List<String> addresses(String cidr) {
        String[] parts = cidr.split("/");
        int bits;
        byte[] base;
        try {
            bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
            base = InetAddress.getByName(parts[0]).getAddress();
        } catch (NumberFormatException | UnknownHostException e) {
            throw new CliException(ExitCodes.USAGE, "error: " + cidr + " is not an IPv4 range such as 10.0.8.0/26");
        }
        if (base.length != 4 || bits < 0 || bits > 32 || !parts[0].matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            throw new CliException(ExitCodes.USAGE, "error: " + cidr + " is not an IPv4 range such as 10.0.8.0/26");
        }
        long size = 1L << (32 - bits);
        if (size > MAX_ADDRESSES) throw new CliException(ExitCodes.USAGE, "error: " + cidr + " holds " + size + " addresses; scan at most " + MAX_ADDRESSES + " at once");
        long start = ((base[0] & 0xffL) << 24 | (base[1] & 0xffL) << 16 | (base[2] & 0xffL) << 8 | (base[3] & 0xffL)) & ~(size - 1);
        List<String> out = new ArrayList<>();
        for (long a = start; a < start + size; a++) out.add((a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255));
        return out;
    }
}
