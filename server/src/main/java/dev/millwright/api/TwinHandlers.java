package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.infra.twin.Twin;
import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.ConflictException;
import dev.millwright.resource.ForbiddenException;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.Json;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.store.AuditEntry;
import dev.millwright.tenancy.Principal;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The digital twin's own controls, for platform admins running demos and tests: its clock and history,
 * fault injection ({@code POST /api/v1/twin/faults}), and advancing a still twin ({@code POST
 * /api/v1/twin/advance}). Both are effects on the (simulated) world, so both are audited. A twin served by another
 * process ({@code millwright twin serve}) has these controls there, not here.
 */
final class TwinHandlers {
    /** Longest single advance: a week of simulated time (the twin is locked while it runs). */
    static final Duration MAX_ADVANCE = Duration.ofDays(7);

    private final ApiContext api;
    private final Gate gate;
    private final Twin twin;

    TwinHandlers(ApiContext api, Gate gate, Twin twin) {
        this.api = api;
        this.gate = gate;
        this.twin = twin;
    }

    void describe(Context ctx) {
        admin(ctx);
        ObjectNode out = Json.object();
        out.put("clock", twin.clock().instant().toString());
        out.put("machines", twin.machineCount());
        out.put("gpus", twin.gpuCount());
        out.put("historyEntries", twin.historySize());
        out.put("historyDigest", twin.historyDigest());
        List<String> recent = twin.history();
        var lines = out.putArray("recent");
        recent.subList(Math.max(0, recent.size() - 50), recent.size()).forEach(lines::add);
        ResourceHandlers.respond(ctx, 200, out);
    }

    void inject(Context ctx) {
        Principal p = admin(ctx);
        JsonNode body = ResourceCodec.parseTree(ctx.bodyAsBytes(), ResourceHandlers.format(ctx));
        String machine = body.path("machine").asText("");
        String fault = body.path("fault").asText("");
        if (machine.isEmpty()) throw InvalidResourceException.of("fault", "machine", "required field is missing");
        Twin.FaultKind kind;
        try {
            kind = Twin.FaultKind.valueOf(fault.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw InvalidResourceException.of("fault", "fault", "must be one of machine-death, gpu-xid, bmc-unreachable, slow-node");
        }
        try {
            twin.inject(machine, kind);
        } catch (dev.millwright.infra.UnreachableException e) {
            throw new NotFoundException("machine " + machine + " is not in the twin");
        }
        audit(p, "inject", machine, fault);
        ResourceHandlers.respond(ctx, 202, Json.object().put("machine", machine).put("fault", fault)
                .put("at", twin.clock().instant().toString()));
    }

    void advance(Context ctx) {
        Principal p = admin(ctx);
        JsonNode body = ResourceCodec.parseTree(ctx.bodyAsBytes(), ResourceHandlers.format(ctx));
        JsonNode seconds = body.path("seconds");
        if (!seconds.isNumber() || seconds.asDouble() < 0 || seconds.asDouble() > MAX_ADVANCE.toSeconds()) {
            throw new BadRequestException("seconds", "must be a number from 0 to " + MAX_ADVANCE.toSeconds());
        }
        twin.advance(Duration.ofMillis((long) (seconds.asDouble() * 1000)));
        audit(p, "advance", "clock", seconds.asText() + "s");
        ResourceHandlers.respond(ctx, 200, Json.object().put("clock", twin.clock().instant().toString()));
    }

    private Principal admin(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        if (!p.platformAdmin()) throw new ForbiddenException(p.identity() + " may not use the twin's controls; platform admins only");
        if (twin == null) throw new ConflictException("this server's twin runs in its own process; use its controls there (GET <twin url>/v1/status)");
        return p;
    }

    private void audit(Principal p, String verb, String name, String what) {
        api.audit().record(new AuditEntry(api.clock().instant(), p.identity(), verb, "Twin", "", name, 200, what, ""));
    }
}
