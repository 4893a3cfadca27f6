package dev.millwright.infra;

import java.time.Instant;

/** One GPU's telemetry at one moment, as DCGM reports it. */
public record GpuSample(int gpu, Instant at, double utilization, double temperatureC, double powerWatts,
                        double memoryUsedGiB, boolean healthy) {
}
