package dev.millwright.resource;

import java.util.Map;

/**
 * The one unchecked root of every error Millwright answers with. Each subclass names what failed and maps to
 * one HTTP status; the API renders all of them in one shape ({@code status, title, message, details}).
 */
public class MillwrightException extends RuntimeException {
    private final int status;
    private final String title;
    private final Map<String, java.util.List<String>> details;

    public MillwrightException(int status, String title, String message) {
        this(status, title, message, Map.of(), null);
    }

    public MillwrightException(int status, String title, String message,
                               Map<String, java.util.List<String>> details, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.title = title;
        // sorted, so that messages and JSON come out the same every run
        this.details = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(details));
    }

    /** The HTTP status this error is answered with. */
    public int status() {
        return status;
    }

    /** A short, stable name of the failure, such as {@code NotFound} or {@code Conflict}. */
    public String title() {
        return title;
    }

    /** Reasons keyed by field path ({@code spec.members[0].role}); empty when the error is not about fields. */
    public Map<String, java.util.List<String>> details() {
        return details;
    }
}
