package dev.millwright.infra;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Every effect Millwright has on the world, and every observation it makes of it. Controllers call only
 * this port; adapters implement it: the digital twin (the whole of it), Redfish for BMCs, Kubernetes for
 * nodes and workloads.
 *
 * <p>Anything that takes time returns an {@link Operation} at once; callers poll {@link #operation} on later
 * reconcile passes rather than wait, so a crash in between loses nothing. Reads of a machine that cannot be
 * reached throw {@link UnreachableException}; {@link #health} instead answers with {@code reachable = false}.
 */
public interface Infrastructure {
    /** Starts managing the machine behind a BMC endpoint. Idempotent. */
    void enroll(MachineRef machine);

    /** Stops managing a machine (its object was deleted). Idempotent; the hardware itself is not touched. */
    void release(String machine);

    /** What hardware the machine has, read from its BMC. */
    Inventory inventory(String machine);

    /** Reachability, power, node state and faults; never throws for a machine that was enrolled. */
    Health health(String machine);

    Operation power(String machine, PowerAction action);

    /** Boots once from {@code source} and installs {@code image} (an OS image) on the machine's disk. */
    Operation install(String machine, BootSource source, String image);

    /** Runs the GPU, memory and fabric burn-in for {@code length}; fails with the faulty part named. */
    Operation burnIn(String machine, Duration length);

    /**
     * Installs one pack of a stack (gpu-driver, cuda, kubernetes, vllm...) at an exact version on the node,
     * replacing the version it had. Packs are named as in the catalog.
     */
    Operation installPack(String machine, String pack, String version);

    /** Removes a pack the node's stack no longer has. Removing one that is absent succeeds. */
    Operation removePack(String machine, String pack);

    /** The packs installed on the node and their versions, as its agent reports them; sorted by pack. */
    java.util.SortedMap<String, String> installedPacks(String machine);

    Operation cordon(String machine);

    Operation uncordon(String machine);

    /** Evicts the node's workloads, giving each {@code gracePeriod} to checkpoint. */
    Operation drain(String machine, Duration gracePeriod);

    Operation startWorkload(WorkloadPlacement placement);

    Operation stopWorkload(String workload);

    WorkloadObservation workload(String workload);

    /** The newest sample of each GPU of the machine. */
    List<GpuSample> gpuTelemetry(String machine);

    /** The state of an operation this port started. */
    Operation operation(String id);

    /**
     * The operations started on a machine, oldest first (as a Redfish TaskService or a node agent lists them), so
     * that a controller that crashed between asking for one and recording its id finds it instead of asking twice.
     */
    List<Operation> operations(String machine);

    /** The world's clock: the twin's virtual clock, or the system clock for real adapters. */
    Clock clock();

    /**
     * Starts managing a machine just delivered from the loading dock: bare and powered off, whatever the adapter
     * assumes of machines it meets otherwise (the twin enrolls the demo's fleet as running nodes). Idempotent.
     */
    default void enrollDelivered(MachineRef machine) {
        enroll(machine);
    }

    /**
     * Starts one validation check on a powered-on machine: {@code inspect} (boots an inspection image, reads the
     * hardware and its ECC state), {@code dcgm-r1|r2|r3} (DCGM diagnostics levels), {@code nvlink},
     * {@code infiniband}, {@code nccl} (all-reduce bus bandwidth across the machine's GPUs) or {@code stress}
     * (full GPU load for {@code length}; null elsewhere). Its operation kind is {@code check:<name>}; once it has
     * succeeded, {@link #checkReport} has the measurements. A check that could not run fails its operation.
     */
    default Operation check(String machine, String check, Duration length) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " runs no validation checks");
    }

    /** The measurements of a check operation that succeeded. */
    default CheckReport checkReport(String operationId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " runs no validation checks");
    }
}
