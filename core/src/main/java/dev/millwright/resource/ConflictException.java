package dev.millwright.resource;

/** A write lost a race: the object changed since the caller read it, or already exists. Nothing was written. */
public final class ConflictException extends MillwrightException {
    public ConflictException(String message) {
        super(409, "Conflict", message);
    }
}
