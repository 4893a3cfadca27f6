package dev.millwright.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code millwright sbom ENV -t TENANT [-o FILE]}: an environment's software bill of materials, CycloneDX 1.6 JSON. */
@Command(name = "sbom", mixinStandardHelpOptions = true, description = {
        "An environment's software bill of materials as CycloneDX 1.6 JSON: its stack's packs with the packages they",
        "contain, and its workloads' images."})
final class SbomCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "ENVIRONMENT", description = "the environment")
    String environment;

    @Option(names = {"-t", "--tenant"}, required = true, paramLabel = "TENANT", description = "the tenant it belongs to")
    String tenant;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write it to FILE instead of standard output")
    Path output;

    @Override
    public Integer call() throws Exception {
        ApiClient api = client.client();
        String path = "/api/v1/tenants/" + ApiClient.enc(tenant) + "/environments/" + ApiClient.enc(environment) + "/sbom";
        String bom = dev.millwright.resource.Json.string(api.get(path));
        if (output == null) {
            System.out.println(bom);
        } else {
            Files.writeString(output, bom + "\n", StandardCharsets.UTF_8);
            System.err.println("wrote the bill of materials of " + tenant + "/" + environment + " to " + output);
        }
        return ExitCodes.OK;
    }
}
