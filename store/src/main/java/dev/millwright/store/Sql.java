package dev.millwright.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Conversions between Java values and PostgreSQL columns, shared by the store's tables. */
final class Sql {
    private Sql() {
    }

    /** timestamptz parameters are bound as UTC offsets, so the JVM's time zone never matters. */
    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static ObjectNode object(ResultSet rs, String column) throws SQLException {
        JsonNode node = Json.tree(rs.getString(column));
        return node.isObject() ? (ObjectNode) node : Json.object();
    }

    static Map<String, String> stringMap(ResultSet rs, String column) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        Json.tree(rs.getString(column)).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
