package dev.millwright.rollout;

/**
 * The states one node passes through while a pack changes on it, named after the NVIDIA GPU Operator's
 * driver-upgrade state machine (upgrade-required, cordon-required, wait-for-jobs-required, drain-required,
 * validation-required, uncordon-required), without its bookkeeping states.
 */
public enum NodeState {
    /** No new pods are scheduled on the node. */
    CORDON("cordon"),
    /** Running GPU jobs finish, or checkpoint and stop, before anything is evicted. */
    WAIT_FOR_JOBS("wait-for-jobs (or checkpoint)"),
    /** The remaining pods are evicted, bounded by a grace period. */
    DRAIN("drain"),
    /** The pack is installed at its new version (or removed). */
    UPGRADE("upgrade"),
    /** The node proves the change worked before it takes work again. */
    VALIDATE("validate"),
    /** The node takes pods again. */
    UNCORDON("uncordon");

    private final String label;

    NodeState(String label) {
        this.label = label;
    }

    /** "wait-for-jobs (or checkpoint)": how plans print the state. */
    public String label() {
        return label;
    }
}
