package dev.millwright.store;

import java.time.Instant;

/**
 * Filters for reading the audit log; null means "any". Results come newest first.
 *
 * @param beforeSeq only records older than this sequence number (for paging); 0 for no bound
 */
public record AuditQuery(String tenant, String actor, String kind, Instant since, Instant until, int limit, long beforeSeq) {
    public static final int MAX_LIMIT = 5000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new dev.millwright.resource.BadRequestException("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }
}
