package dev.millwright.cli;

/** A failure the CLI reports in one line and turns into an exit code; no stack trace reaches the user. */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
