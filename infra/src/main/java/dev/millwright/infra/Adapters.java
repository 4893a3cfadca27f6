package dev.millwright.infra;

import dev.millwright.infra.redfish.RedfishInfrastructure;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The infrastructure port as the controllers see it: each machine is driven by the adapter its BMC endpoint
 * names ({@code twin://} the digital twin, {@code http(s)://} a real BMC over Redfish), and what is not one
 * machine's (workloads) goes to the twin, the world the scheduler's placements run in until a cluster adapter
 * exists. A machine never enrolled is the twin's.
 *
 * <p>Redfish reaches a machine out of band only: where a controller asks what the node's own software knows
 * (installed packs, GPU telemetry), a Redfish machine answers as a node without an agent yet, unreachable
 * in band, so the controllers report it instead of failing.
 */
public final class Adapters implements Infrastructure {
    private final Infrastructure twin;
    private final RedfishInfrastructure redfish;
    private final Map<String, Infrastructure> byMachine = new ConcurrentHashMap<>();

    public Adapters(Infrastructure twin, RedfishInfrastructure redfish) {
        this.twin = twin;
        this.redfish = redfish;
    }

    private Infrastructure of(String machine) {
        return byMachine.getOrDefault(machine, twin);
    }

    private Infrastructure forEndpoint(MachineRef machine) {
        Infrastructure a = RedfishInfrastructure.handles(machine.bmcEndpoint()) ? redfish : twin;
        byMachine.put(machine.name(), a);
        return a;
    }

    @Override
    public void enroll(MachineRef machine) {
        forEndpoint(machine).enroll(machine);
    }

    @Override
    public void enrollDelivered(MachineRef machine) {
        forEndpoint(machine).enrollDelivered(machine);
    }

    @Override
    public void release(String machine) {
        Infrastructure a = byMachine.remove(machine);
        (a == null ? twin : a).release(machine);
    }

    @Override
    public Inventory inventory(String machine) {
        return of(machine).inventory(machine);
    }

    @Override
    public Health health(String machine) {
        return of(machine).health(machine);
    }

    @Override
    public Operation power(String machine, PowerAction action) {
        return of(machine).power(machine, action);
    }

    @Override
    public Operation install(String machine, BootSource source, String image) {
        return of(machine).install(machine, source, image);
    }

    @Override
    public Operation burnIn(String machine, Duration length) {
        return of(machine).burnIn(machine, length);
    }

    @Override
    public Operation check(String machine, String check, Duration length) {
        return of(machine).check(machine, check, length);
    }

    @Override
    public CheckReport checkReport(String operationId) {
        return operationId.startsWith(REDFISH) ? redfish.checkReport(operationId) : twin.checkReport(operationId);
    }

    @Override
    public Operation installPack(String machine, String pack, String version) {
        return of(machine).installPack(machine, pack, version);
    }

    @Override
    public Operation removePack(String machine, String pack) {
        return of(machine).removePack(machine, pack);
    }

    @Override
    public SortedMap<String, String> installedPacks(String machine) {
        try {
            return of(machine).installedPacks(machine);
        } catch (RedfishInfrastructure.InBandOnlyException e) {
            throw new UnreachableException("no in-band agent on " + machine + " yet: " + e.getMessage());
        }
    }

    @Override
    public Operation cordon(String machine) {
        return of(machine).cordon(machine);
    }

    @Override
    public Operation uncordon(String machine) {
        return of(machine).uncordon(machine);
    }

    @Override
    public Operation drain(String machine, Duration gracePeriod) {
        return of(machine).drain(machine, gracePeriod);
    }

    @Override
    public Operation startWorkload(WorkloadPlacement placement) {
        return twin.startWorkload(placement);
    }

    @Override
    public Operation stopWorkload(String workload) {
        return twin.stopWorkload(workload);
    }

    @Override
    public WorkloadObservation workload(String workload) {
        return twin.workload(workload);
    }

    @Override
    public List<GpuSample> gpuTelemetry(String machine) {
        try {
            return of(machine).gpuTelemetry(machine);
        } catch (RedfishInfrastructure.InBandOnlyException e) {
            throw new UnreachableException("no in-band agent on " + machine + " yet: " + e.getMessage());
        }
    }

    /** Redfish operation ids begin so ({@code redfish-<machine>-<n>}, {@code redfish:<machine>:task:...}). */
    private static final String REDFISH = "redfish";

    @Override
    public Operation operation(String id) {
        return id.startsWith(REDFISH) ? redfish.operation(id) : twin.operation(id);
    }

    @Override
    public List<Operation> operations(String machine) {
        return of(machine).operations(machine);
    }

    /** The twin's clock: the world's time, which a BMC's operations are timed by too. */
    @Override
    public Clock clock() {
        return twin.clock();
    }
}
