package dev.millwright.store;

/** A stored audit entry with its place in the chain. */
public record AuditRecord(long seq, AuditEntry entry, String hash) {
}
