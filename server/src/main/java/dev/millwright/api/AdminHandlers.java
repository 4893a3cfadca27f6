package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.auth.Authenticator.Caller;
import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.ForbiddenException;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.AuditEntry;
import dev.millwright.store.AuditQuery;
import dev.millwright.store.AuditRecord;
import dev.millwright.store.AuditVerification;
import dev.millwright.store.EventRecord;
import dev.millwright.store.TokenRecord;
import dev.millwright.store.Tokens;
import dev.millwright.tenancy.Principal;
import dev.millwright.tenancy.Role;
import dev.millwright.tenancy.TenancyKinds;
import dev.millwright.tenancy.Verb;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Tokens, the audit log, events, and who-am-I: the API's endpoints that are not resources. */
final class AdminHandlers {
    /** Longest token lifetime a caller may ask for. */
    static final Duration MAX_TOKEN_TTL = Duration.ofDays(366);

    private final ApiContext api;
    private final Gate gate;

    AdminHandlers(ApiContext api, Gate gate) {
        this.api = api;
        this.gate = gate;
    }

    void whoami(Context ctx) {
        Caller c = gate.caller(ctx);
        Principal p = c.principal();
        ObjectNode out = Json.object();
        out.put("identity", p.identity());
        out.put("name", p.name());
        out.put("platformAdmin", p.platformAdmin());
        ObjectNode tenants = out.putObject("tenants");
        p.tenantRoles().forEach((t, r) -> tenants.put(t, r.wireName()));
        out.put("tokenId", c.token().id());
        ResourceHandlers.respond(ctx, 200, out);
    }

    void kinds(Context ctx) {
        gate.caller(ctx);
        ArrayNode out = Json.array();
        for (KindDefinition k : api.kinds().all()) {
            ObjectNode n = out.addObject();
            n.put("kind", k.kind());
            n.put("plural", k.plural());
            n.put("scope", k.scope().name().toLowerCase());
            n.put("description", k.description());
            n.set("printColumns", Json.MAPPER.valueToTree(k.printColumns()));
        }
        ResourceHandlers.respond(ctx, 200, Json.object().set("kinds", out));
    }

    // ---- tokens

