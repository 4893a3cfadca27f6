package dev.millwright.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.ResourceKey;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the change feed. Shared by every watcher of this process, so it is immutable; the object is
 * kept as the JSON text the database returned, parsed only for those who ask, and a watch stream's event
 * frame is built once for all of its subscribers.
 */
public final class Change {
    /** What happened to the object. */
    public enum Type { ADDED, MODIFIED, DELETED }

    private final long revision;
    private final Type type;
    private final ResourceKey key;
    private final Map<String, String> labels;
    private final String objectJson;
    private volatile ObjectNode object;
    private volatile String eventJson;

    public Change(long revision, Type type, ResourceKey key, Map<String, String> labels, String objectJson) {
        this.revision = revision;
        this.type = Objects.requireNonNull(type, "type");
        this.key = Objects.requireNonNull(key, "key");
        this.labels = Map.copyOf(labels);
        this.objectJson = Objects.requireNonNull(objectJson, "objectJson");
    }

    public long revision() {
        return revision;
    }

    public Type type() {
        return type;
    }

    public ResourceKey key() {
        return key;
    }

    public Map<String, String> labels() {
        return labels;
    }

    /** The object after the change (before it, for DELETED), as JSON text. */
    public String objectJson() {
        return objectJson;
    }

    /** The object parsed; a copy of its own per call would cost every watcher, so never modify it. */
    public ObjectNode object() {
        ObjectNode o = object;
        if (o == null) {
            o = (ObjectNode) Json.tree(objectJson);
            object = o;
        }
        return o;
    }

    /** {@code {"type":..., "object":...}}: the data of a watch event, built once per change. */
    public String eventJson() {
        String e = eventJson;
        if (e == null) {
            e = "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}";
            eventJson = e;
        }
        return e;
    }

    @Override
    public String toString() {
        return type + " " + key + " @" + revision;
    }
}
