package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.FieldSelector;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.LabelSelector;
import dev.millwright.resource.NotFoundException;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.ResourceKey;
import dev.millwright.resource.Validation;
import dev.millwright.secrets.SecretKinds;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourcePage;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.WriteContext;
import dev.millwright.tenancy.AccessPolicy;
import dev.millwright.tenancy.Principal;
import dev.millwright.tenancy.Verb;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** get, list, create, replace, patch, delete and status of every kind, through the same checks; secrets' writes through {@link SecretHandlers}. */
final class ResourceHandlers {
    private final ApiContext api;
    private final Gate gate;
    private final WatchStream watches;
    private final Admission admission;
    private final SecretHandlers secrets;

    ResourceHandlers(ApiContext api, Gate gate, SecretHandlers secrets) {
        this.api = api;
        this.gate = gate;
        this.secrets = secrets;
        this.watches = new WatchStream(api);
        this.admission = new Admission(api.store(), api.clock());
    }

    // ---- reads

    void get(Context ctx, KindDefinition kind, String tenant, String name) {
        gate.authorize(ctx, new Target(Verb.GET, kind, tenant, name));
        ResourceKey key = new ResourceKey(kind.kind(), tenant, name);
        Resource r = api.store().get(key).orElseThrow(() -> NotFoundException.of(key));
        respond(ctx, 200, ResourceCodec.toJson(r));
    }

    /** A list, or a watch when {@code ?watch=true}. {@code tenant} is null for "every tenant I may see". */
    void list(Context ctx, KindDefinition kind, String tenant) throws Exception {
        boolean watch = "true".equals(ctx.queryParam("watch")) || "1".equals(ctx.queryParam("watch"));
        Verb verb = watch ? Verb.WATCH : Verb.LIST;
        Principal p;
        Set<String> tenants;
        if (kind.tenantScoped() && tenant != null) {
            p = gate.authorize(ctx, new Target(verb, kind, tenant, null));
            tenants = Set.of(tenant);
        } else {
            p = gate.authorize(ctx, new Target(verb, kind, "", null));
            tenants = kind.tenantScoped() && !p.platformAdmin() ? p.tenants() : null;
        }
        LabelSelector selector = LabelSelector.parse(ctx.queryParam("labelSelector"));
        FieldSelector fields = FieldSelector.parse(ctx.queryParam("fieldSelector"));
        if (watch) {
            // re-evaluated while the stream is open: losing a membership ends the watch
            java.util.function.Function<Principal, Set<String>> scope = q -> {
                if (kind.tenantScoped() && tenant != null) {
                    if (AccessPolicy.decide(q, Verb.WATCH, kind, tenant, null) != AccessPolicy.Decision.ALLOW) {
                        throw new NotFoundException("Tenant " + tenant + " not found");
                    }
                    return Set.of(tenant);
                }
                return kind.tenantScoped() && !q.platformAdmin() ? q.tenants() : null;
            };
            watches.serve(ctx, kind, scope, selector, fields, p, gate.caller(ctx).token().id());
            return;
        }
        int limit = intParam(ctx, "limit", ListOptions.DEFAULT_LIMIT);
        ResourcePage page;
        if (!kind.tenantScoped() && !p.platformAdmin()) {
            page = visiblePlatformObjects(kind, p, selector, fields, limit, ctx.queryParam("continue"));
        } else {
            page = api.store().list(new ListOptions(kind.kind(), tenants, selector, fields, limit, ctx.queryParam("continue")));
        }
        ObjectNode out = Json.object();
        out.put("apiVersion", Resource.API_VERSION);
        out.put("kind", kind.kind() + "List");
        ObjectNode meta = out.putObject("metadata");
        meta.put("resourceVersion", Long.toString(page.revision()));
        if (page.continueToken() != null) meta.put("continue", page.continueToken());
        var items = out.putArray("items");
        for (Resource r : page.items()) items.add(ResourceCodec.toJson(r));
        respond(ctx, 200, out);
    }

