package dev.millwright.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.fleet.GpuModels;
import dev.millwright.resource.Resource;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import dev.millwright.workload.WorkloadKinds;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scheduling figures for Prometheus, read from the objects' observed status when {@code /metrics} is scraped:
 * GPUs per model (total and allocated to placed workloads), workloads per tenant and phase, and per tenant
 * how many wait and for how long the oldest has waited; and the GPUs' mean utilization per model, from the
 * telemetry the infrastructure reports (DCGM on real machines).
 */
final class FleetMetrics {
    private final ResourceStore store;
    private final Clock clock;
    private final MultiGauge gpus;
    private final MultiGauge workloads;
    private final MultiGauge pending;
    private final MultiGauge oldestWait;
    private final MultiGauge utilization;
    private final MultiGauge vulnerabilities;
    private final dev.millwright.infra.Infrastructure infra;
    private final FleetHistory history = new FleetHistory();

    FleetMetrics(ResourceStore store, Clock clock, MeterRegistry registry, dev.millwright.infra.Infrastructure infra) {
        this.store = store;
        this.clock = clock;
        this.infra = infra;
        this.utilization = MultiGauge.builder("millwright_gpu_utilization")
                .description("mean utilization (0..1) of the GPUs of a model on machines that report telemetry").register(registry);
        this.vulnerabilities = MultiGauge.builder("millwright_vulnerabilities")
                .description("known vulnerabilities an environment's stack is exposed to, by CVSS rating (unscored when no CVSS v3 vector)")
                .register(registry);
        this.gpus = MultiGauge.builder("millwright_gpus").description("GPUs of the fleet by model; state total or allocated").register(registry);
        this.workloads = MultiGauge.builder("millwright_workloads").description("workloads by tenant and phase").register(registry);
        this.pending = MultiGauge.builder("millwright_queue_length").description("workloads waiting to be placed, by tenant").register(registry);
        this.oldestWait = MultiGauge.builder("millwright_queue_oldest_wait_seconds")
                .description("how long the longest-waiting pending workload of a tenant has waited").register(registry);
    }

    /** The samples taken at each refresh: what the console charts. */
    FleetHistory history() {
        return history;
    }

    /** At most this often is the store read for a scrape: an open endpoint must not be a way to load the database. */
    static final long MIN_INTERVAL_MILLIS = 2_000;
    private long refreshedAt = Long.MIN_VALUE;

    /** Reads the store afresh before a scrape, unless it did so very recently. */
    synchronized void refresh() {
        long now = System.nanoTime() / 1_000_000;
        if (refreshedAt != Long.MIN_VALUE && now - refreshedAt < MIN_INTERVAL_MILLIS) return;
        refreshedAt = now;
        read(false);
    }

    /**
     * Reads the store and keeps a sample for the console's charts. Not counted as a scrape's refresh, so a scrape
     * right after it still reads afresh.
     */
    synchronized void sample() {
        read(true);
    }

    private void read(boolean keepSample) {
        Map<String, Integer> total = new TreeMap<>();
        Map<String, double[]> busy = new TreeMap<>(); // per model: sum of utilization, GPUs sampled
        for (Resource m : store.listAll(ListOptions.all(FleetKinds.MACHINE)).items()) {
            m.status().path("gpusByModel").fields().forEachRemaining(e -> total.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
            JsonNode gpus = m.status().path("inventory").path("gpus");
            if (gpus.isEmpty()) continue;
            try {
                double[] b = busy.computeIfAbsent(GpuModels.shortName(gpus.get(0).path("model").asText()), k -> new double[2]);
                for (var sample : infra.gpuTelemetry(m.name())) {
                    b[0] += sample.utilization();
                    b[1]++;
                }
            } catch (RuntimeException e) {
                // unreachable or not managed: its GPUs are left out of the mean rather than counted idle
            }
        }
        Map<String, Integer> allocated = new TreeMap<>();
        Map<List<String>, Integer> byPhase = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
        Map<String, Integer> waiting = new TreeMap<>();
        Map<String, Double> oldest = new TreeMap<>();
        for (Resource w : store.listAll(ListOptions.all(WorkloadKinds.WORKLOAD)).items()) {
            JsonNode s = w.status();
            String phase = s.path("phase").asText("New");
            byPhase.merge(List.of(w.tenant(), phase), 1, Integer::sum);
            if (!s.path("placements").isEmpty() && s.has("gpuModel")) {
                allocated.merge(GpuModels.shortName(s.path("gpuModel").asText()), s.path("totalGpus").asInt(), Integer::sum);
            }
            if (phase.equals("Pending") || phase.equals("New") || phase.equals("Blocked")) {
                waiting.merge(w.tenant(), 1, Integer::sum);
                double age = Math.max(0, (clock.millis() - w.metadata().creationTimestamp().toEpochMilli()) / 1000.0);
                oldest.merge(w.tenant(), age, Math::max);
            }
        }
        double[] mean = new double[2];
        busy.values().forEach(b -> {
            mean[0] += b[0];
            mean[1] += b[1];
        });
        if (keepSample) history.add(new FleetHistory.Sample(clock.instant(), total.values().stream().mapToInt(Integer::intValue).sum(),
                allocated.values().stream().mapToInt(Integer::intValue).sum(), mean[1] == 0 ? 0 : mean[0] / mean[1]));
        List<MultiGauge.Row<?>> gpuRows = new ArrayList<>();
        total.forEach((model, n) -> {
            gpuRows.add(MultiGauge.Row.of(Tags.of("model", model, "state", "total"), n));
            gpuRows.add(MultiGauge.Row.of(Tags.of("model", model, "state", "allocated"), allocated.getOrDefault(model, 0)));
        });
        gpus.register(gpuRows, true);
        List<MultiGauge.Row<?>> utilRows = new ArrayList<>();
        busy.forEach((model, b) -> {
            if (b[1] > 0) utilRows.add(MultiGauge.Row.of(Tags.of("model", model), b[0] / b[1]));
        });
        utilization.register(utilRows, true);
        List<MultiGauge.Row<?>> phaseRows = new ArrayList<>();
        byPhase.forEach((k, n) -> phaseRows.add(MultiGauge.Row.of(Tags.of("tenant", k.get(0), "phase", k.get(1)), n)));
        workloads.register(phaseRows, true);
        List<MultiGauge.Row<?>> waitRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        waiting.forEach((t, n) -> waitRows.add(MultiGauge.Row.of(Tags.of("tenant", t), n)));
        oldest.forEach((t, a) -> ageRows.add(MultiGauge.Row.of(Tags.of("tenant", t), a)));
        pending.register(waitRows, true);
        oldestWait.register(ageRows, true);
        List<MultiGauge.Row<?>> vulnRows = new ArrayList<>();
        for (Resource env : store.listAll(ListOptions.all(dev.millwright.catalog.CatalogKinds.ENVIRONMENT)).items()) {
            env.status().path("vulnerabilities").path("counts").fields().forEachRemaining(e -> vulnRows.add(
                    MultiGauge.Row.of(Tags.of("tenant", env.tenant(), "environment", env.name(), "rating", e.getKey()), e.getValue().asInt())));
        }
        vulnerabilities.register(vulnRows, true);
    }
}
