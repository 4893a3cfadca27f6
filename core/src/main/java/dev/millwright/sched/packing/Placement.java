package dev.millwright.sched.packing;

/**
 * Where one pod goes: a node index and the indexes of the GPUs it uses there (empty for a CPU-only pod).
 */
record Placement(int node, int[] gpus) {
}
