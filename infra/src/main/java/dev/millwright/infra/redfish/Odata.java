package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading Redfish's OData links the way real BMCs write them: an {@code @odata.id} may end in a slash, differ in
 * case from the path it was reached by, be an absolute URL, or a link may be a bare string instead of an object.
 */
final class Odata {
    private Odata() {
    }

    /** The resource's own path, or null. */
    static String id(JsonNode resource) {
        return text(resource.path("@odata.id"));
    }

    /** The path a link property points to: {@code {"@odata.id": p}} or, from sloppier BMCs, {@code p} itself. */
    static String link(JsonNode node, String property) {
        JsonNode n = node.path(property);
        return n.isTextual() ? blankToNull(n.asText()) : text(n.path("@odata.id"));
    }

    /** Every path of an array of links (or one link) under {@code property}. */
    static List<String> links(JsonNode node, String property) {
        JsonNode n = node.path(property);
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            for (JsonNode e : n) {
                String p = e.isTextual() ? blankToNull(e.asText()) : text(e.path("@odata.id"));
                if (p != null) out.add(p);
            }
        } else {
            String p = link(node, property);
            if (p != null) out.add(p);
        }
        return out;
    }

    /** The members of a collection resource, in the order the BMC lists them. */
    static List<String> members(JsonNode collection) {
        return links(collection, "Members");
    }

    /**
     * A key for comparing paths: no scheme or host, no query, no trailing slash, lower case. Two links with the same
     * key name the same resource on any BMC this adapter has met.
     */
    static String key(String path) {
        if (path == null) return "";
        String p = pathOf(path);
        int q = p.indexOf('?');
        if (q >= 0) p = p.substring(0, q);
        int hash = p.indexOf('#');
        if (hash >= 0) p = p.substring(0, hash);
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.toLowerCase(Locale.ROOT);
    }

    /** The path of a link that may be an absolute URL ({@code https://bmc/redfish/v1/...}). */
    static String pathOf(String link) {
        String p = link.trim();
        int scheme = p.indexOf("://");
        if (scheme > 0 && scheme < 8) {
            int slash = p.indexOf('/', scheme + 3);
            p = slash < 0 ? "/" : p.substring(slash);
        }
        return p.startsWith("/") ? p : "/" + p;
    }

    /** The last segment of a path: a resource's id when the BMC left {@code Id} out. */
    static String lastSegment(String path) {
        String k = pathOf(path);
        while (k.length() > 1 && k.endsWith("/")) k = k.substring(0, k.length() - 1);
        return k.substring(k.lastIndexOf('/') + 1);
    }

    /** A text property, or null when absent, null or blank. */
    static String text(JsonNode n) {
        return n == null || !n.isValueNode() || n.isNull() ? null : blankToNull(n.asText());
    }

    /** Whether a text property equals {@code value}, ignoring case. */
    static boolean is(JsonNode resource, String property, String value) {
        String t = text(resource.path(property));
        return t != null && t.equalsIgnoreCase(value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
