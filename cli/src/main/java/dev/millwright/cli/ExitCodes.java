package dev.millwright.cli;

/** What the CLI's exit status means, so scripts can branch on it. */
final class ExitCodes {
    static final int OK = 0;
    /** The server failed (5xx) or something unexpected happened. */
    static final int ERROR = 1;
    /** Wrong flags or arguments (picocli's own). */
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    /** A conflict: stale resourceVersion, name taken, a fenced write, or a rollout that has already finished. */
    static final int CONFLICT = 4;
    /** 401 or 403. */
    static final int DENIED = 5;
    /** 400, 413 or 422: the input is wrong. */
    static final int INVALID = 6;
    /** The server cannot be reached. */
    static final int UNREACHABLE = 7;
    /** {@code audit verify} found the chain broken. */
    static final int AUDIT_BROKEN = 8;
    /** A watched rollout ended other than Completed: Halted, Aborted, CompletedWithFailures or Refused. */
    static final int ROLLOUT_NOT_COMPLETED = 9;
    /** {@code bmc inspect} read a BMC whose GPUs contradict what was expected (--expect-gpus, --expect-gpu-model). */
    static final int INVENTORY_MISMATCH = 10;

    private ExitCodes() {
    }

    static int forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 409, 410 -> CONFLICT;
            case 401, 403 -> DENIED;
            case 400, 413, 422 -> INVALID;
            default -> ERROR;
        };
    }
}
