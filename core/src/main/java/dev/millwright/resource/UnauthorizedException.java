package dev.millwright.resource;

/** No credentials, or credentials that are unknown, expired or revoked. */
public final class UnauthorizedException extends MillwrightException {
    public UnauthorizedException(String message) {
        super(401, "Unauthorized", message);
    }
}
