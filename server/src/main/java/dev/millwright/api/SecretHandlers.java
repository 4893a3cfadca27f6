package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.ForbiddenException;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.ResourceKey;
import dev.millwright.resource.Validation;
import dev.millwright.secrets.SecretData;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.Secrets;
import dev.millwright.store.WriteContext;
import dev.millwright.tenancy.Principal;
import dev.millwright.tenancy.Verb;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes of Secret and PlatformSecret objects, and the rekey. They pass the same gate as every kind; what differs
 * is that {@code spec.data} is taken out of the body as soon as it is parsed and handed to {@link Secrets}, which
 * seals it. Everything after that (validation, the stored object, the response, the change feed, the audit
 * record) only ever sees the object without its values. Reads, watches and deletes need nothing of their own.
 *
 * <p>Errors never carry a value: data problems are reported by field with reasons that do not repeat the input,
 * and a body that does not parse is answered with where it broke, not the parser's message, which quotes the input.
 */
final class SecretHandlers {
    /** Where a parser's message says the input broke: kept; the rest of the message may quote a value. */
    private static final Pattern LOCATION = Pattern.compile(" at line \\d+ column \\d+");

    private final ApiContext api;
    private final Gate gate;

    SecretHandlers(ApiContext api, Gate gate) {
        this.api = api;
        this.gate = gate;
    }

    void create(Context ctx, KindDefinition kind, String pathTenant) {
        ctx.attribute(Target.ATTRIBUTE, new Target(Verb.CREATE, kind, pathTenant == null ? "" : pathTenant, null));
        gate.caller(ctx);
        Resource body = ResourceHandlers.requireKind(kind, ResourceCodec.fromTree(parse(ctx)));
        String tenant = ResourceHandlers.tenantOf(kind, pathTenant, body);
        Principal p = gate.authorize(ctx, new Target(Verb.CREATE, kind, tenant, body.name()));
        Map<String, List<String>> errors = new TreeMap<>();
        SecretData.Change data = SecretData.ofObject(body.spec(), true, errors);
        Resource wanted = new Resource(kind.kind(), new ObjectMeta(body.name(), tenant, body.metadata().labels(),
                body.metadata().annotations(), null, 0, 0, null), withoutData(body.spec()), null);
        validate(kind, wanted, errors);
        Resource stored = api.secrets().create(wanted, data.set(), WriteContext.of(p.identity()));
        ResourceHandlers.respond(ctx, 201, ResourceCodec.toJson(stored));
    }

    /** A replace with {@code spec.data} sets exactly those values; without it, the values stay as they are. */
    void replace(Context ctx, KindDefinition kind, String tenant, String name) {
        Principal p = gate.authorize(ctx, new Target(Verb.UPDATE, kind, tenant, name));
        Resource body = ResourceHandlers.requireKind(kind, ResourceCodec.fromTree(parse(ctx)));
        ResourceHandlers.requireSameIdentity(kind, tenant, name, body);
        Map<String, List<String>> errors = new TreeMap<>();
        SecretData.Change data = SecretData.ofObject(body.spec(), false, errors);
        Resource wanted = new Resource(kind.kind(), new ObjectMeta(name, tenant, body.metadata().labels(),
                body.metadata().annotations(), null, 0, 0, null), withoutData(body.spec()), null);
        validate(kind, wanted, errors);
        ResourceKey key = new ResourceKey(kind.kind(), tenant, name);
        long expected = body.resourceVersion();
        Resource stored = api.secrets().update(key, current -> {
            if (expected != 0 && expected != current.resourceVersion()) {
                throw ResourceStore.stale(key, expected, current.resourceVersion());
            }
            return admitted(kind, current, wanted);
        }, data, WriteContext.of(p.identity()), "update");
        ResourceHandlers.respond(ctx, 200, ResourceCodec.toJson(stored));
    }

