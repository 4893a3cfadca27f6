package dev.millwright.sched.time;

import dev.millwright.resource.BadRequestException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The policies a time replay runs, by their command-line names, in the order of the comparison table. */
enum Policy {
    MILLWRIGHT("millwright"),
    FIFO("fifo"),
    FIRST_FIT("first-fit"),
    KUEUE("kueue"),
    BEST_FIT("best-fit"),
    DOT_PROD("dot-prod"),
    GPU_PACKING("gpu-packing"),
    FGD("fgd"),
    TIRESIAS("tiresias"),
    SRTF("srtf");

    final String cliName;

    Policy(String cliName) {
        this.cliName = cliName;
    }

    static Policy of(String name) {
        for (Policy p : values()) if (p.cliName.equals(name)) return p;
        throw new BadRequestException("policy", "unknown policy '" + name + "' (known: "
                + Arrays.stream(values()).map(p -> p.cliName).collect(Collectors.joining(", ")) + ", "
                + TimeReplay.ALL + ")");
    }

    Scheduler create(Simulation sim, int[] quota) {
        return switch (this) {
            case MILLWRIGHT -> new MillwrightScheduler(sim, quota);
            case FIFO -> new FifoScheduler(sim, false, NodeChoice.FIRST_FIT);
            case FIRST_FIT -> new FifoScheduler(sim, true, NodeChoice.FIRST_FIT);
            case KUEUE -> new KueueScheduler(sim, quota);
            case BEST_FIT -> new FifoScheduler(sim, true, NodeChoice.BEST_FIT);
            case DOT_PROD -> new FifoScheduler(sim, true, NodeChoice.DOT_PROD);
            case GPU_PACKING -> new FifoScheduler(sim, true, NodeChoice.GPU_PACKING);
            case FGD -> new FifoScheduler(sim, true, NodeChoice.FGD);
            case TIRESIAS -> new PriorityScheduler(sim, PriorityScheduler.Kind.TIRESIAS);
            case SRTF -> new PriorityScheduler(sim, PriorityScheduler.Kind.SRTF);
        };
    }
}
