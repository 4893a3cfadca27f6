package dev.millwright.control;

import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.Events;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.WriteContext;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a controller works with: the store, events and the clock, and writes fenced by the leader lease, so
 * that a replica that lost leadership cannot change anything.
 */
public final class ControllerContext {
    private final ResourceStore store;
    private final Events events;
    private final Clock clock;
    private final WriteContext writes;

    ControllerContext(ResourceStore store, Events events, Clock clock, WriteContext writes) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.writes = writes;
    }

    public ResourceStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public Optional<Resource> get(ResourceKey key) {
        return store.get(key);
    }

    /** Writes the object's status (only its status), fenced by the lease; a status equal to the current one writes nothing. */
    public Resource updateStatus(ResourceKey key, UnaryOperator<com.fasterxml.jackson.databind.node.ObjectNode> status) {
        return store.update(key, r -> r.withStatus(status.apply(r.status().deepCopy())), writes, "update-status");
    }

    /** Records an event on an object, as this controller. */
    public void event(ResourceKey key, String type, String reason, String message) {
        events.record(key, type, reason, message, writes.actor());
    }

    /** The write context of this controller: its actor and the lease fence. */
    public WriteContext writes() {
        return writes;
    }
}
