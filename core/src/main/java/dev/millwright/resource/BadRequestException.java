package dev.millwright.resource;

import java.util.List;
import java.util.Map;

/** The request itself is unusable: malformed body, unknown kind, bad query parameter. */
public final class BadRequestException extends MillwrightException {
    public BadRequestException(String message) {
        super(400, "BadRequest", message);
    }

    public BadRequestException(String field, String reason) {
        super(400, "BadRequest", field + ": " + reason, Map.of(field, List.of(reason)), null);
    }
}
