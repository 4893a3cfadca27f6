package dev.millwright.vulns;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads OSV records (https://ossf.github.io/osv-schema/) into {@link Advisory}s, checking what the matcher relies
 * on: an id; for each affected package an ecosystem and a name; ranges of a known type whose events each carry
 * exactly one of introduced, fixed, last_affected or limit, with at least one introduced, never both fixed and
 * last_affected, a repo for GIT; and versions the range's scheme can read (a SEMVER range's as SemVer, an
 * ECOSYSTEM range's as its ecosystem does, when Millwright knows the ecosystem). Fields it does not use are
 * ignored. Problems come back keyed by field path, all of them, never a partial record.
 */
public final class OsvReader {
    private OsvReader() {
    }

    /** Either the advisory or the problems with the record, keyed by field path. */
    public record Result(Advisory advisory, Map<String, List<String>> problems) {
        public boolean ok() {
            return advisory != null;
        }
    }

    public static Result read(JsonNode record) {
        Map<String, List<String>> problems = new TreeMap<>();
        if (!record.isObject()) return new Result(null, Map.of("", List.of("an OSV record is a JSON object")));
        String id = record.path("id").asText("");
        if (!record.path("id").isTextual() || id.isBlank()) add(problems, "id", "is required: the record's identifier, such as GHSA-xxxx or CVE-2024-1234");
        List<String> aliases = strings(record, "aliases", "aliases", problems);
        List<Advisory.Severity> severity = new ArrayList<>(severities(list(record, "severity", "severity", problems), "severity", problems));
        List<Advisory.Affected> affected = new ArrayList<>();
        JsonNode list = list(record, "affected", "affected", problems);
        for (int i = 0; i < list.size(); i++) {
            String at = "affected[" + i + "]";
            JsonNode a = list.get(i);
            severity.addAll(severities(list(a, "severity", at + ".severity", problems), at + ".severity", problems));
            String ecosystem = a.path("package").path("ecosystem").asText("");
            String name = a.path("package").path("name").asText("");
            if (ecosystem.isBlank()) add(problems, at + ".package.ecosystem", "is required");
            if (name.isBlank()) add(problems, at + ".package.name", "is required");
            List<Advisory.Range> ranges = new ArrayList<>();
            JsonNode rs = list(a, "ranges", at + ".ranges", problems);
            for (int r = 0; r < rs.size(); r++) {
                range(rs.get(r), at + ".ranges[" + r + "]", Ecosystem.of(ecosystem), problems).ifPresent(ranges::add);
            }
            affected.add(new Advisory.Affected(ecosystem, name, ranges, strings(a, "versions", at + ".versions", problems)));
        }
        if (!problems.isEmpty()) return new Result(null, problems);
        return new Result(new Advisory(id, aliases, record.path("summary").asText(""), text(record, "published"), text(record, "modified"),
                text(record, "withdrawn"), severity, affected), Map.of());
    }

    private static Optional<Advisory.Range> range(JsonNode range, String at, Optional<Ecosystem> ecosystem, Map<String, List<String>> problems) {
        if (!range.isObject()) {
            add(problems, at, "a range is an object with a type and events");
            return Optional.empty();
        }
        Advisory.Type type;
        try {
            type = Advisory.Type.valueOf(range.path("type").asText(""));
        } catch (IllegalArgumentException e) {
            add(problems, at + ".type", "must be SEMVER, ECOSYSTEM or GIT, not \"" + range.path("type").asText("") + "\"");
            return Optional.empty();
        }
        if (type == Advisory.Type.GIT && range.path("repo").asText("").isBlank()) add(problems, at + ".repo", "is required for a GIT range");
        VersionScheme scheme = type == Advisory.Type.SEMVER ? SemVer.INSTANCE
                : type == Advisory.Type.ECOSYSTEM ? ecosystem.map(Ecosystem::versions).orElse(null) : null;
        List<Advisory.Event> events = new ArrayList<>();
        JsonNode es = range.path("events");
        if (!es.isArray() || es.isEmpty()) {
            add(problems, at + ".events", "must list at least one event");
            es = Json.MAPPER.createArrayNode();
        }
        boolean introduced = false;
        boolean fixed = false;
        boolean lastAffected = false;
        for (int e = 0; e < es.size(); e++) {
            JsonNode ev = es.get(e);
            String eat = at + ".events[" + e + "]";
            if (!ev.isObject() || ev.size() != 1) {
                add(problems, eat, "an event has exactly one of introduced, fixed, last_affected or limit");
                continue;
            }
            String field = ev.fieldNames().next();
            Advisory.Kind kind = switch (field) {
                case "introduced" -> Advisory.Kind.INTRODUCED;
                case "fixed" -> Advisory.Kind.FIXED;
                case "last_affected" -> Advisory.Kind.LAST_AFFECTED;
                case "limit" -> Advisory.Kind.LIMIT;
                default -> null;
            };
            if (kind == null) {
                add(problems, eat + "." + field, "is not an event: use introduced, fixed, last_affected or limit");
                continue;
            }
            String version = ev.get(field).asText("");
            if (!ev.get(field).isTextual() || version.isBlank()) {
                add(problems, eat + "." + field, "must be a version string");
                continue;
            }
            introduced |= kind == Advisory.Kind.INTRODUCED;
            fixed |= kind == Advisory.Kind.FIXED;
            lastAffected |= kind == Advisory.Kind.LAST_AFFECTED;
            boolean special = (kind == Advisory.Kind.INTRODUCED && version.equals("0")) || (kind == Advisory.Kind.LIMIT && version.contains("*"));
            if (scheme != null && !special) {
                try {
                    scheme.parse(version);
                } catch (InvalidVersionException x) {
                    add(problems, eat + "." + field, x.getMessage());
                }
            }
            events.add(new Advisory.Event(kind, version));
        }
        if (es.isArray() && !es.isEmpty() && !introduced) add(problems, at + ".events", "must have at least one introduced event");
        if (fixed && lastAffected) add(problems, at + ".events", "has both fixed and last_affected events; a range has one or the other");
        return Optional.of(new Advisory.Range(type, range.path("repo").asText(null), events));
    }

    /** The list under {@code field}, or an empty one (with a problem when something else is there). */
    private static JsonNode list(JsonNode node, String field, String path, Map<String, List<String>> problems) {
        JsonNode list = node.path(field);
        if (list.isArray()) return list;
        if (!list.isMissingNode() && !list.isNull()) add(problems, path, "must be a list");
        return Json.MAPPER.createArrayNode();
    }

    private static List<Advisory.Severity> severities(JsonNode list, String at, Map<String, List<String>> problems) {
        List<Advisory.Severity> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            if (!s.path("type").isTextual() || !s.path("score").isTextual()) {
                add(problems, at + "[" + i + "]", "a severity has a type (CVSS_V3, CVSS_V4, ...) and a score");
                continue;
            }
            out.add(new Advisory.Severity(s.get("type").asText(), s.get("score").asText()));
        }
        return out;
    }

    private static List<String> strings(JsonNode node, String field, String path, Map<String, List<String>> problems) {
        JsonNode list = node.path(field);
        if (list.isMissingNode() || list.isNull()) return List.of();
        if (!list.isArray()) {
            add(problems, path, "must be a list of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static void add(Map<String, List<String>> problems, String path, String reason) {
        problems.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }
}
