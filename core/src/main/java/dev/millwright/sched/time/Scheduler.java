package dev.millwright.sched.time;

/**
 * A policy in the replay: told of arrivals, completions and its own timers, and asked after every batch of
 * events to decide which jobs start or stop, through {@link Simulation#tryStart}, {@link Simulation#startOn} and
 * {@link Simulation#preempt}.
 */
interface Scheduler {
    /** A job was submitted; it is pending. */
    void arrived(ActiveJob j, double now);

    /** A job finished; its GPUs are already free. */
    void finished(ActiveJob j, double now);

    /** One scheduling pass at {@code now}, after all events at {@code now} were handled. */
    void schedule(double now);

    /** A job this policy started is now running (called by the simulation). */
    default void started(ActiveJob j, double now) {
    }

    /** A job was stopped by {@link Simulation#preempt}; it is pending again. */
    default void preempted(ActiveJob j, double now) {
    }

    /** A timer set with {@link Simulation#wakeAt} fired for a job that is still in the state it was set in. */
    default void timer(ActiveJob j, double now) {
    }
}
