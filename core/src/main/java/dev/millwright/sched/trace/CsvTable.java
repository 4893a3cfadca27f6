package dev.millwright.sched.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header row, read whole: columns are found by name (any order, extra ones ignored), each data
 * row keeps its line number, and the typed getters turn a bad cell into a {@link TraceException} naming file,
 * line and column. Cells may be quoted ({@code "a,b"}, {@code ""} for a quote) but not span lines; blank lines
 * are skipped. Kept small on purpose: the trace formats are plain, and exact line numbers matter more here than
 * the corners of RFC 4180.
 */
final class CsvTable {
    private final String file;
    private final Map<String, Integer> columns;
    private final List<Row> rows;

    private CsvTable(String file, Map<String, Integer> columns, List<Row> rows) {
        this.file = file;
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Reads everything from {@code in}, checking that the header names every column in {@code required}.
     *
     * @param file how messages name the source, usually its path
     */
    static CsvTable read(String file, Reader in, List<String> required) {
        try (BufferedReader reader = new BufferedReader(in)) {
            String header = reader.readLine();
            int lineNo = 1;
            while (header != null && header.isBlank()) {
                header = reader.readLine();
                lineNo++;
            }
            if (header == null) {
                throw new TraceException(file, 0, null, "the file is empty; expected a header row with the columns " + String.join(",", required));
            }
            if (header.startsWith("\uFEFF")) header = header.substring(1);
            int headerLine = lineNo;
            List<String> names = split(file, headerLine, header);
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < names.size(); i++) columns.putIfAbsent(names.get(i).trim(), i);
            for (String r : required) {
                if (!columns.containsKey(r)) {
                    throw new TraceException(file, headerLine, r, "missing column (the header has: " + String.join(",", names) + ")");
                }
            }
            List<Row> rows = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                List<String> cells = split(file, lineNo, line);
                if (cells.size() > names.size()) {
                    throw new TraceException(file, lineNo, null, "the row has " + cells.size() + " cells but the header names " + names.size() + " columns");
                }
                rows.add(new Row(lineNo, cells));
            }
            return new CsvTable(file, Map.copyOf(columns), List.copyOf(rows));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    String file() {
        return file;
    }

    List<Row> rows() {
        return rows;
    }

    boolean has(String column) {
        return columns.containsKey(column);
    }

    /** The trimmed cell; a cell missing at the end of a short row is an error, an empty one is "". */
    String text(Row row, String column) {
        int i = columns.get(column);
        if (i >= row.cells().size()) throw new TraceException(file, row.line(), column, "missing value (the row ends before this column)");
        return row.cells().get(i).trim();
    }

    /** A whole number in [min, max]; "12.0" is accepted as 12, "12.5", "", "abc" and out-of-range values are not. */
    long number(Row row, String column, long min, long max) {
        String s = text(row, column);
        if (s.isEmpty()) throw new TraceException(file, row.line(), column, "missing value, expected a whole number");
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException notLong) {
            double d;
            try {
                d = Double.parseDouble(s);
            } catch (NumberFormatException notNumber) {
                throw new TraceException(file, row.line(), column, "\"" + s + "\" is not a number");
            }
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d) || Math.abs(d) > 1e15) {
                throw new TraceException(file, row.line(), column, "\"" + s + "\" is not a whole number");
            }
            v = (long) d;
        }
        if (v < min) {
            throw new TraceException(file, row.line(), column, v < 0 ? "negative value " + v : "value " + v + " is below the minimum " + min);
        }
        if (v > max) throw new TraceException(file, row.line(), column, "value " + v + " is above the maximum " + max);
        return v;
    }

    /** One data row: its 1-based line in the file and its raw cells. */
    record Row(int line, List<String> cells) {
    }

    private static List<String> split(String file, int lineNo, String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                quoted = true;
                cell.setLength(0);
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) throw new TraceException(file, lineNo, null, "unterminated quoted cell");
        out.add(cell.toString());
        return out;
    }
}
