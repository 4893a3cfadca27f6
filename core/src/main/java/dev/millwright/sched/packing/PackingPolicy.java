package dev.millwright.sched.packing;

/**
 * Chooses a node and GPUs for one pod on the current cluster, or none. A policy may keep caches between calls;
 * it is made for one replay and sees the cluster only through the {@link Cluster} it was made with. It must not
 * change the cluster: the replay applies the placement.
 */
interface PackingPolicy {
    /** @return where the pod goes, or null when it fits on no node */
    Placement place(Request r);
}
