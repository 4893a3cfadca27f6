package dev.millwright.sched.trace;

import java.util.Objects;

/**
 * A trace that cannot be replayed as written: a missing column, a cell that is not a number, a value out of
 * range. The message reads {@code FILE line N, field F: reason}, so a user can go straight to the cell.
 */
public final class TraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String field;

    /**
     * @param line  the 1-based line of the file, or 0 when the problem is the file as a whole
     * @param field the column, or null when no single column is at fault
     */
    public TraceException(String file, int line, String field, String reason) {
        super(format(file, line, field, reason));
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.field = field;
    }

    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    /** The column at fault, or null. */
    public String field() {
        return field;
    }

    private static String format(String file, int line, String field, String reason) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) sb.append(" line ").append(line);
        if (field != null && !field.isEmpty()) sb.append(", field ").append(field);
        return sb.append(": ").append(reason).toString();
    }
}
