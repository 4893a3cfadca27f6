package dev.millwright.auth;

import dev.millwright.resource.UnauthorizedException;
import dev.millwright.store.PrincipalDirectory;
import dev.millwright.store.TokenRecord;
import dev.millwright.store.Tokens;
import dev.millwright.tenancy.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a bearer token into a {@link Principal}. Results are cached for {@link #CACHE_TTL} so that a busy API
 * does not read the token and memberships on every request; a revocation or membership change through this
 * replica clears the cache at once, and reaches other replicas within the TTL.
 */
public final class Authenticator {
    /** How long an authenticated token is trusted without looking at the database again. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    /** Bound on cached tokens, so a flood of distinct tokens cannot grow memory. */
    private static final int MAX_CACHED = 10_000;

    private final Tokens tokens;
    private final PrincipalDirectory directory;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Principal principal, TokenRecord token, long expiresNanos) {
    }

    /** An authenticated caller and the token it used. */
    public record Caller(Principal principal, TokenRecord token) {
    }

    public Authenticator(Tokens tokens, PrincipalDirectory directory) {
        this.tokens = tokens;
        this.directory = directory;
    }

    /**
     * @param authorization the Authorization header
     * @throws UnauthorizedException when the header is missing or the token unknown, revoked, expired, or
     *                               its user or service account gone or disabled
     */
    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthorizedException("authentication required: send \"Authorization: Bearer <token>\"");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("Authorization header must use the Bearer scheme");
        }
        String token = authorization.substring(7).trim();
        long now = System.nanoTime();
        Cached hit = cache.get(token);
        if (hit != null && hit.expiresNanos - now > 0) return new Caller(hit.principal, hit.token);
        TokenRecord record = tokens.authenticate(token)
                .orElseThrow(() -> new UnauthorizedException("the token is unknown, revoked or expired"));
        Optional<Principal> principal = directory.resolve(record);
        if (principal.isEmpty()) {
            throw new UnauthorizedException("the token's " + record.subjectKind() + " " + record.subject() + " no longer exists or is disabled");
        }
        if (cache.size() >= MAX_CACHED) cache.clear();
        cache.put(token, new Cached(principal.get(), record, now + CACHE_TTL.toNanos()));
        return new Caller(principal.get(), record);
    }

    /** Forgets every cached token: after a revocation, or when users, roles or memberships change. */
    public void invalidate() {
        cache.clear();
    }
}
