package dev.millwright.infra;

/** The machine's BMC (or node) does not answer, or the machine is unknown to the adapter. */
public final class UnreachableException extends RuntimeException {
    public UnreachableException(String message) {
        super(message);
    }
}
