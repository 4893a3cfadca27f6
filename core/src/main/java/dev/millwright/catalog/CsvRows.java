package dev.millwright.catalog;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One CSV file of the built-in catalog's data, read from the classpath under {@code catalog/}: its rows as
 * header-keyed cells, each with the file line it starts on, so a pack can say where its facts come from.
 */
final class CsvRows {
    /** Where the data copies live on the classpath. */
    static final String FOLDER = "/catalog/";

    private static final CsvMapper MAPPER = new CsvMapper();

    private final String file;
    private final List<Row> rows;

    private CsvRows(String file, List<Row> rows) {
        this.file = file;
        this.rows = rows;
    }

    /** @throws IllegalStateException when the file is not on the classpath: a packaging error, not bad data */
    static CsvRows read(String file) {
        try (InputStream in = CsvRows.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) throw new IllegalStateException("catalog data file " + FOLDER + file + " is missing from the classpath");
            CsvSchema schema = CsvSchema.emptySchema().withHeader();
            List<Row> rows = new ArrayList<>();
            try (MappingIterator<Map<String, String>> it = MAPPER.readerForMapOf(String.class).with(schema).readValues(in)) {
                // Line 1 is the header. A quoted cell may hold line breaks, so count them to keep lines exact.
                int line = 2;
                while (it.hasNextValue()) {
                    Map<String, String> cells = it.nextValue();
                    rows.add(new Row(file, line, cells));
                    line += 1 + cells.values().stream().filter(Objects::nonNull).mapToInt(v -> (int) v.chars().filter(c -> c == '\n').count()).sum();
                }
            }
            return new CsvRows(file, List.copyOf(rows));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog data file " + file, e);
        }
    }

    String file() {
        return file;
    }

    List<Row> rows() {
        return rows;
    }

    /** One data row; {@link #get} answers "" for a missing or empty cell. */
    record Row(String file, int line, Map<String, String> cells) {
        Row {
            Map<String, String> copy = new java.util.HashMap<>(cells);
            copy.replaceAll((k, v) -> v == null ? "" : v);
            cells = Map.copyOf(copy);
        }

        String get(String column) {
            String v = cells.get(column);
            return v == null ? "" : v.trim();
        }

        /** "file line N", how sources and skips name a row. */
        String where() {
            return file + " line " + line;
        }
    }
}
