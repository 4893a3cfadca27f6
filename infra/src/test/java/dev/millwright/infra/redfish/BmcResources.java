package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The test BMC's resources: a mockup tree with state laid over it. Each resource is parsed from the mockup when
 * first asked for and changed in place afterwards (power, boot override, virtual media, firmware versions, tasks,
 * sessions), so that a GET shows every earlier write. ETags are a digest of the resource plus a generation, which
 * {@link #touch} bumps to stand for a write by someone else. Not thread-safe: {@link TestBmc} serialises calls.
 */
final class BmcResources {
    private final Map<String, byte[]> mockup;
    private final Map<String, ObjectNode> live = new HashMap<>();
    private final Map<String, Integer> generations = new HashMap<>();
    private final java.util.Set<String> hidden = new java.util.HashSet<>();

    BmcResources(String tree) {
        this.mockup = MockupTree.load(tree);
    }

    /** The resource at a path, or null. Mockup files holding only an {@code error} object are 404s recorded from a BMC. */
    ObjectNode get(String path) {
        String key = MockupTree.key(path);
        if (hidden.contains(key)) return null;
        ObjectNode node = live.get(key);
        if (node != null) return node;
        byte[] raw = mockup.get(key);
        if (raw == null) return null;
        try {
            JsonNode parsed = Json.MAPPER.readTree(raw);
            if (!parsed.isObject() || (parsed.size() == 1 && parsed.has("error"))) return null;
            live.put(key, (ObjectNode) parsed);
            return (ObjectNode) parsed;
        } catch (IOException e) {
            throw new UncheckedIOException("mockup resource " + key + " is not JSON", e);
        }
    }

    void put(String path, ObjectNode resource) {
        hidden.remove(MockupTree.key(path));
        live.put(MockupTree.key(path), resource);
    }

    /** From now on the resource is not there. */
    void hide(String path) {
        hidden.add(MockupTree.key(path));
    }

    void remove(String path) {
        live.remove(MockupTree.key(path));
        generations.remove(MockupTree.key(path));
    }

    /** The resource's ETag: changes with its content and with {@link #touch}. */
    String etag(String path) {
        ObjectNode r = get(path);
        if (r == null) return null;
        ObjectNode copy = r.deepCopy();
        copy.remove("@odata.etag");
        CRC32 crc = new CRC32();
        crc.update(Json.string(copy).getBytes(StandardCharsets.UTF_8));
        return "\"" + Long.toHexString(crc.getValue()) + "-" + generations.getOrDefault(MockupTree.key(path), 0) + "\"";
    }

    /** Someone else wrote the resource: its ETag changes, its content does not. */
    void touch(String path) {
        generations.merge(MockupTree.key(path), 1, Integer::sum);
    }

    /** Adds a member link to a collection, creating the collection when the mockup has none. */
    void addMember(String collectionPath, String memberPath, String type) {
        ObjectNode c = get(collectionPath);
        if (c == null) {
            c = Json.object().put("@odata.id", collectionPath).put("@odata.type", type).put("Name", type);
            c.putArray("Members");
            put(collectionPath, c);
        }
        ArrayNode members = c.has("Members") && c.get("Members").isArray() ? (ArrayNode) c.get("Members") : c.putArray("Members");
        members.addObject().put("@odata.id", memberPath);
        c.put("Members@odata.count", members.size());
    }

    void removeMember(String collectionPath, String memberPath) {
        ObjectNode c = get(collectionPath);
        if (c == null || !c.path("Members").isArray()) return;
        ArrayNode members = (ArrayNode) c.get("Members");
        for (int i = members.size() - 1; i >= 0; i--) {
            if (Odata.key(Odata.text(members.get(i).path("@odata.id"))).equals(Odata.key(memberPath))) members.remove(i);
        }
        c.put("Members@odata.count", members.size());
    }

    /** The member paths of a collection. */
    List<String> members(String collectionPath) {
        ObjectNode c = get(collectionPath);
        return c == null ? List.of() : Odata.members(c);
    }

    /**
     * The values an action allows for a parameter, from its inline annotation or its ActionInfo; null when neither
     * says (then anything goes, as on a BMC that does not check).
     */
    List<String> allowable(JsonNode action, String parameter) {
        JsonNode inline = action.path(parameter + "@Redfish.AllowableValues");
        if (inline.isArray()) return texts(inline);
        String info = Odata.text(action.path("@Redfish.ActionInfo"));
        ObjectNode actionInfo = info == null ? null : get(info);
        if (actionInfo == null) return null;
        for (JsonNode p : actionInfo.path("Parameters")) {
            if (parameter.equals(Odata.text(p.path("Name"))) && p.path("AllowableValues").isArray()) return texts(p.path("AllowableValues"));
        }
        return null;
    }

    boolean required(JsonNode action, String parameter) {
        String info = Odata.text(action.path("@Redfish.ActionInfo"));
        ObjectNode actionInfo = info == null ? null : get(info);
        if (actionInfo == null) return false;
        for (JsonNode p : actionInfo.path("Parameters")) {
            if (parameter.equals(Odata.text(p.path("Name")))) return p.path("Required").asBoolean(false);
        }
        return false;
    }

    /** Finds the resource whose action has {@code target}: {path, action name}, or null. */
    String[] actionOwner(String target) {
        String key = MockupTree.key(target);
        int at = key.indexOf("/actions/");
        if (at < 0) return null;
        ObjectNode owner = get(key.substring(0, at));
        if (owner == null) return null;
        for (var it = owner.path("Actions").fields(); it.hasNext(); ) {
            var e = it.next();
            if (Odata.key(Odata.text(e.getValue().path("target"))).equals(key)) return new String[] {key.substring(0, at), e.getKey()};
        }
        return null;
    }

    static String odataType(JsonNode r) {
        return String.valueOf(Odata.text(r.path("@odata.type"))).toLowerCase(Locale.ROOT);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
