package dev.millwright.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.ResourceKey;
import java.util.Map;

/**
 * One entry of the change feed.
 *
 * @param object the object's wire form after the change (before it, for DELETED); shared between
 *               watchers, so never modify it
 */
public record Change(long revision, Type type, ResourceKey key, Map<String, String> labels, ObjectNode object) {
    /** What happened to the object. */
    public enum Type { ADDED, MODIFIED, DELETED }
}
