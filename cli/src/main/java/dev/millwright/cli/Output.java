package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How objects are printed: aligned tables for people, YAML and JSON for tools. */
final class Output {
    private Output() {
    }

    static void print(PrintStream out, String format, ApiClient.Kind kind, List<JsonNode> items, boolean single) {
        switch (format) {
            case "json" -> out.println(Json.string(single ? items.get(0) : list(kind, items)).replace("\n", ""));
            case "yaml" -> out.print(Json.yaml(single ? items.get(0) : list(kind, items)));
            case "table", "wide" -> table(out, kind, items, format.equals("wide"));
            case "name" -> items.forEach(i -> out.println(kind.plural() + "/" + i.path("metadata").path("name").asText()));
            default -> throw new CliException(ExitCodes.USAGE, "unknown output format \"" + format + "\"; use table, wide, yaml, json or name");
        }
    }

    private static JsonNode list(ApiClient.Kind kind, List<JsonNode> items) {
        var out = Json.object();
        out.put("apiVersion", "millwright.dev/v1");
        out.put("kind", kind.kind() + "List");
        var array = out.putArray("items");
        items.forEach(array::add);
        return out;
    }

    static void table(PrintStream out, ApiClient.Kind kind, List<JsonNode> items, boolean wide) {
        if (items.isEmpty()) {
            out.println("No " + kind.plural() + " found.");
            return;
        }
        List<String> headers = new ArrayList<>();
        if (kind.tenantScoped()) headers.add("TENANT");
        headers.add("NAME");
        headers.addAll(kind.printColumns().keySet());
        headers.add("AGE");
        if (wide) headers.add("LABELS");
        List<List<String>> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>();
            JsonNode meta = item.path("metadata");
            if (kind.tenantScoped()) row.add(meta.path("tenant").asText());
            row.add(meta.path("name").asText());
            for (Map.Entry<String, String> c : kind.printColumns().entrySet()) row.add(column(item, c.getValue()));
            row.add(age(meta.path("creationTimestamp").asText(""), now));
            if (wide) row.add(labels(meta.path("labels")));
            rows.add(row);
        }
        printTable(out, headers, rows);
    }

    static void printTable(PrintStream out, List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) widths[i] = headers.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) widths[i] = Math.max(widths[i], r.get(i).length());
        out.println(line(headers, widths));
        rows.forEach(r -> out.println(line(r, widths)));
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(c);
            if (i < cells.size() - 1) sb.append(" ".repeat(widths[i] - c.length() + 3));
        }
        return sb.toString().stripTrailing();
    }

    /**
     * A column path such as {@code status.phase}; a trailing {@code #} counts the array's items, a trailing
     * {@code *} lists the object's field names in order (a secret's keys; PostgreSQL's jsonb keeps its own order).
     */
    static String column(JsonNode item, String path) {
        boolean count = path.endsWith("#");
        boolean names = path.endsWith("*");
        JsonNode n = item;
        for (String part : (count || names ? path.substring(0, path.length() - 1) : path).split("\\.")) n = n.path(part);
        if (count) return Integer.toString(n.size());
        if (names) {
            List<String> fields = new ArrayList<>();
            n.fieldNames().forEachRemaining(fields::add);
            return fields.isEmpty() ? "<none>" : String.join(",", fields.stream().sorted().toList());
        }
        if (n.isMissingNode() || n.isNull()) return "<none>";
        return n.isValueNode() ? n.asText() : Json.string(n);
    }

    /** Compares names as people read them: digit runs by their value, so "n2" comes before "n10". */
    static int naturalOrder(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
                while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
                String da = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String db = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                if (c != 0) return c;
            } else {
                if (x != y) return Character.compare(x, y);
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    static String age(String created, Instant now) {
        if (created.isEmpty()) return "<unknown>";
        try {
            Duration d = Duration.between(Instant.parse(created), now);
            if (d.isNegative()) d = Duration.ZERO;
            if (d.toDays() > 0) return d.toDays() + "d";
            if (d.toHours() > 0) return d.toHours() + "h";
            if (d.toMinutes() > 0) return d.toMinutes() + "m";
            return d.toSeconds() + "s";
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    private static String labels(JsonNode labels) {
        List<String> out = new ArrayList<>();
        labels.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        return out.isEmpty() ? "<none>" : String.join(",", out);
    }
}
