package dev.millwright.resource;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The metadata every object carries. {@code uid}, {@code resourceVersion}, {@code generation} and
 * {@code creationTimestamp} are set by the store; what a client sends for them is ignored, except
 * {@code resourceVersion}, which a client sends back as the precondition of an update.
 *
 * @param tenant empty for platform-scoped kinds
 * @param resourceVersion 0 when the object has not been stored yet
 */
public record ObjectMeta(String name, String tenant, Map<String, String> labels, Map<String, String> annotations,
                         String uid, long resourceVersion, long generation, Instant creationTimestamp) {
    public ObjectMeta {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        labels = sorted(labels);
        annotations = sorted(annotations);
    }

    public static ObjectMeta named(String name, String tenant) {
        return new ObjectMeta(name, tenant, Map.of(), Map.of(), null, 0, 0, null);
    }

    public ObjectMeta withLabels(Map<String, String> labels) {
        return new ObjectMeta(name, tenant, labels, annotations, uid, resourceVersion, generation, creationTimestamp);
    }

    public ObjectMeta withResourceVersion(long resourceVersion) {
        return new ObjectMeta(name, tenant, labels, annotations, uid, resourceVersion, generation, creationTimestamp);
    }

    /** The fields the store owns, set on a stored copy. */
    public ObjectMeta stored(String uid, long resourceVersion, long generation, Instant creationTimestamp) {
        return new ObjectMeta(name, tenant, labels, annotations, uid, resourceVersion, generation, creationTimestamp);
    }

    // Sorted, unmodifiable copies keep serialisation (and so audit digests) stable.
    private static SortedMap<String, String> sorted(Map<String, String> map) {
        return map == null ? java.util.Collections.emptySortedMap()
                : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
