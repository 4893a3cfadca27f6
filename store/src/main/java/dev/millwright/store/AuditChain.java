package dev.millwright.store;

/**
 * The head of the audit chain while a batch of mutations is written: read and locked once at the start of
 * the batch, advanced in Java for each mutation that happens, and written back once at the end. Computing
 * the hashes here instead of in SQL saves the batch one update of the head row per mutation.
 */
final class AuditChain {
    private long seq;
    private byte[] hash;
    private boolean advanced;

    AuditChain(long seq, byte[] hash) {
        this.seq = seq;
        this.hash = hash;
    }

    /** The sequence number and hash the next record would get; nothing changes until {@link #advance}. */
    Link peek(AuditEntry entry) {
        long next = seq + 1;
        return new Link(next, AuditLog.chain(hash, next, entry.payload()));
    }

    /** Makes {@code link} (from {@link #peek}) the head: its record was written. */
    void advance(Link link) {
        if (link.seq() != seq + 1) throw new IllegalStateException("audit chain advanced out of order");
        seq = link.seq();
        hash = link.hash();
        advanced = true;
    }

    boolean advanced() {
        return advanced;
    }

    long seq() {
        return seq;
    }

    byte[] hash() {
        return hash;
    }

    /** One record's place in the chain. */
    record Link(long seq, byte[] hash) {
    }
}
