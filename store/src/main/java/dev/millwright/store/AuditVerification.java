package dev.millwright.store;

/**
 * The result of re-computing the audit chain.
 *
 * @param checked records read
 * @param firstBadSeq the first record that does not match the chain, or -1
 * @param problem what is wrong, or empty
 * @param headHash the hex hash of the newest record: write it down elsewhere to anchor the chain
 */
public record AuditVerification(boolean intact, long checked, long firstBadSeq, String problem, String headHash) {
}
