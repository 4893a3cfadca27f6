package dev.millwright.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.ForbiddenException;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.MillwrightException;
import dev.millwright.resource.NotFoundException;
import dev.millwright.tenancy.Principal;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Every route of the HTTP API, registered in one place.
 *
 * <pre>
 *   /api/v1/{plural}                              platform-scoped kinds; tenant-scoped kinds across tenants (GET)
 *   /api/v1/{plural}/{name}[/status]              platform-scoped objects
 *   /api/v1/tenants/{tenant}/{plural}             tenant-scoped kinds in one tenant
 *   /api/v1/tenants/{tenant}/{plural}/{name}[/status]
 *   /api/v1/tenants/{tenant}/workloads/{name}/manifests, .../environments/{name}/manifests   Kubernetes YAML
 *   /api/v1/tenants/{tenant}/environments/{name}/upgrade-plan?to=TEMPLATE@VERSION   what an upgrade would do
 *   /api/v1/tenants/{tenant}/environments/{name}/sbom      its software bill of materials (CycloneDX 1.6 JSON)
 *   /api/v1/secrets/rekey                         seal every secret value under the primary key (POST)
 *   /api/v1/tokens, /audit, /audit/verify, /events, /fleet, /whoami, /kinds, /openapi.json
 *   /healthz, /readyz (no token); /metrics (platform admins: its labels name every tenant)
 * </pre>
 */
public final class ApiRoutes {
    /** Largest request body accepted. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private final ApiContext api;
    private final Gate gate;
    private final ResourceHandlers resources;
    private final SecretHandlers secrets;
    private final AdminHandlers admin;
    private final FleetHandlers fleet;
    private final PrometheusMeterRegistry metrics;
    private final byte[] openApi;

    private final TwinHandlers twin;
    private final RenderHandlers render;
    private final UpgradeHandlers upgrades;
    private final SbomHandlers sboms;
    private final RemediationHandlers remediations;
    private final PolicyHandlers policies;

    private final Runnable beforeScrape;
    private final java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> fleetHistory;

    /**
     * @param beforeScrape brings gauges read from the store up to date before {@code /metrics} answers
     * @param fleetHistory the fleet's GPUs over the last hour, for the console's charts
     */
    public ApiRoutes(ApiContext api, PrometheusMeterRegistry metrics, Runnable beforeScrape,
                     java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> fleetHistory, String version,
                     dev.millwright.infra.twin.Twin twin) {
        this.beforeScrape = beforeScrape;
        this.fleetHistory = fleetHistory;
        this.api = api;
        this.gate = new Gate(api);
        this.secrets = new SecretHandlers(api, gate);
        this.resources = new ResourceHandlers(api, gate, secrets);
        this.admin = new AdminHandlers(api, gate);
        this.fleet = new FleetHandlers(api, gate);
        this.twin = new TwinHandlers(api, gate, twin);
        this.render = new RenderHandlers(api, gate);
        this.upgrades = new UpgradeHandlers(api, gate);
        this.sboms = new SbomHandlers(api, gate);
        this.remediations = new RemediationHandlers(api, gate);
        this.policies = new PolicyHandlers(api, gate);
        this.metrics = metrics;
        this.openApi = Json.bytes(OpenApiDocument.build(api.kinds(), version));
    }

    /** Number of watch streams open on this replica. */
    public static int openWatches() {
        return WatchStream.OPEN.get();
    }

