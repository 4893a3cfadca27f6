package dev.millwright.control.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the scheduler writes on a tenant's workload names none of another tenant's workloads, queues or rollouts. */
class OtherTenantsTest {
    private static final OtherTenants OTHERS = new OtherTenants(Set.of("acme", "globex"));

    @Test
    void anotherTenantsWorkloadAndQueueAreUnnamedAndTheTenantsOwnAreKept() {
        String reason = "queue acme/acme borrowed H100 80GB GPUs that queue globex/prod needs within its guarantee";
        assertThat(OTHERS.asSeenBy("acme", reason))
                .isEqualTo("queue acme/acme borrowed H100 80GB GPUs that a queue of another tenant needs within its guarantee");
        assertThat(OTHERS.asSeenBy("globex", reason))
                .isEqualTo("a queue of another tenant borrowed H100 80GB GPUs that queue globex/prod needs within its guarantee");
        assertThat(OTHERS.asSeenBy("acme", "globex/train.v2")).isEqualTo("a workload of another tenant");
        assertThat(OTHERS.asSeenBy("acme", "held back: globex/big#more has waited 12 min for 16 H100 80GB GPUs"))
                .isEqualTo("held back: a workload of another tenant has waited 12 min for 16 H100 80GB GPUs");
        assertThat(OTHERS.asSeenBy("acme", "waiting for acme/a, globex/b to checkpoint and stop (8 GPUs)"))
                .isEqualTo("waiting for acme/a, a workload of another tenant to checkpoint and stop (8 GPUs)");
        assertThat(OTHERS.asSeenBy("acme", "rollout globex/r1")).isEqualTo("a rollout of another tenant");
    }

    @Test
    void namesWhoseFirstPartIsNoTenantAreLeftAlone() {
        String noRoom = "waiting for 2 x 8 H100 80GB GPUs: no node of partition pool/shared has H100 80GB GPUs";
        assertThat(OTHERS.asSeenBy("acme", noRoom)).isEqualTo(noRoom);
        assertThat(OTHERS.asSeenBy("acme", "environment acme/prod: H100 80GB quota 8/8 in use, 8 more asked"))
                .isEqualTo("environment acme/prod: H100 80GB quota 8/8 in use, 8 more asked");
        assertThat(OTHERS.asSeenBy("acme", "image ghcr.io/globex/x:1")).as("inside a longer path").isEqualTo("image ghcr.io/globex/x:1");
    }
}
