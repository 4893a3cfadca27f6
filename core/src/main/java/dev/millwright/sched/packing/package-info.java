/**
 * Packing replay: the experiment of the FGD paper (Weng et al., USENIX ATC'23) as an engine. A trace's pods are
 * tuned to a target load and shuffled with a seed ({@link dev.millwright.sched.packing.Workload}), then arrive one
 * by one on a fixed set of nodes and are placed by a policy or fail for good; nothing departs. The outcome is GPU
 * allocation as a function of arrived GPU demand ({@link dev.millwright.sched.packing.AllocationCurve}).
 *
 * <p>Entry point: {@link dev.millwright.sched.packing.PackingReplay#run}. Pure: no files, no clock, no threads;
 * the same inputs and seed give the same {@link dev.millwright.sched.packing.PackingResult}.
 *
 * <p>The baselines follow the paper's simulator (github.com/hkust-adsl/kubernetes-scheduler-simulator) closely
 * enough to reproduce its published figures on the openb trace: a Kubernetes-like filter (CPU, memory, GPU
 * model, GPU room), one integer score plugin, ties to the node first in a seeded random order as its scheduler
 * fork does, and the plugin's own GPU choice. {@code millwright} is the production policy
 * ({@link dev.millwright.sched.packing.MillwrightPolicy}).
 */
package dev.millwright.sched.packing;
