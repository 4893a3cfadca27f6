package dev.millwright.store;

import java.time.Instant;

/**
 * A bearer token as stored: never the secret, only its hash (which is not part of this record).
 *
 * @param subjectKind "User" or "ServiceAccount"
 * @param tenant the service account's tenant; empty for users
 * @param subjectUid the uid of the User or ServiceAccount the token was issued for; a namesake created later
 *                   does not inherit it
 * @param expiresAt null for tokens that do not expire
 * @param revokedAt null while the token is valid
 */
public record TokenRecord(String id, String subjectKind, String tenant, String subject, String subjectUid, String description,
                          Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt) {
    public boolean isUsable(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