    /** Platform-scoped objects a non-admin may see: few, so they are fetched one by one or filtered. */
    private ResourcePage visiblePlatformObjects(KindDefinition kind, Principal p, LabelSelector selector, FieldSelector fields,
                                                int limit, String continueToken) {
        long revision = api.store().revision();
        List<Resource> out = new ArrayList<>();
        switch (kind.visibility()) {
            case MEMBERS_OF_NAMED_TENANT -> p.tenants().stream().sorted()
                    .forEach(t -> api.store().get(ResourceKey.platform(kind.kind(), t)).ifPresent(out::add));
            case SELF -> {
                if (!p.isServiceAccount()) api.store().get(ResourceKey.platform(kind.kind(), p.name())).ifPresent(out::add);
            }
            case ALL_AUTHENTICATED -> {
                return api.store().list(new ListOptions(kind.kind(), null, selector, fields, limit, continueToken));
            }
            default -> {
                return new ResourcePage(List.of(), revision, null);
            }
        }
        out.removeIf(r -> !selector.matches(r.metadata().labels()) || !fields.matches(r) || !AccessPolicy.canSee(p, kind, r));
        return new ResourcePage(out, revision, null);
    }

    // ---- writes

    void create(Context ctx, KindDefinition kind, String pathTenant) {
        if (SecretKinds.isSecret(kind.kind())) {
            secrets.create(ctx, kind, pathTenant);
            return;
        }
        ctx.attribute(Target.ATTRIBUTE, new Target(Verb.CREATE, kind, pathTenant == null ? "" : pathTenant, null));
        gate.caller(ctx);
        Resource body = parseBody(ctx, kind);
        String tenant = tenantOf(kind, pathTenant, body);
        Principal p = gate.authorize(ctx, new Target(Verb.CREATE, kind, tenant, body.name()));
        Resource wanted = new Resource(kind.kind(), new ObjectMeta(body.name(), tenant, body.metadata().labels(),
                createdBy(kind, body.metadata().annotations(), p.identity()), null, 0, 0, null), body.spec(), null);
        Validation.validate(kind, wanted);
        List<String> warnings = new ArrayList<>(admission.admit(kind, wanted, null, p));
        Resource stored = api.store().create(wanted, WriteContext.of(p.identity()));
        afterWrite(kind);
        warnings.addAll(admission.warnings(kind, stored));
        for (String w : warnings) {
            ctx.res().addHeader("Warning", "299 - \"" + w.replace("\"", "'") + "\"");
        }
        respond(ctx, 201, ResourceCodec.toJson(stored));
    }

    void replace(Context ctx, KindDefinition kind, String tenant, String name) {
        if (SecretKinds.isSecret(kind.kind())) {
            secrets.replace(ctx, kind, tenant, name);
            return;
        }
        Principal p = gate.authorize(ctx, new Target(Verb.UPDATE, kind, tenant, name));
        Resource body = parseBody(ctx, kind);
        requireSameIdentity(kind, tenant, name, body);
        ResourceKey key = new ResourceKey(kind.kind(), tenant, name);
        long expected = body.resourceVersion();
        Resource stored = api.store().update(key, current -> {
            if (expected != 0 && expected != current.resourceVersion()) {
                throw ResourceStore.stale(key, expected, current.resourceVersion());
            }
            return admitted(kind, current, body, p);
        }, WriteContext.of(p.identity()), "update");
        afterWrite(kind);
        respond(ctx, 200, ResourceCodec.toJson(stored));
    }

