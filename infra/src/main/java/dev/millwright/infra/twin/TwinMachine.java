package dev.millwright.infra.twin;

import dev.millwright.infra.Health.NodeState;
import dev.millwright.infra.Health.PowerState;
import dev.millwright.infra.Inventory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One simulated server. Mutable; guarded by its twin's lock. GPU state lives in primitive arrays. */
final class TwinMachine {
    final String name;
    final String profile;
    final int index;
    /** What the BMC reports; a delivered machine's firmware may be older than its profile's. */
    Inventory inventory;
    /** Why the BMC answers but cannot be used (credentials refused, malformed answers), or null. */
    String bmcFault;
    /** The BMC refuses the credentials: operations fail refused (retrying cannot help), not merely failed. */
    boolean credentialsRefused;
    /** A check this machine always fails ({@code ?fail=nccl} on its endpoint): a known-bad part, for tests and demos. */
    String failsCheck;
    /** ECC was found disabled on one GPU as delivered. */
    boolean eccOff;
    PowerState power;
    NodeState node;
    boolean dead;
    boolean slow;
    long bmcDownUntil;
    final float[] utilization;
    final float[] temperature;
    final float[] powerWatts;
    final float[] memoryUsed;
    /** Each GPU's memory, copied out of the inventory for the telemetry loop. */
    final int[] gpuMemoryGiB;
    /** The Xid of a failed GPU, 0 when healthy. */
    final int[] xid;
    /** Thousandths of each GPU given to workloads. */
    final int[] allocated;
    final Map<String, TwinWorkload> workloads = new LinkedHashMap<>();
    final Map<String, String> layers = new TreeMap<>();
    long telemetryAt;

    TwinMachine(String name, String profile, int index, Inventory inventory) {
        this.name = name;
        this.profile = profile;
        this.index = index;
        this.inventory = inventory;
        int n = inventory.gpus().size();
        utilization = new float[n];
        temperature = new float[n];
        powerWatts = new float[n];
        memoryUsed = new float[n];
        gpuMemoryGiB = inventory.gpus().stream().mapToInt(dev.millwright.infra.Inventory.Gpu::memoryGiB).toArray();
        xid = new int[n];
        allocated = new int[n];
        power = PowerState.OFF;
        node = NodeState.NONE;
    }

    int gpus() {
        return xid.length;
    }

    boolean bmcDown(long now) {
        return now < bmcDownUntil;
    }

    boolean running() {
        return power == PowerState.ON && !dead;
    }

    /** Speed relative to a healthy machine. */
    double speed() {
        return slow ? 1.0 / 3 : 1.0;
    }

    /** A machine that is off or dead: its GPUs go to room temperature, once. */
    void coolDown() {
        // not keyed on GPU 0's power, which a failed GPU 0 has at 0 already
        if (temperature.length > 0 && temperature[0] != 22) {
            java.util.Arrays.fill(utilization, 0);
            java.util.Arrays.fill(powerWatts, 0);
            java.util.Arrays.fill(memoryUsed, 0);
            java.util.Arrays.fill(temperature, 22);
        }
    }

    /** One telemetry sample of every GPU, from what is allocated on it. */
    void sampleGpus(java.util.SplittableRandom random) {
        for (int g = 0; g < gpus(); g++) {
            if (xid[g] != 0) {
                utilization[g] = 0;
                powerWatts[g] = 0;
                temperature[g] = 30;
                continue;
            }
            // one draw per GPU, split into three 21-bit noises: the tick touches every GPU of the fleet
            long bits = random.nextLong();
            double n1 = (bits & 0x1FFFFF) / (double) 0x200000;
            double n2 = ((bits >>> 21) & 0x1FFFFF) / (double) 0x200000;
            double n3 = ((bits >>> 42) & 0x1FFFFF) / (double) 0x200000;
            double share = allocated[g] / 1000.0;
            double util = share == 0 ? 0.01 * n1 : share * (0.85 + 0.13 * n1) * speed();
            utilization[g] = (float) util;
            temperature[g] = (float) (32 + 48 * util + 2 * n2);
            powerWatts[g] = (float) (70 + 630 * util + 10 * n3);
            memoryUsed[g] = (float) (gpuMemoryGiB[g] * share * 0.9);
        }
    }

    /**
     * Advances running workloads by {@code seconds}; returns those that completed, in order, or null when none
     * did. No copy of the workloads per machine and tick (it was most of a fleet-day's run time): the caller
     * finishes the few that complete after the loop.
     */
    java.util.List<TwinWorkload> progress(double seconds) {
        java.util.List<TwinWorkload> completed = null;
        for (TwinWorkload w : workloads.values()) {
            if (w.state != dev.millwright.infra.WorkloadObservation.State.RUNNING || w.work == 0) continue;
            w.done += seconds * w.gpus.length * (w.share / 1000.0) * speed();
            if (w.done >= w.work) {
                if (completed == null) completed = new java.util.ArrayList<>(1);
                completed.add(w);
            }
        }
        return completed;
    }

    /** A workload placed here, with its share of each of its GPUs. */
    static final class TwinWorkload {
        final String id;
        final int[] gpus;
        final int share;
        final double work;
        double done;
        dev.millwright.infra.WorkloadObservation.State state = dev.millwright.infra.WorkloadObservation.State.PENDING;
        String message = "";

        TwinWorkload(String id, int[] gpus, int share, double work) {
            this.id = id;
            this.gpus = gpus;
            this.share = share;
            this.work = work;
        }
    }
}
