package dev.millwright.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.millwright.resource.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One audited request: who, when, what, and how it ended.
 *
 * @param at truncated to microseconds, the precision PostgreSQL keeps, so the chained payload can be rebuilt
 * @param outcome the HTTP status the request was answered with
 * @param reason why it was refused or failed; empty on success
 * @param digest sha256 of the canonical JSON of the object written; empty when nothing was written
 */
public record AuditEntry(Instant at, String actor, String verb, String kind, String tenant, String name,
                         int outcome, String reason, String digest) {
    /** Longest reason kept; longer ones are cut, so one request cannot bloat the log. */
    public static final int MAX_REASON = 1000;

    public AuditEntry {
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
        actor = Objects.requireNonNullElse(actor, "");
        verb = Objects.requireNonNullElse(verb, "");
        kind = Objects.requireNonNullElse(kind, "");
        tenant = Objects.requireNonNullElse(tenant, "");
        name = Objects.requireNonNullElse(name, "");
        reason = Objects.requireNonNullElse(reason, "");
        if (reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON);
        // PostgreSQL text cannot hold NUL; a refused request must still be recorded
        actor = actor.replace('\0', '?');
        verb = verb.replace('\0', '?');
        kind = kind.replace('\0', '?');
        tenant = tenant.replace('\0', '?');
        name = name.replace('\0', '?');
        reason = reason.replace('\0', '?');
        digest = Objects.requireNonNullElse(digest, "");
    }

    /** The exact text hashed into the chain: a JSON array, so no field can bleed into the next. */
    public String payload() {
        ArrayNode a = Json.array();
        a.add(at.toString()).add(actor).add(verb).add(kind).add(tenant).add(name).add(outcome).add(reason).add(digest);
        return Json.string(a);
    }
}
