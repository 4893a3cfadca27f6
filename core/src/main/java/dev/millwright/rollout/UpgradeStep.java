package dev.millwright.rollout;

import java.util.Objects;

/**
 * One step of a plan: one pack change, applied to one group of nodes, each node going through the procedure.
 * A Kubernetes minor is two steps, control plane first, because kubelets may trail kube-apiserver but never
 * lead it.
 */
public record UpgradeStep(PackChange change, Nodes nodes, NodeProcedure procedure) {
    /** Which nodes a step runs on. */
    public enum Nodes {
        CONTROL_PLANE("control plane"), WORKERS("workers");

        private final String label;

        Nodes(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public UpgradeStep {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(procedure, "procedure");
    }

    @Override
    public String toString() {
        return change + " on " + nodes.label() + ": " + procedure;
    }
}
