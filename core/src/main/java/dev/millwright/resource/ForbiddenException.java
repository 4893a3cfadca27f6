package dev.millwright.resource;

/** The caller is known and may see the object, but its role does not allow this verb. */
public final class ForbiddenException extends MillwrightException {
    public ForbiddenException(String message) {
        super(403, "Forbidden", message);
    }
}
