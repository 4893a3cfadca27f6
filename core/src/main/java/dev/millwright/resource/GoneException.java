package dev.millwright.resource;

/** A watch asked to resume from a resourceVersion the change feed no longer holds; list again and watch from there. */
public final class GoneException extends MillwrightException {
    public GoneException(String message) {
        super(410, "Gone", message);
    }
}
