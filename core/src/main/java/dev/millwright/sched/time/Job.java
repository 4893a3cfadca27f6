package dev.millwright.sched.time;

import java.util.Objects;

/**
 * One job of a trace, as read: who submitted it, when, how much service it needs and how many GPUs at once.
 *
 * @param tenant   the tenant (the trace file's name without its extension)
 * @param id       the job's identifier in its trace (for messages)
 * @param submit   submission time, seconds
 * @param duration service time, seconds: how long it runs once started, if never preempted
 * @param gpus     GPUs it needs, all at once (a gang)
 * @param line     its line in the trace file, 1-based (for messages)
 */
record Job(String tenant, String id, double submit, double duration, int gpus, int line) {
    Job {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        if (!(submit >= 0)) throw new IllegalArgumentException("submit must not be negative: " + submit);
        if (!(duration >= 0)) throw new IllegalArgumentException("duration must not be negative: " + duration);
        if (gpus < 1) throw new IllegalArgumentException("gpus must be at least 1: " + gpus);
    }
}