    public void register(JavalinConfig config) {
        config.http.maxRequestSize = MAX_BODY_BYTES;
        config.router.ignoreTrailingSlashes = true;
        dev.millwright.console.Console.serve(config);
        config.startup.showJavalinBanner = false;
        var r = config.routes;

        r.get("/healthz", ctx -> ctx.result("ok"));
        r.get("/readyz", this::ready);
        r.get("/metrics", this::metrics);
        r.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));

        r.get("/api/v1/whoami", admin::whoami);
        r.get("/api/v1/kinds", admin::kinds);
        r.get("/api/v1/fleet", fleet::summary);
        r.get("/api/v1/fleet/history", ctx -> {
            var p = gate.caller(ctx).principal();
            if (!p.platformAdmin()) throw new ForbiddenException(p.identity() + " may not read the fleet's history; platform admins only");
            ResourceHandlers.respond(ctx, 200, fleetHistory.get());
        });
        r.get("/api/v1/twin", twin::describe);
        r.post("/api/v1/twin/faults", twin::inject);
        r.post("/api/v1/twin/advance", twin::advance);
        r.post("/api/v1/tokens", admin::issueToken);
        r.get("/api/v1/tokens", admin::listTokens);
        r.delete("/api/v1/tokens/{id}", admin::revokeToken);
        r.get("/api/v1/audit", admin::queryAudit);
        r.get("/api/v1/audit/verify", admin::verifyAudit);
        r.get("/api/v1/events", ctx -> admin.events(ctx, null));
        r.get("/api/v1/tenants/{tenant}/events", ctx -> admin.events(ctx, ctx.pathParam("tenant")));
        r.post("/api/v1/policies/test", policies::test);
        r.post("/api/v1/secrets/rekey", secrets::rekey);

        // tenant-scoped objects
        r.get("/api/v1/tenants/{tenant}/workloads/{name}/manifests", render::workload);
        r.get("/api/v1/tenants/{tenant}/environments/{name}/manifests", render::environment);
        r.get("/api/v1/tenants/{tenant}/environments/{name}/upgrade-plan", upgrades::plan);
        r.get("/api/v1/tenants/{tenant}/environments/{name}/sbom", sboms::sbom);
        r.get("/api/v1/tenants/{tenant}/environments/{name}/remediation", remediations::remediation);
        r.get("/api/v1/tenants/{tenant}/{plural}", ctx -> resources.list(ctx, tenantKind(ctx), ctx.pathParam("tenant")));
        r.post("/api/v1/tenants/{tenant}/{plural}", ctx -> resources.create(ctx, tenantKind(ctx), ctx.pathParam("tenant")));
        r.get("/api/v1/tenants/{tenant}/{plural}/{name}", ctx -> resources.get(ctx, tenantKind(ctx), ctx.pathParam("tenant"), ctx.pathParam("name")));
        r.put("/api/v1/tenants/{tenant}/{plural}/{name}", ctx -> resources.replace(ctx, tenantKind(ctx), ctx.pathParam("tenant"), ctx.pathParam("name")));
        r.patch("/api/v1/tenants/{tenant}/{plural}/{name}", ctx -> resources.patch(ctx, tenantKind(ctx), ctx.pathParam("tenant"), ctx.pathParam("name")));
        r.delete("/api/v1/tenants/{tenant}/{plural}/{name}", ctx -> resources.delete(ctx, tenantKind(ctx), ctx.pathParam("tenant"), ctx.pathParam("name")));
        r.put("/api/v1/tenants/{tenant}/{plural}/{name}/status", ctx -> resources.replaceStatus(ctx, tenantKind(ctx), ctx.pathParam("tenant"), ctx.pathParam("name")));

        // platform-scoped objects, and tenant-scoped kinds across tenants
        r.get("/api/v1/{plural}", ctx -> resources.list(ctx, kind(ctx), null));
        r.post("/api/v1/{plural}", ctx -> resources.create(ctx, kind(ctx), null));
        r.get("/api/v1/{plural}/{name}", ctx -> resources.get(ctx, platformKind(ctx), "", ctx.pathParam("name")));
        r.put("/api/v1/{plural}/{name}", ctx -> resources.replace(ctx, platformKind(ctx), "", ctx.pathParam("name")));
        r.patch("/api/v1/{plural}/{name}", ctx -> resources.patch(ctx, platformKind(ctx), "", ctx.pathParam("name")));
        r.delete("/api/v1/{plural}/{name}", ctx -> resources.delete(ctx, platformKind(ctx), "", ctx.pathParam("name")));
        r.put("/api/v1/{plural}/{name}/status", ctx -> resources.replaceStatus(ctx, platformKind(ctx), "", ctx.pathParam("name")));

        r.exception(MillwrightException.class, (e, ctx) -> {
            gate.auditFailure(ctx, e);
            ErrorMapper.render(ctx, e);
        });
        r.exception(HttpResponseException.class, (e, ctx) -> {
            ErrorMapper.renderJavalin(ctx, e);
            gate.auditFailure(ctx, new MillwrightException(ctx.statusCode(), "BadRequest", ctx.result() == null ? e.getMessage() : ctx.result()));
        });
        r.exception(Exception.class, (e, ctx) -> {
            ErrorMapper.renderUnexpected(ctx, e);
            gate.auditFailure(ctx, new MillwrightException(ctx.statusCode(), "InternalError", e.getClass().getSimpleName()));
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                ErrorMapper.write(ctx, 404, ErrorMapper.body(404, "NotFound", "no route for " + ctx.method() + " " + ctx.path(), java.util.Map.of()));
            }
        });
        r.error(405, ctx -> ErrorMapper.write(ctx, 405, ErrorMapper.body(405, "MethodNotAllowed",
                ctx.method() + " is not allowed on " + ctx.path(), java.util.Map.of())));

        config.requestLogger.http((ctx, millis) -> {
            // endpoint() throws when no route matched (it takes the last of an empty list): ask the list first
            String route = ctx.endpoints().list().isEmpty() ? "unmatched" : ctx.endpoint().path;
            Timer.builder("millwright_http_requests")
                    .description("HTTP requests by route, method and status")
                    .tag("route", route).tag("method", ctx.method().name()).tag("status", Integer.toString(ctx.statusCode()))
                    .publishPercentiles()
                    .register(metrics)
                    .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
        });
    }

    /**
     * Prometheus metrics, for platform admins only: they are labelled with every tenant's name and its
     * environments' names (workloads, queues, vulnerabilities), which no tenant may learn of another.
     * Prometheus scrapes with a platform admin's bearer token.
     */
    private void metrics(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        if (!p.platformAdmin()) {
            throw new ForbiddenException(p.identity() + " may not read the metrics; they name every tenant's objects: platform admins only");
        }
        beforeScrape.run();
        ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape());
    }

    private void ready(Context ctx) {
        ObjectNode out = Json.object();
        try {
            out.put("revision", api.store().revision());
            out.put("status", "ready");
            out.put("leader", api.leader().getAsBoolean());
            out.put("identity", api.identity());
            ResourceHandlers.respond(ctx, 200, out);
        } catch (RuntimeException e) {
            out.put("status", "database unreachable: " + e.getClass().getSimpleName());
            ResourceHandlers.respond(ctx, 503, out);
        }
    }

    private KindDefinition kind(Context ctx) {
        return api.kinds().require(ctx.pathParam("plural"));
    }

    private KindDefinition platformKind(Context ctx) {
        KindDefinition k = kind(ctx);
        if (k.tenantScoped()) {
            throw new NotFoundException(k.kind() + " is tenant-scoped: use /api/v1/tenants/{tenant}/" + k.plural() + "/{name}");
        }
        return k;
    }

    private KindDefinition tenantKind(Context ctx) {
        KindDefinition k = kind(ctx);
        if (!k.tenantScoped()) {
            throw new NotFoundException(k.kind() + " is platform-scoped: use /api/v1/" + k.plural() + "/{name}");
        }
        return k;
    }
}
