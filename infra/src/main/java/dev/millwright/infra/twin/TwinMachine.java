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
    final Inventory inventory;
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
