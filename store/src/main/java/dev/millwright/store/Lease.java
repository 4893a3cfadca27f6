package dev.millwright.store;

import java.time.Instant;

/**
 * A held lease.
 *
 * @param token the fencing token: it grows each time the lease changes hands, so writes made under an
 *              older token can be told apart and refused
 * @param expiresAt in the database's clock, which all replicas share
 */
public record Lease(String name, String holder, long token, Instant expiresAt) {
    public WriteContext.Fence fence() {
        return new WriteContext.Fence(name, holder, token);
    }
}
