package dev.millwright.infra;

/** A machine's BMC cannot be reached because its credentials are missing or unreadable (the secret, or a key of it). */
public final class CredentialsException extends IllegalArgumentException {
    public CredentialsException(String message) {
        super(message);
    }
}
