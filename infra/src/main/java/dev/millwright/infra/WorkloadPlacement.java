package dev.millwright.infra;

import java.util.List;

/**
 * Where a workload runs: the GPUs of one machine (a multi-node gang has one placement per machine).
 *
 * @param gpuShare the share of each listed GPU in thousandths (1000 = whole GPUs)
 * @param work how much work it has, in GPU-seconds at full speed; 0 for a service that runs until stopped
 */
public record WorkloadPlacement(String workload, String machine, List<Integer> gpus, int gpuShare, double work) {
    public WorkloadPlacement {
        gpus = List.copyOf(gpus);
    }
}
