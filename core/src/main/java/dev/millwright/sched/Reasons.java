package dev.millwright.sched;

import dev.millwright.fleet.GpuModels;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/*
 * The words of every Wait: what holds a workload back, with the numbers an operator needs to act (what is in
 * use, what is allowed, what is asked). GPUs are written in GPUs with up to three decimals (a share is
 * "0.5"), CPU in cores, memory in MiB, and GPU models by their short name.
 */
final class Reasons {
    private Reasons() {
    }

    static String heldBack(Scheduler.Request starved, long waitedMillis) {
        return "held back: " + starved.id() + " has waited " + waitedMillis / 60_000 + " min for " + decimal(starved.gpuMilli()) + " "
                + GpuModels.shortName(starved.gpuModel()) + " GPUs; backfill is paused on these nodes until it starts";
    }

    /** The first limit, of its queue or an ancestor, on its GPU model, CPU or memory, that {@code r} would pass; null when none. */
    static String overLimit(Scheduler.Request r, QueueTree queues) {
        String[] resources = {r.gpuModel(), Scheduler.CPU, Scheduler.MEMORY};
        long[] asks = {r.gpuMilli(), (long) r.replicas() * r.cpuMillis(), (long) r.replicas() * r.memoryMiB()};
        for (int i = 0; i < resources.length; i++) {
            QueueTree.Over o = queues.overLimit(r.queue(), resources[i], asks[i]);
            if (o == null) continue;
            String queue = "queue " + o.queue().name + ": ";
            String with = o.queue().children > 0 ? " (with its projects)" : "";
            return switch (i) {
                case 0 -> queue + GpuModels.shortName(r.gpuModel()) + " limit " + decimal(o.inUse()) + "/" + decimal(o.limit()) + " in use" + with
                        + ", " + decimal(asks[i]) + " more asked";
                case 1 -> queue + "CPU limit " + decimal(o.inUse()) + "/" + decimal(o.limit()) + " cores in use" + with + ", " + decimal(asks[i])
                        + " more asked";
                default -> queue + "memory limit " + o.inUse() + "/" + o.limit() + " MiB in use" + with + ", " + asks[i] + " more asked";
            };
        }
        return null;
    }

    static String borrowingBlocked(Scheduler.Request r, long used, long guaranteed, long lendable, long needed) {
        if (guaranteed == 0) {
            return "queue " + r.queue() + " has no " + GpuModels.shortName(r.gpuModel()) + " guarantee and borrows idle GPUs: "
                    + decimal(lendable) + " can be borrowed now, " + decimal(needed) + " needed";
        }
        return "queue " + r.queue() + ": " + GpuModels.shortName(r.gpuModel()) + " quota " + decimal(Math.min(used, guaranteed)) + "/"
                + decimal(guaranteed) + " in use; borrowing blocked: " + decimal(lendable) + " GPUs lendable by other queues, " + decimal(needed)
                + " needed";
    }

    /** No room in its pool (null when no node has its model in its partition), all or none. */
    static String noRoom(Scheduler.Request r, Fleet.Pool p) {
        String model = GpuModels.shortName(r.gpuModel());
        StringBuilder why = new StringBuilder("waiting for ").append(r.replicas()).append(" x ")
                .append(decimal((long) r.gpusPerReplica() * r.gpuShare())).append(' ').append(model).append(" GPUs");
        List<String> with = new ArrayList<>();
        if (r.cpuMillis() > 0) with.add(decimal(r.cpuMillis()) + " cores");
        if (r.memoryMiB() > 0) with.add(r.memoryMiB() % 1024 == 0 ? r.memoryMiB() / 1024 + " GiB memory" : r.memoryMiB() + " MiB memory");
        if (!with.isEmpty()) why.append(" with ").append(String.join(" and ", with)).append(" each");
        if (p == null) {
            return why.append(": no node").append(r.partition().isEmpty() ? "" : " of partition " + r.partition())
                    .append(" has ").append(model).append(" GPUs").toString();
        }
        why.append(", all or none: ").append(p.freeGpus).append(" free on ").append(p.nodes).append(" nodes, ")
                .append(p.largestFree()).append(" at most on one");
        if (r.gpuShare() < Fleet.WHOLE) {
            why.append("; the roomiest shared GPU has ").append(p.shared.isEmpty() ? "0" : decimal(p.shared.last().room)).append(" free");
        }
        return why.toString();
    }

    /** Thousandths as a decimal: 16000 -> "16", 500 -> "0.5". */
    static String decimal(long thousandths) {
        return thousandths % 1000 == 0 ? Long.toString(thousandths / 1000) : BigDecimal.valueOf(thousandths, 3).stripTrailingZeros().toPlainString();
    }
}
