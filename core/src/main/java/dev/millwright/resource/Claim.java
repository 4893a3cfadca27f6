package dev.millwright.resource;

import java.util.Objects;

/**
 * Something an object holds exclusively while it exists, such as a machine in a node pool: a second object
 * claiming the same value is refused, naming {@code field}.
 *
 * @param namespace what kind of thing is claimed ("machine")
 * @param value which one
 */
public record Claim(String field, String namespace, String value) {
    public Claim {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(value, "value");
    }
}
