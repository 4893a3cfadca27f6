package dev.millwright.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.MillwrightException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every error in one shape: {@code {status, title, message, details}}, with details keyed by field
 * path. Unexpected exceptions are logged and answered with a plain 500 that carries no stack trace.
 */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    static ObjectNode body(int status, String title, String message, Map<String, List<String>> details) {
        ObjectNode out = Json.object();
        out.put("status", status);
        out.put("title", title);
        out.put("message", message);
        out.set("details", Json.MAPPER.valueToTree(details));
        return out;
    }

    static void render(Context ctx, MillwrightException e) {
        write(ctx, e.status(), body(e.status(), e.title(), e.getMessage(), e.details()));
    }

    static void renderJavalin(Context ctx, HttpResponseException e) {
        int status = e.getStatus();
        String title = switch (status) {
            case 413 -> "PayloadTooLarge";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            default -> "BadRequest";
        };
        String message = status == 413 ? "body: larger than the limit of " + ApiRoutes.MAX_BODY_BYTES + " bytes" : e.getMessage();
        write(ctx, status, body(status, title, message, Map.of()));
    }

    static void renderUnexpected(Context ctx, Exception e) {
        if (isDatabaseTrouble(e)) {
            log.warn("database unavailable on {} {}: {}", ctx.method(), ctx.path(), e.toString());
            write(ctx, 503, body(503, "Unavailable", "the database is unavailable; try again", Map.of()));
            return;
        }
        log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
        write(ctx, 500, body(500, "InternalError", "the server failed to handle the request; the error is logged", Map.of()));
    }

    /** A lost or exhausted connection: the request may succeed later, so 503 rather than 500. */
    private static boolean isDatabaseTrouble(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.ConnectException) return true;
            if (t instanceof java.sql.SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) return true;
        }
        return false;
    }

    static void write(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }
}
