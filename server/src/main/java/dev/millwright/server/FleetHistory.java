package dev.millwright.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The fleet's GPUs over the last hour, one sample per refresh of the metrics (every {@link #EVERY_SECONDS} s):
 * total, allocated to placed workloads, and the mean utilization of those reporting telemetry. Kept in memory by
 * each replica, for the console's charts; a restart begins a new hour.
 */
final class FleetHistory {
    static final int EVERY_SECONDS = 10;
    static final int SAMPLES = 360;

    /** One point in time. */
    record Sample(Instant at, int total, int allocated, double utilization) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    synchronized void add(Sample s) {
        samples.addLast(s);
        while (samples.size() > SAMPLES) samples.removeFirst();
    }

    /** {@code {"everySeconds": 10, "samples": [{"at", "total", "allocated", "utilization"}...]}}, oldest first. */
    synchronized ObjectNode json() {
        ObjectNode out = Json.object().put("everySeconds", EVERY_SECONDS);
        ArrayNode list = out.putArray("samples");
        for (Sample s : samples) {
            list.addObject().put("at", s.at().toString()).put("total", s.total()).put("allocated", s.allocated())
                    .put("utilization", Math.round(s.utilization() * 1000) / 1000.0);
        }
        return out;
    }
}
