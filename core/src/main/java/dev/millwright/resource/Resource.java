package dev.millwright.resource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One declarative object: what the user wants ({@code spec}) and what the system observed ({@code status}).
 *
 * <p>{@code spec} and {@code status} are Jackson trees, which are mutable: treat a Resource as a value and
 * never change its trees in place; {@link #withSpec} and {@link #withStatus} take copies.
 */
public record Resource(String kind, ObjectMeta metadata, ObjectNode spec, ObjectNode status) {
    public static final String API_VERSION = "millwright.dev/v1";

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(metadata, "metadata");
        spec = spec == null ? JsonNodeFactory.instance.objectNode() : spec;
        status = status == null ? JsonNodeFactory.instance.objectNode() : status;
    }

    public String apiVersion() {
        return API_VERSION;
    }

    public ResourceKey key() {
        return new ResourceKey(kind, metadata.tenant(), metadata.name());
    }

    public String name() {
        return metadata.name();
    }

    public String tenant() {
        return metadata.tenant();
    }

    public long resourceVersion() {
        return metadata.resourceVersion();
    }

    public Resource withMetadata(ObjectMeta metadata) {
        return new Resource(kind, metadata, spec, status);
    }

    public Resource withSpec(ObjectNode spec) {
        return new Resource(kind, metadata, spec.deepCopy(), status);
    }

    public Resource withStatus(ObjectNode status) {
        return new Resource(kind, metadata, spec, status.deepCopy());
    }
}