    /** A merge patch: a string in {@code spec.data} sets that key, null removes it, keys not named stay. */
    void patch(Context ctx, KindDefinition kind, String tenant, String name) {
        Principal p = gate.authorize(ctx, new Target(Verb.PATCH, kind, tenant, name));
        JsonNode patch = parse(ctx);
        if (!patch.isObject()) throw new BadRequestException("body", "a merge patch must be a JSON object");
        if (patch.has("status")) throw InvalidResourceException.of(kind.kind() + " " + name, "status", "is kept by the server from the values");
        Map<String, List<String>> errors = new TreeMap<>();
        SecretData.Change data = SecretData.ofPatch(patch.get("spec"), errors);
        if (!errors.isEmpty()) throw new InvalidResourceException(new ResourceKey(kind.kind(), tenant, name).describe(), errors);
        ObjectNode withoutValues = patch.deepCopy();
        if (withoutValues.path("spec").isObject()) ((ObjectNode) withoutValues.get("spec")).remove("data");
        ResourceKey key = new ResourceKey(kind.kind(), tenant, name);
        Resource stored = api.secrets().update(key, current -> {
            Resource next = ResourceCodec.fromTree(MergePatch.apply(ResourceCodec.toJson(current), withoutValues));
            ResourceHandlers.requireSameIdentity(kind, tenant, name, next);
            JsonNode sentRv = patch.path("metadata").path("resourceVersion");
            if (!sentRv.isMissingNode() && !sentRv.isNull() && next.resourceVersion() != current.resourceVersion()) {
                throw ResourceStore.stale(key, next.resourceVersion(), current.resourceVersion());
            }
            return admitted(kind, current, next);
        }, data, WriteContext.of(p.identity()), "patch");
        ResourceHandlers.respond(ctx, 200, ResourceCodec.toJson(stored));
    }

    /** The status of a secret is its values': nobody writes it, platform admins included. */
    void replaceStatus(Context ctx, KindDefinition kind, String tenant, String name) {
        gate.authorize(ctx, new Target(Verb.UPDATE, kind, tenant, name));
        throw InvalidResourceException.of(new ResourceKey(kind.kind(), tenant, name).describe(), "status",
                "is kept by the server from the values; write spec.data instead");
    }

    /**
     * {@code POST /api/v1/secrets/rekey} (platform admins): seals every value not under the primary key again
     * under it, and says how many, what is left under each key id, and what could not be opened.
     */
    void rekey(Context ctx) {
        Principal p = gate.caller(ctx).principal();
        if (!p.platformAdmin()) throw new ForbiddenException(p.identity() + " may not rekey secrets; platform admins only");
        Secrets.Rekey done = api.secrets().rekey(WriteContext.of(p.identity()));
        ObjectNode out = Json.object();
        out.put("primaryKeyId", done.primary());
        out.put("objects", done.objects());
        out.put("values", done.values());
        out.set("valuesByKeyId", Json.MAPPER.valueToTree(done.valuesByKeyId()));
        var failed = out.putArray("failed");
        done.failed().forEach(failed::add);
        ResourceHandlers.respond(ctx, 200, out);
    }

    /**
     * The wanted labels, annotations and spec on the current object (its server-owned metadata and status stay;
     * {@link Secrets} sets the status), validated.
     */
    private static Resource admitted(KindDefinition kind, Resource current, Resource wanted) {
        ObjectMeta m = current.metadata();
        Resource next = new Resource(kind.kind(), new ObjectMeta(m.name(), m.tenant(), wanted.metadata().labels(),
                wanted.metadata().annotations(), m.uid(), m.resourceVersion(), m.generation(), m.creationTimestamp()),
                withoutData(wanted.spec()), current.status());
        Validation.validate(kind, next);
        return next;
    }

    /** The object's own problems and those of its data, reported together. */
    private static void validate(KindDefinition kind, Resource wanted, Map<String, List<String>> dataErrors) {
        Map<String, List<String>> errors = new TreeMap<>(dataErrors);
        try {
            Validation.validate(kind, wanted);
        } catch (InvalidResourceException e) {
            e.details().forEach((k, v) -> errors.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        if (!errors.isEmpty()) throw new InvalidResourceException(wanted.key().describe(), errors);
    }

    private static ObjectNode withoutData(ObjectNode spec) {
        ObjectNode out = spec.deepCopy();
        out.remove("data");
        return out;
    }

    /** Parses the body; a syntax error says where it broke and nothing of what was there. */
    private static JsonNode parse(Context ctx) {
        ResourceCodec.Format format = ResourceHandlers.format(ctx);
        try {
            return ResourceCodec.parseTree(ctx.bodyAsBytes(), format);
        } catch (BadRequestException e) {
            if (!e.getMessage().startsWith("body: malformed")) throw e; // the other refusals name a field, never a value
            Matcher at = LOCATION.matcher(e.getMessage());
            throw new BadRequestException("body", "malformed " + format + (at.find() ? at.group() : "")
                    + " (the parser's message is not shown: it may quote a secret value)");
        }
    }
}