    /** JSON merge patch (RFC 7386) of the object's wire form; status cannot be patched here. */
    void patch(Context ctx, KindDefinition kind, String tenant, String name) {
        if (SecretKinds.isSecret(kind.kind())) {
            secrets.patch(ctx, kind, tenant, name);
            return;
        }
        Principal p = gate.authorize(ctx, new Target(Verb.PATCH, kind, tenant, name));
        JsonNode patch = ResourceCodec.parseTree(ctx.bodyAsBytes(), format(ctx));
        if (!patch.isObject()) throw new BadRequestException("body", "a merge patch must be a JSON object");
        if (patch.has("status")) throw InvalidResourceException.of(kind.kind() + " " + name, "status", "is written by controllers through the status endpoint");
        ResourceKey key = new ResourceKey(kind.kind(), tenant, name);
        Resource stored = api.store().update(key, current -> {
            ObjectNode merged = (ObjectNode) MergePatch.apply(ResourceCodec.toJson(current), patch);
            Resource next = ResourceCodec.fromTree(merged);
            requireSameIdentity(kind, tenant, name, next);
            JsonNode sentRv = patch.path("metadata").path("resourceVersion");
            if (!sentRv.isMissingNode() && !sentRv.isNull() && next.resourceVersion() != current.resourceVersion()) {
                throw ResourceStore.stale(key, next.resourceVersion(), current.resourceVersion());
            }
            return admitted(kind, current, next, p);
        }, WriteContext.of(p.identity()), "patch");
        afterWrite(kind);
        respond(ctx, 200, ResourceCodec.toJson(stored));
    }

    void delete(Context ctx, KindDefinition kind, String tenant, String name) {
        Principal p = gate.authorize(ctx, new Target(Verb.DELETE, kind, tenant, name));
        long expected = longParam(ctx, "resourceVersion", 0);
        ResourceKey key = new ResourceKey(kind.kind(), tenant, name);
        Resource deleted = api.store().delete(key, expected, WriteContext.of(p.identity()));
        try {
            api.events().deleteFor(key);
        } catch (RuntimeException e) {
            // the delete committed; its events expire with the retention instead
            org.slf4j.LoggerFactory.getLogger(ResourceHandlers.class).warn("events of deleted {} kept: {}", key, e.toString());
        }
        afterWrite(kind);
        respond(ctx, 200, ResourceCodec.toJson(deleted));
    }

    /** Replaces the status only; for platform admins (controllers write status inside the server). */
    void replaceStatus(Context ctx, KindDefinition kind, String tenant, String name) {
        if (SecretKinds.isSecret(kind.kind())) {
            secrets.replaceStatus(ctx, kind, tenant, name);
            return;
        }
        Principal p = gate.authorize(ctx, new Target(Verb.UPDATE, kind, tenant, name));
        if (!p.platformAdmin()) {
            throw new dev.millwright.resource.ForbiddenException(p.identity() + " may not write the status of " + kind.plural());
        }
        Resource body = parseBody(ctx, kind);
        requireSameIdentity(kind, tenant, name, body);
        ResourceKey key = new ResourceKey(kind.kind(), tenant, name);
        long expected = body.resourceVersion();
        Resource stored = api.store().update(key, current -> {
            if (expected != 0 && expected != current.resourceVersion()) {
                throw ResourceStore.stale(key, expected, current.resourceVersion());
            }
            return current.withStatus(body.status());
        }, WriteContext.of(p.identity()), "update-status");
        respond(ctx, 200, ResourceCodec.toJson(stored));
    }

    // ---- helpers

    private void afterWrite(KindDefinition kind) {
        if (kind.kind().equals("Tenant") || kind.kind().equals("Project") || kind.kind().equals("User")
                || kind.kind().equals("ServiceAccount")) {
            api.authenticator().invalidate(); // roles may have changed
        }
    }

