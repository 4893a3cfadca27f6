package dev.millwright.control;

/** A reconcile failure that retrying cannot fix (bad spec, missing reference): logged and counted, not retried. */
public class TerminalException extends RuntimeException {
    public TerminalException(String message) {
        super(message);
    }
}