    void issueToken(Context ctx) {
        Caller caller = gate.caller(ctx);
        Principal p = caller.principal();
        JsonNode body = ResourceCodec.parseTree(ctx.bodyAsBytes(), ResourceHandlers.format(ctx));
        if (!body.isObject()) throw new BadRequestException("body", "must be an object");
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("user", "serviceAccount", "tenant", "description", "ttlSeconds").contains(f)) {
                throw InvalidResourceException.of("token request", f, "unknown field");
            }
        }
        String user = text(body, "user");
        String sa = text(body, "serviceAccount");
        String tenant = text(body, "tenant");
        String description = text(body, "description");
        Duration ttl = null;
        if (body.has("ttlSeconds")) {
            JsonNode t = body.get("ttlSeconds");
            if (!t.canConvertToLong() || t.asLong() < 60 || t.asLong() > MAX_TOKEN_TTL.toSeconds()) {
                throw InvalidResourceException.of("token request", "ttlSeconds", "must be an integer from 60 to " + MAX_TOKEN_TTL.toSeconds());
            }
            ttl = Duration.ofSeconds(t.asLong());
        }
        if ((user == null) == (sa == null)) {
            throw InvalidResourceException.of("token request", "user", "name exactly one of user or serviceAccount");
        }
        String subjectKind;
        String subjectTenant;
        String subject;
        String subjectUid;
        if (user != null) {
            if (tenant != null) throw InvalidResourceException.of("token request", "tenant", "users belong to no tenant");
            boolean self = !p.isServiceAccount() && p.name().equals(user);
            if (!p.platformAdmin() && !self) throw new ForbiddenException(p.identity() + " may only issue tokens for itself");
            subjectUid = api.store().get(ResourceKey.platform(TenancyKinds.USER, user))
                    .orElseThrow(() -> new NotFoundException("User " + user + " not found")).metadata().uid();
            subjectKind = TenancyKinds.USER;
            subjectTenant = "";
            subject = user;
        } else {
            if (tenant == null) throw InvalidResourceException.of("token request", "tenant", "required field is missing for a service account");
            requireTenantAdmin(p, tenant);
            subjectUid = api.store().get(new ResourceKey(TenancyKinds.SERVICE_ACCOUNT, tenant, sa))
                    .orElseThrow(() -> new NotFoundException("ServiceAccount " + tenant + "/" + sa + " not found")).metadata().uid();
            subjectKind = TenancyKinds.SERVICE_ACCOUNT;
            subjectTenant = tenant;
            subject = sa;
        }
        Tokens.Issued issued = api.tokens().issue(subjectKind, subjectTenant, subject, subjectUid, description, ttl, p.identity());
        ObjectNode out = tokenJson(issued.record());
        out.put("token", issued.token());
        ResourceHandlers.respond(ctx, 201, out);
    }

    void listTokens(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        List<TokenRecord> tokens;
        if (p.platformAdmin()) {
            tokens = api.tokens().list(null, null, null);
        } else {
            List<String> administered = p.tenantRoles().entrySet().stream()
                    .filter(e -> e.getValue() == Role.TENANT_ADMIN).map(java.util.Map.Entry::getKey).toList();
            tokens = api.tokens().listFor(p.isServiceAccount() ? null : p.name(), administered);
        }
        ArrayNode items = Json.array();
        tokens.forEach(t -> items.add(tokenJson(t)));
        ResourceHandlers.respond(ctx, 200, Json.object().set("items", items));
    }

    void revokeToken(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        String id = ctx.pathParam("id");
        TokenRecord t = api.tokens().find(id).filter(r -> mayManage(p, r))
                .orElseThrow(() -> new NotFoundException("token " + id + " not found"));
        TokenRecord revoked = api.tokens().revoke(t.id(), p.identity()).orElseThrow();
        api.authenticator().invalidate();
        ResourceHandlers.respond(ctx, 200, tokenJson(revoked));
    }

    private boolean mayManage(Principal p, TokenRecord t) {
        if (p.platformAdmin()) return true;
        if (t.subjectKind().equals(TenancyKinds.USER)) return !p.isServiceAccount() && p.name().equals(t.subject());
        return p.roleIn(t.tenant()) == Role.TENANT_ADMIN;
    }

    private void requireTenantAdmin(Principal p, String tenant) {
        Role role = p.roleIn(tenant);
        if (role == null) throw new NotFoundException("Tenant " + tenant + " not found");
        if (role != Role.PLATFORM_ADMIN && role != Role.TENANT_ADMIN) {
            throw new ForbiddenException(p.identity() + " is " + role + " in tenant " + tenant + "; only tenant admins manage its service accounts");
        }
    }

    private static ObjectNode tokenJson(TokenRecord t) {
        ObjectNode n = Json.object();
        n.put("id", t.id());
        n.put("subjectKind", t.subjectKind());
        if (!t.tenant().isEmpty()) n.put("tenant", t.tenant());
        n.put("subject", t.subject());
        n.put("description", t.description());
        n.put("createdAt", t.createdAt().toString());
        n.put("createdBy", t.createdBy());
        if (t.expiresAt() != null) n.put("expiresAt", t.expiresAt().toString());
        if (t.revokedAt() != null) n.put("revokedAt", t.revokedAt().toString());
        return n;
    }

    // ---- audit

    void queryAudit(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        String tenant = ctx.queryParam("tenant");
        if (!p.platformAdmin()) {
            if (tenant == null) throw new BadRequestException("tenant", "required: only platform admins read the whole audit log");
            requireTenantAdmin(p, tenant);
        }
        String actor = ctx.queryParam("actor");
        if (!p.platformAdmin() && actor != null && !maskForeignServiceAccount(actor, tenant).equals(actor)) {
            actor = "serviceaccount:(another tenant)"; // matches nothing: a guess must not be confirmable
        }
        AuditQuery q = new AuditQuery(tenant, actor, ctx.queryParam("kind"),
                instant(ctx, "since"), instant(ctx, "until"),
                ResourceHandlers.intParam(ctx, "limit", 100), ResourceHandlers.longParam(ctx, "before", 0));
        ArrayNode items = Json.array();
        for (AuditRecord r : api.audit().query(q)) {
            AuditEntry e = r.entry();
            ObjectNode n = items.addObject();
            n.put("seq", r.seq());
            n.put("at", e.at().toString());
            n.put("actor", p.platformAdmin() ? e.actor() : maskForeignServiceAccount(e.actor(), tenant));
            n.put("verb", e.verb());
            n.put("kind", e.kind());
            if (!e.tenant().isEmpty()) n.put("tenant", e.tenant());
            n.put("name", e.name());
            n.put("outcome", e.outcome());
            if (!e.reason().isEmpty()) n.put("reason", e.reason());
            if (!e.digest().isEmpty()) n.put("digest", e.digest());
            if (p.platformAdmin()) n.put("hash", r.hash()); // the hash covers the unmasked actor
        }
        ResourceHandlers.respond(ctx, 200, Json.object().set("items", items));
    }

    /**
     * A service account's identity names its tenant; a tenant admin reading its audit must not learn from a
     * refused request which other tenants exist.
     */
    private static String maskForeignServiceAccount(String actor, String tenant) {
        String prefix = "serviceaccount:";
        if (!actor.startsWith(prefix) || actor.startsWith(prefix + tenant + "/")) return actor;
        return prefix + "(another tenant)";
    }

    void verifyAudit(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        if (!p.platformAdmin()) throw new ForbiddenException(p.identity() + " may not verify the audit log; platform admins only");
        AuditVerification v = api.audit().verify();
        ObjectNode out = Json.object();
        out.put("intact", v.intact());
        out.put("checked", v.checked());
        if (!v.intact()) {
            out.put("firstBadSeq", v.firstBadSeq());
            out.put("problem", v.problem());
        }
        out.put("headHash", v.headHash());
        ResourceHandlers.respond(ctx, 200, out);
    }

    private static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name, "must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, got \"" + v + "\"");
        }
    }

    // ---- events

    /** Events of one object ({@code ?kind=&name=}), or of everything the caller can see in a tenant or all its tenants. */
    void events(Context ctx, String pathTenant) {
        Principal p = gate.caller(ctx).principal();
        String kindName = ctx.queryParam("kind");
        String name = ctx.queryParam("name");
        String tenant = pathTenant != null ? pathTenant : ctx.queryParam("tenant");
        int limit = Math.min(ResourceHandlers.intParam(ctx, "limit", 200), 1000);
        List<EventRecord> records;
        if (kindName != null && name != null) {
            KindDefinition kind = api.kinds().require(kindName);
            String t = kind.tenantScoped() ? (tenant == null ? "" : tenant) : "";
            gate.authorize(ctx, new Target(Verb.GET, kind, t, name));
            records = api.events().forObject(new ResourceKey(kind.kind(), t, name));
        } else if (tenant != null) {
            if (p.roleIn(tenant) == null) throw new NotFoundException("Tenant " + tenant + " not found");
            records = api.events().list(Set.of(tenant), limit);
        } else {
            records = api.events().list(p.platformAdmin() ? null : new TreeSet<>(p.tenants()), limit);
        }
        ArrayNode items = Json.array();
        for (EventRecord e : records) {
            ObjectNode n = items.addObject();
            ObjectNode involved = n.putObject("involvedObject");
            involved.put("kind", e.involved().kind());
            if (!e.involved().tenant().isEmpty()) involved.put("tenant", e.involved().tenant());
            involved.put("name", e.involved().name());
            n.put("type", e.type());
            n.put("reason", e.reason());
            n.put("message", e.message());
            n.put("source", e.source());
            n.put("count", e.count());
            n.put("firstTimestamp", e.firstTimestamp().toString());
            n.put("lastTimestamp", e.lastTimestamp().toString());
        }
        ResourceHandlers.respond(ctx, 200, Json.object().set("items", items));
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw InvalidResourceException.of("token request", field, "must be a string");
        return v.asText();
    }
}
