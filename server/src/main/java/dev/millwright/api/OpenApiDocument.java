package dev.millwright.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindRegistry;
import java.util.Iterator;
import java.util.Map;

/** The OpenAPI 3.1 description of the API, generated from the kind registry: every kind, its paths and its spec schema. */
final class OpenApiDocument {
    private OpenApiDocument() {
    }

    static ObjectNode build(KindRegistry kinds, String version) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Millwright API").put("version", version)
                .put("description", "The control plane of an AI factory. Every object is a declarative resource "
                        + "(apiVersion millwright.dev/v1). Authenticate with 'Authorization: Bearer <token>'.");
        doc.putArray("servers").addObject().put("url", "/");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        doc.with("components").putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        doc.putArray("security").addObject().putArray("bearer");
        schemas.set("ObjectMeta", objectMeta());
        schemas.set("Error", error());
        for (KindDefinition k : kinds.all()) {
            ObjectNode spec = rewriteRefs(k.specSchemaJson().deepCopy(), "#/components/schemas/" + k.kind() + "Spec/");
            spec.remove("$schema");
            schemas.set(k.kind() + "Spec", spec);
            schemas.set(k.kind(), resource(k));
            schemas.set(k.kind() + "List", list(k));
            String collection = k.tenantScoped() ? "/api/v1/tenants/{tenant}/" + k.plural() : "/api/v1/" + k.plural();
            String item = collection + "/{name}";
            paths.set(collection, collectionOps(k));
            paths.set(item, itemOps(k));
            paths.set(item + "/status", Json.object().set("put", op(k, "Replace the status of a " + k.kind() + " (platform admins)", true, "200")));
            if (k.tenantScoped()) {
                ObjectNode all = Json.object();
                all.set("get", listOp(k, "List " + k.plural() + " in every tenant the caller belongs to"));
                paths.set("/api/v1/" + k.plural(), all);
            }
        }
        paths.set("/api/v1/tokens", Json.object()
                .set("post", simple("Issue a bearer token for a user or a service account; the secret is shown once", "201")));
        paths.set("/api/v1/tokens/{id}", Json.object().set("delete", simple("Revoke a token", "200")));
        paths.set("/api/v1/audit", Json.object().set("get", simple("Query the audit log (tenant, actor, kind, since, until, limit, before)", "200")));
        paths.set("/api/v1/audit/verify", Json.object().set("get", simple("Re-compute the audit hash chain", "200")));
        paths.set("/api/v1/events", Json.object().set("get", simple("Events, by object (kind, name, tenant) or by tenant", "200")));
        paths.set("/api/v1/fleet", Json.object().set("get", simple("The fleet in numbers: machines by phase and health, GPUs by model, site and state (platform admins)", "200")));
        paths.set("/api/v1/fleet/history", Json.object().set("get", simple("The fleet's GPUs over the last hour, a sample every 10 s: total, allocated, mean utilization (platform admins)", "200")));
        paths.set("/api/v1/twin", Json.object().set("get", simple("The digital twin: clock, size, history digest and newest history (platform admins)", "200")));
        paths.set("/api/v1/twin/faults", Json.object().set("post", simple("Inject a fault into a twin machine: {machine, fault: machine-death|gpu-xid|bmc-unreachable|slow-node}", "202")));
        paths.set("/api/v1/twin/advance", Json.object().set("post", simple("Advance the twin's clock by {seconds}", "200")));
        paths.set("/api/v1/secrets/rekey", Json.object().set("post", simple("Seal every secret value not under the primary key again under it (platform admins)", "200")));
        paths.set("/api/v1/whoami", Json.object().set("get", simple("The caller's identity and roles", "200")));
        paths.set("/api/v1/kinds", Json.object().set("get", simple("The kinds this server serves", "200")));
        paths.set("/api/v1/policies/test", Json.object().set("post", simple(
                "Judge a Policy manifest against every existing object it covers, writing nothing (platform admins)", "200")));
        String env = "/api/v1/tenants/{tenant}/environments/{name}";
        paths.set(env + "/manifests", Json.object().set("get", simple("The Kubernetes objects the environment's workloads render to", "200")));
        paths.set(env + "/upgrade-plan", Json.object().set("get", simple("What moving the environment to ?to=TEMPLATE@VERSION would do", "200")));
        paths.set(env + "/sbom", Json.object().set("get", simple("The environment's bill of materials, CycloneDX 1.6 JSON", "200")));
        paths.set(env + "/remediation", Json.object().set("get", simple(
                "What fixes the environment's findings (?finding=ID, repeatable; default every finding with a known fix)", "200")));
        paths.set("/api/v1/tenants/{tenant}/workloads/{name}/manifests", Json.object().set("get", simple("The Kubernetes objects the workload renders to", "200")));
        return doc;
    }

    private static ObjectNode rewriteRefs(ObjectNode node, String base) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().equals("$ref") && v.isTextual() && v.asText().startsWith("#/")) {
                e.setValue(TextNode.valueOf(base + v.asText().substring(2)));
            } else if (v.isObject()) {
                rewriteRefs((ObjectNode) v, base);
            } else if (v.isArray()) {
                for (JsonNode item : v) if (item.isObject()) rewriteRefs((ObjectNode) item, base);
            }
        }
        return node;
    }

    private static ObjectNode collectionOps(KindDefinition k) {
        ObjectNode ops = Json.object();
        ops.set("get", listOp(k, "List " + k.plural() + ", or watch them as server-sent events with watch=true"));
        ops.set("post", op(k, "Create a " + k.kind(), true, "201"));
        return ops;
    }

    private static ObjectNode itemOps(KindDefinition k) {
        ObjectNode ops = Json.object();
        ops.set("get", op(k, "Read a " + k.kind(), false, "200"));
        ops.set("put", op(k, "Replace a " + k.kind() + "; send metadata.resourceVersion to make it conditional", true, "200"));
        ObjectNode patch = op(k, "Change a " + k.kind() + " with a JSON merge patch (RFC 7386)", false, "200");
        patch.putObject("requestBody").putObject("content").putObject("application/merge-patch+json").putObject("schema").put("type", "object");
        ops.set("patch", patch);
        ObjectNode delete = op(k, "Delete a " + k.kind(), false, "200");
        delete.withArray("parameters").addObject().put("name", "resourceVersion").put("in", "query")
                .putObject("schema").put("type", "string");
        ops.set("delete", delete);
        return ops;
    }

    private static ObjectNode listOp(KindDefinition k, String summary) {
        ObjectNode op = Json.object();
        op.put("summary", summary);
        op.putArray("tags").add(k.kind());
        ArrayNode params = op.putArray("parameters");
        for (String p : new String[] {"labelSelector", "limit", "continue", "watch", "resourceVersion"}) {
            params.addObject().put("name", p).put("in", "query").putObject("schema").put("type", "string");
        }
        ObjectNode ok = op.putObject("responses").putObject("200");
        ok.put("description", "the list, or a text/event-stream of ADDED, MODIFIED, DELETED, BOOKMARK and ERROR events");
        ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + k.kind() + "List");
        errors((ObjectNode) op.get("responses"));
        return op;
    }

    private static ObjectNode op(KindDefinition k, String summary, boolean body, String status) {
        ObjectNode op = Json.object();
        op.put("summary", summary);
        op.putArray("tags").add(k.kind());
        if (body) {
            ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
            content.putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + k.kind());
            content.putObject("application/yaml").putObject("schema").put("$ref", "#/components/schemas/" + k.kind());
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(status);
        ok.put("description", "the object");
        ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + k.kind());
        errors(responses);
        return op;
    }

    private static ObjectNode simple(String summary, String status) {
        ObjectNode op = Json.object();
        op.put("summary", summary);
        ObjectNode responses = op.putObject("responses");
        responses.putObject(status).put("description", "success");
        errors(responses);
        return op;
    }

    private static void errors(ObjectNode responses) {
        String[][] errors = {
            {"400", "malformed body or query"}, {"401", "missing, unknown or revoked token"},
            {"403", "the caller's role does not allow this"}, {"404", "no such object, or one the caller may not see"},
            {"409", "stale resourceVersion or name taken"}, {"410", "watch revision compacted"},
            {"413", "body too large"}, {"422", "invalid object; details keyed by field path"}};
        for (String[] e : errors) {
            ObjectNode r = responses.putObject(e[0]);
            r.put("description", e[1]);
            r.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
        }
    }

    private static ObjectNode resource(KindDefinition k) {
        ObjectNode s = Json.object();
        s.put("type", "object");
        s.put("description", k.description() + " Scope: " + k.scope().name().toLowerCase() + ".");
        s.putArray("required").add("kind").add("metadata");
        ObjectNode props = s.putObject("properties");
        props.putObject("apiVersion").put("const", "millwright.dev/v1");
        props.putObject("kind").put("const", k.kind());
        props.putObject("metadata").put("$ref", "#/components/schemas/ObjectMeta");
        props.putObject("spec").put("$ref", "#/components/schemas/" + k.kind() + "Spec");
        props.putObject("status").put("type", "object").put("description", "observed state, written by controllers");
        s.put("additionalProperties", false);
        return s;
    }

    private static ObjectNode list(KindDefinition k) {
        ObjectNode s = Json.object();
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        props.putObject("kind").put("const", k.kind() + "List");
        ObjectNode meta = props.putObject("metadata").put("type", "object").putObject("properties");
        meta.putObject("resourceVersion").put("type", "string");
        meta.putObject("continue").put("type", "string");
        props.putObject("items").put("type", "array").putObject("items").put("$ref", "#/components/schemas/" + k.kind());
        return s;
    }

    private static ObjectNode objectMeta() {
        ObjectNode s = Json.object();
        s.put("type", "object");
        s.putArray("required").add("name");
        s.put("additionalProperties", false);
        ObjectNode p = s.putObject("properties");
        p.putObject("name").put("type", "string").put("maxLength", 63).put("pattern", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
        p.putObject("tenant").put("type", "string").put("description", "the owning tenant; tenant-scoped kinds only");
        p.putObject("labels").put("type", "object").putObject("additionalProperties").put("type", "string");
        p.putObject("annotations").put("type", "object").putObject("additionalProperties").put("type", "string");
        p.putObject("uid").put("type", "string").put("readOnly", true);
        p.putObject("resourceVersion").put("type", "string").put("description", "send it back to make a write conditional");
        p.putObject("generation").put("type", "integer").put("readOnly", true);
        p.putObject("creationTimestamp").put("type", "string").put("format", "date-time").put("readOnly", true);
        return s;
    }

    private static ObjectNode error() {
        ObjectNode s = Json.object();
        s.put("type", "object");
        ObjectNode p = s.putObject("properties");
        p.putObject("status").put("type", "integer");
        p.putObject("title").put("type", "string");
        p.putObject("message").put("type", "string");
        p.putObject("details").put("type", "object").put("description", "reasons keyed by field path")
                .putObject("additionalProperties").put("type", "array").putObject("items").put("type", "string");
        return s;
    }
}
