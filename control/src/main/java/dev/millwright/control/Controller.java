package dev.millwright.control;

import dev.millwright.resource.ResourceKey;
import dev.millwright.watch.Change;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One level-triggered reconcile loop for one kind. A pass reads desired and observed state, acts, and
 * writes status; it remembers nothing between passes, so running it again after a crash is always safe.
 */
public interface Controller {
    /** A short name used in logs, metrics and as the actor of its writes ("tenants"). */
    String name();

    /** The kind whose objects are reconciled; every change to one enqueues its key. */
    String kind();

    /** Other kinds whose changes enqueue keys of {@link #kind()}, with the mapping from change to keys. */
    default Map<String, Function<Change, List<ResourceKey>>> watches() {
        return Map.of();
    }

    /**
     * For a controller that decides over all objects at once (the scheduler): the one key every change of
     * {@link #kind()} and of the watched kinds enqueues, so that changes coalesce into one pass; null otherwise.
     */
    default ResourceKey singleton() {
        return null;
    }

    /**
     * Brings one object to its desired state. Throwing retries with exponential backoff, except for a
     * {@link TerminalException}. The object may no longer exist: then clean up and return done.
     */
    Result reconcile(ResourceKey key, ControllerContext context) throws Exception;
}
