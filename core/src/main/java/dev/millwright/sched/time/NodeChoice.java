package dev.millwright.sched.time;

/**
 * Which node a job of at most one node's GPUs goes to, among those with room. In a whole-GPU replay a node's
 * state is just its number of free GPUs, so every rule is a choice of that number; ties go to the lowest node
 * index. Jobs larger than a node take whole idle nodes, lowest index first, and put their remainder by the rule.
 */
enum NodeChoice {
    /** The lowest-index node with room (YARN-style, the Tiresias simulator's default). */
    FIRST_FIT,
    /** The node with the fewest free GPUs that still fit: keeps whole nodes free for large jobs. */
    BEST_FIT,
    /** The node with the most free GPUs: kube-scheduler's default {@code LeastAllocated} scoring (spreading). */
    WORST_FIT,
    /**
     * Tetris-style dot product of the node's free resources and the job's demand, smallest first. With one
     * resource (whole GPUs) it orders nodes exactly as {@link #BEST_FIT}; kept so the harness matches the packing
     * replay's policy list.
     */
    DOT_PROD,
    /** Nodes already in use first (lowest index), idle nodes only when no used node has room (FGD paper's GPU packing). */
    GPU_PACKING,
    /**
     * Fragmentation gradient descent (Weng et al., ATC'23): the node whose fragmentation grows least, where a
     * node's fragmentation is the expected number of its free GPUs that a job drawn from the workload's size
     * distribution could not use.
     */
    FGD
}
