package dev.millwright.infra.redfish;

/**
 * Something a BMC did, or did not do, that stops a Redfish call. The message names the BMC, the request and what
 * was observed, and never a password or a session token; {@link #failure()} says what kind of failure it is, so
 * that callers (the CLI's exit codes, the port's {@code UnreachableException}) can branch on it.
 */
public final class RedfishException extends RuntimeException {
    /** What went wrong, from the caller's point of view. */
    public enum Failure {
        /** No connection: refused, reset, no route, an unknown host. */
        UNREACHABLE,
        /** Connected, but no answer within the configured timeout. */
        TIMEOUT,
        /** The TLS handshake failed: an untrusted or mismatched certificate, or plain HTTP on a TLS port. */
        TLS,
        /** 401 or 403: wrong credentials, none given, or an account without the privilege. */
        DENIED,
        /** The BMC answered something that is not JSON, or JSON without what Redfish requires there. */
        MALFORMED,
        /** The resource is not there: a system id that the BMC does not list. */
        NOT_FOUND,
        /** The BMC offers no way to do it: no VirtualMedia, no SimpleUpdate, no Reset action. */
        NOT_SUPPORTED,
        /** The BMC offers it, but not with this value (a ResetType or boot target outside its allowable values). */
        NOT_ALLOWED,
        /** 412 on a write with If-Match, even after reading the resource again. */
        CONFLICT,
        /** A task the BMC ran ended in Exception, Killed or Cancelled. */
        TASK_FAILED,
        /** Any other error status (5xx after the retries, an unexpected 4xx). */
        HTTP_ERROR
    }

    private final Failure failure;
    private final int status;

    RedfishException(Failure failure, String message) {
        this(failure, 0, message, null);
    }

    RedfishException(Failure failure, int status, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
        this.status = status;
    }

    public Failure failure() {
        return failure;
    }

    /** The HTTP status behind the failure, or 0 when there was no response. */
    public int status() {
        return status;
    }
}
