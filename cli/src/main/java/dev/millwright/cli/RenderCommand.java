package dev.millwright.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints the Kubernetes objects a workload or an environment stands for, ready for kubectl apply -f -. */
@Command(name = "render", description = {
        "Print what would be applied to a real cluster, as YAML:",
        "  render workload NAME      the workload's KServe / KubeRay / Kubeflow / Deployment objects, pinned to its placement",
        "  render environment NAME   the GPU Operator ClusterPolicy and NVIDIADriver of its template, and the Kueue queues of its quota"})
final class RenderCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", description = "workload or environment")
    String what;

    @Parameters(index = "1", description = "its name")
    String name;

    @Option(names = {"-t", "--tenant"}, required = true, description = "the tenant it belongs to")
    String tenant;

    @Override
    public Integer call() {
        String plural = switch (what) {
            case "workload", "workloads" -> "workloads";
            case "environment", "environments", "env" -> "environments";
            default -> throw new CliException(ExitCodes.USAGE, "error: render takes workload NAME or environment NAME, not " + what);
        };
        String yaml = client.client().getText("/api/v1/tenants/" + ApiClient.enc(tenant) + "/" + plural + "/" + ApiClient.enc(name) + "/manifests");
        System.out.print(yaml);
        return ExitCodes.OK;
    }
}
