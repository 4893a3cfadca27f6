package dev.millwright.sched;

import java.util.Locale;

/**
 * The priority classes of workloads, highest first. Production inference is never preempted by anything
 * below it; the others may be preempted by higher classes when they run on borrowed capacity.
 */
public enum PriorityClass {
    PRODUCTION_INFERENCE(1000, false),
    TRAINING(500, true),
    BATCH(200, true),
    INTERACTIVE(100, true);

    private final int value;
    private final boolean preemptible;

    PriorityClass(int value, boolean preemptible) {
        this.value = value;
        this.preemptible = preemptible;
    }

    public int value() {
        return value;
    }

    public boolean preemptible() {
        return preemptible;
    }

    /** "production-inference" and the like; null or empty for the default, batch. */
    public static PriorityClass of(String name) {
        if (name == null || name.isEmpty()) return BATCH;
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
