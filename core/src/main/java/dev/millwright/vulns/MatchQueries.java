package dev.millwright.vulns;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * The matcher as a batch: rows of {@code ecosystem,package,version} (a CSV with exactly that header) in, one
 * answer per row out, in order: the row with {@code ids}, the sorted OSV ids of the records that affect it, or
 * with {@code error} when its ecosystem is unknown or cannot read its version.
 */
public final class MatchQueries {
    private MatchQueries() {
    }

    public record Query(String ecosystem, String pkg, String version) {
    }

    /** @throws IllegalArgumentException naming the line, for a header other than {@code ecosystem,package,version} or a short row */
    public static List<Query> read(Reader csv) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<Query> out = new ArrayList<>();
        try (MappingIterator<List<String>> rows = mapper.readerForListOf(String.class)
                .with(CsvSchema.emptySchema().withoutHeader()).with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(csv)) {
            int line = 0;
            while (rows.hasNext()) {
                List<String> row = rows.next();
                line++;
                if (line == 1) {
                    List<String> header = row.stream().map(String::trim).toList();
                    if (!header.equals(List.of("ecosystem", "package", "version"))) {
                        throw new IllegalArgumentException("line 1: the header must be ecosystem,package,version, not " + String.join(",", row));
                    }
                    continue;
                }
                if (row.size() == 1 && row.get(0).isBlank()) continue; // a blank line
                if (row.size() != 3) throw new IllegalArgumentException("line " + line + ": expected 3 fields (ecosystem,package,version), found " + row.size());
                out.add(new Query(row.get(0).trim(), row.get(1).trim(), row.get(2).trim()));
            }
            if (line == 0) throw new IllegalArgumentException("line 1: the file is empty; it needs the header ecosystem,package,version");
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) throw e;
            throw new IllegalArgumentException("not a CSV file: " + e.getMessage(), e);
        }
        return out;
    }

    /** One JSON object per query, in order. */
    public static ArrayNode answer(Matcher matcher, List<Query> queries) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Query q : queries) {
            ObjectNode row = out.addObject().put("ecosystem", q.ecosystem()).put("package", q.pkg()).put("version", q.version());
            Matcher.Answer a = matcher.affecting(q.ecosystem(), q.pkg(), q.version());
            if (a.error() != null) {
                row.put("error", a.error());
            } else {
                ArrayNode ids = row.putArray("ids");
                a.ids().forEach(ids::add);
            }
        }
        return out;
    }
}
