package dev.millwright.store;

import dev.millwright.resource.MillwrightException;

/** A controller wrote under a lease it no longer holds; the write was rejected and nothing changed. */
public final class FencedException extends MillwrightException {
    public FencedException(String message) {
        super(409, "Fenced", message);
    }
}
