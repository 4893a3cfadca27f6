package dev.millwright.store;

import java.util.Objects;

/**
 * Who writes, and under which lease. Every mutation is audited in the transaction that makes it, as
 * {@code actor}; a write with a {@code fence} is refused unless that lease is still held with that token.
 *
 * @param actor "user:alice", "serviceaccount:acme/ci" or "controller:projects"
 * @param fence null for API writes; the controller lease for controller writes
 */
public record WriteContext(String actor, Fence fence) {
    public WriteContext {
        Objects.requireNonNull(actor, "actor");
    }

    public static WriteContext of(String actor) {
        return new WriteContext(actor, null);
    }

    /** A lease token that must still be current when the write commits. */
    public record Fence(String lease, String holder, long token) {
        public Fence {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(holder, "holder");
        }
    }
}
