package dev.millwright.sched;

import java.util.List;

/** One replica's place: the machine and the GPU indexes it holds there. */
public record Placement(int replica, String machine, List<Integer> gpus) {
    public Placement {
        gpus = List.copyOf(gpus);
    }
}