    /**
     * What a replace or a patch writes: the wanted labels, annotations and spec on the current object (status
     * and server-owned metadata stay), validated and admitted.
     */
    private Resource admitted(KindDefinition kind, Resource current, Resource wanted, Principal p) {
        ObjectMeta m = current.metadata();
        Map<String, String> annotations = new java.util.TreeMap<>(wanted.metadata().annotations());
        String creator = m.annotations().get(dev.millwright.control.policy.PolicyInputs.CREATED_BY);
        if (creator != null) annotations.put(dev.millwright.control.policy.PolicyInputs.CREATED_BY, creator);
        else annotations.remove(dev.millwright.control.policy.PolicyInputs.CREATED_BY);
        Resource next = new Resource(kind.kind(), new ObjectMeta(m.name(), m.tenant(), wanted.metadata().labels(),
                annotations, m.uid(), m.resourceVersion(), m.generation(), m.creationTimestamp()),
                wanted.spec(), current.status());
        Validation.validate(kind, next);
        admission.admit(kind, next, current, p);
        return next;
    }

    /**
     * Who created a workload is the server's to say, whatever the body claims: the policies that limit a
     * practitioner's GPUs count their workloads by it.
     */
    private static Map<String, String> createdBy(KindDefinition kind, Map<String, String> annotations, String identity) {
        Map<String, String> out = new java.util.TreeMap<>(annotations);
        if (kind.kind().equals(dev.millwright.workload.WorkloadKinds.WORKLOAD)) out.put(dev.millwright.control.policy.PolicyInputs.CREATED_BY, identity);
        else out.remove(dev.millwright.control.policy.PolicyInputs.CREATED_BY);
        return out;
    }

    private static Resource parseBody(Context ctx, KindDefinition kind) {
        return requireKind(kind, ResourceCodec.parse(ctx.bodyAsBytes(), format(ctx)));
    }

    /** {@code r}, when it is of the kind the endpoint serves. */
    static Resource requireKind(KindDefinition kind, Resource r) {
        if (!r.kind().equals(kind.kind())) {
            throw InvalidResourceException.of(r.kind() + " \"" + r.name() + "\"", "kind",
                    "is " + r.kind() + " but this endpoint serves " + kind.kind());
        }
        return r;
    }

    static String tenantOf(KindDefinition kind, String pathTenant, Resource body) {
        String bodyTenant = body.tenant();
        if (!kind.tenantScoped()) return bodyTenant; // validation reports a tenant on a platform-scoped kind
        if (pathTenant == null) {
            if (bodyTenant.isEmpty()) {
                throw InvalidResourceException.of(kind.kind() + " \"" + body.name() + "\"", "metadata.tenant",
                        "required field is missing: " + kind.kind() + " is tenant-scoped");
            }
            return bodyTenant;
        }
        if (!bodyTenant.isEmpty() && !bodyTenant.equals(pathTenant)) {
            throw InvalidResourceException.of(kind.kind() + " \"" + body.name() + "\"", "metadata.tenant",
                    "is " + bodyTenant + " but the URL names tenant " + pathTenant);
        }
        return pathTenant;
    }

    static void requireSameIdentity(KindDefinition kind, String tenant, String name, Resource body) {
        if (!body.name().equals(name)) {
            throw InvalidResourceException.of(kind.kind() + " \"" + name + "\"", "metadata.name",
                    "is " + body.name() + " but the URL names " + name + "; names cannot change");
        }
        if (!body.tenant().isEmpty() && !body.tenant().equals(tenant)) {
            throw InvalidResourceException.of(kind.kind() + " \"" + name + "\"", "metadata.tenant",
                    "is " + body.tenant() + " but the object belongs to " + (tenant.isEmpty() ? "no tenant" : tenant) + "; tenants cannot change");
        }
    }

    static ResourceCodec.Format format(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase().contains("yaml") ? ResourceCodec.Format.YAML : ResourceCodec.Format.JSON;
    }

    static int intParam(Context ctx, String name, int fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, "must be an integer, got \"" + v + "\"");
        }
    }

    static long longParam(Context ctx, String name, long fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return fallback;
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, "must be a non-negative integer, got \"" + v + "\"");
        }
    }

    static void respond(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }
}
