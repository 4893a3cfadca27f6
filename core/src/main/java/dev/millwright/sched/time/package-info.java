/**
 * Time replay of GPU-cluster job traces: a discrete-event simulation of a fleet of nodes, the jobs of several
 * tenants arriving, queueing, running, being preempted and finishing, under Millwright's production policy and
 * under the baselines it is measured against (FIFO, backfill, Kueue, node-choice variants, Tiresias, SRTF).
 *
 * <p>{@link dev.millwright.sched.time.TimeReplay} is the entry point: it reads the trace files, runs one policy
 * or all of them, and answers figures (job completion time, queueing delay, utilization, fairness) as a
 * {@link dev.millwright.sched.time.TimeReplay.Result}. Everything else in the package is package-private: the
 * reader, the cluster model, the event loop and one class per policy. The engine is pure: jobs in, figures out;
 * only {@code TraceReader} touches files.
 */
package dev.millwright.sched.time;
