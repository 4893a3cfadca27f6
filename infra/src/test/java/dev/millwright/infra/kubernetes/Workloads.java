package dev.millwright.infra.kubernetes;

import dev.millwright.workload.ResolvedWorkload;
import dev.millwright.workload.ResolvedWorkload.Component;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fixture builder for {@link ResolvedWorkload}s, as the resolver would produce them from a Workload and its
 * AppTemplate: placeholders already substituted. Defaults: tenant acme, environment prod, one replica, one GPU.
 */
final class Workloads {
    private final String app;
    private final String name;
    private String tenant = "acme";
    private String environment = "prod";
    private String category = "inference";
    private boolean job;
    private int replicas = 1;
    private int gpusPerReplica = 1;
    private String gpuModel;
    private List<String> gpuModels = List.of();
    private String cpu;
    private String memory;
    private String priorityClass;
    private int gpuShare = 1000;
    private String migProfile;
    private String frameworkPack;
    private String frameworkVersion;
    private double workGpuHours;
    private final List<Component> components = new ArrayList<>();

    private Workloads(String app, String name) {
        this.app = app;
        this.name = name;
    }

    static Workloads of(String app, String name) {
        return new Workloads(app, name);
    }

    Workloads tenant(String v) { tenant = v; return this; }
    Workloads environment(String v) { environment = v; return this; }
    Workloads category(String v) { category = v; return this; }
    Workloads job(double gpuHours) { job = true; workGpuHours = gpuHours; return this; }
    Workloads replicas(int v) { replicas = v; return this; }
    Workloads gpus(int v) { gpusPerReplica = v; return this; }
    Workloads gpuModel(String v) { gpuModel = v; return this; }
    Workloads gpuModels(String... v) { gpuModels = List.of(v); return this; }
    Workloads resources(String cpu, String memory) { this.cpu = cpu; this.memory = memory; return this; }
    Workloads priorityClass(String v) { priorityClass = v; return this; }
    Workloads gpuShare(int v) { gpuShare = v; return this; }
    Workloads migProfile(String v) { migProfile = v; return this; }
    Workloads framework(String pack, String version) { frameworkPack = pack; frameworkVersion = version; return this; }
    Workloads component(Comp c) { components.add(c.build(replicas)); return this; }

    /** The uid is derived from tenant and name, so golden files stay the same from run to run. */
    ResolvedWorkload build() {
        String uid = UUID.nameUUIDFromBytes((tenant + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
        return new ResolvedWorkload(tenant, name, uid, environment, tenant + "-" + environment, app, category, job,
                replicas, gpusPerReplica, gpuModel, gpuModels, cpu, memory, priorityClass, frameworkPack,
                frameworkVersion, workGpuHours, components, gpuShare, migProfile);
    }

    /** One component; a GPU component takes the workload's replicas, as the resolver gives it. */
    static final class Comp {
        private final String name;
        private final String renders;
        private final String image;
        private List<String> command = List.of();
        private List<String> args = List.of();
        private Map<String, String> env = Map.of();
        private Integer port;
        private boolean gpus;
        private Integer replicas;
        private String storage;
        private String runtime;

        private Comp(String name, String renders, String image) {
            this.name = name;
            this.renders = renders;
            this.image = image;
        }

        static Comp of(String name, String renders, String image) {
            return new Comp(name, renders, image);
        }

        Comp command(String... v) { command = List.of(v); return this; }
        Comp args(String... v) { args = List.of(v); return this; }
        Comp env(Map<String, String> v) { env = v; return this; }
        Comp port(int v) { port = v; return this; }
        Comp gpus() { gpus = true; return this; }
        Comp replicas(int v) { replicas = v; return this; }
        Comp storage(String v) { storage = v; return this; }
        Comp runtime(String v) { runtime = v; return this; }

        Component build(int workloadReplicas) {
            int n = gpus || replicas == null ? workloadReplicas : replicas;
            return new Component(name, renders, image, command, args, env, port, gpus, n, storage, runtime);
        }
    }
}
