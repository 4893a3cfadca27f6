package dev.millwright.store;

import dev.millwright.resource.ResourceKey;
import java.time.Instant;

/**
 * Something a controller observed about an object, counted when it repeats.
 *
 * @param type "Normal" or "Warning"
 * @param reason a short CamelCase cause ("TenantReady", "ReconcileFailed")
 */
public record EventRecord(long id, ResourceKey involved, String type, String reason, String message, String source,
                          int count, Instant firstTimestamp, Instant lastTimestamp) {
}
