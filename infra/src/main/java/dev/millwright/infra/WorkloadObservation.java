package dev.millwright.infra;

/**
 * How a workload is doing.
 *
 * @param progress 0..1 of its work; 0 for services
 * @param errorRate share of requests (services) or steps (jobs) failing in the last interval
 * @param latencyMs p99 latency of a service's requests
 */
public record WorkloadObservation(String workload, State state, double progress, double errorRate, double latencyMs,
                                  String message) {
    public enum State { PENDING, RUNNING, SUCCEEDED, FAILED, STOPPED, UNKNOWN }
}
