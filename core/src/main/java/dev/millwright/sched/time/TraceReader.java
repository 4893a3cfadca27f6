package dev.millwright.sched.time;

import dev.millwright.sched.trace.TraceException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one tenant's jobs from a trace file and checks every row: a missing column, a value that is not a
 * number, a negative time or duration, a GPU count below one or beyond what the fleet can ever give, each
 * becomes a {@link TraceException} naming the file, the line and the field. The only class of the package that
 * does I/O.
 */
final class TraceReader {
    private static final List<String> ITP_COLUMNS = List.of("job_id", "submission_time", "duration", "num_gpu");
    private static final List<String> PHILLY_FIELDS = List.of("job_type", "command", "num_steps_arg",
            "needs_data_dir", "total_steps", "arrival_time_s", "num_gpus");

    private TraceReader() {
    }

    /**
     * The jobs of {@code file}, in file order.
     *
     * @param tenant  the tenant they belong to
     * @param maxGpus the fleet's size: a job asking for more can never run
     */
    static List<Job> read(String tenant, Path file, TraceFormat format, int maxGpus) {
        String name = file.toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(tenant, name, in, format, maxGpus);
        } catch (NoSuchFileException e) {
            throw new TraceException(name, 0, "", "no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new TraceException(name, 0, "", "cannot be read: " + e.getMessage());
        }
    }

    /** As {@link #read(String, Path, TraceFormat, int)}, from text (tests). */
    static List<Job> read(String tenant, String fileName, String text, TraceFormat format, int maxGpus) {
        try {
            return read(tenant, fileName, new BufferedReader(new StringReader(text)), format, maxGpus);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Job> read(String tenant, String file, Reader reader, TraceFormat format, int maxGpus)
            throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<Job> jobs = switch (format) {
            case ITP -> readItp(tenant, file, in, maxGpus);
            case PHILLY_VC -> readPhilly(tenant, file, in, maxGpus);
        };
        if (jobs.isEmpty()) throw new TraceException(file, 0, "", "has no jobs");
        return jobs;
    }

    private static List<Job> readItp(String tenant, String file, BufferedReader in, int maxGpus) throws IOException {
        String header = in.readLine();
        if (header == null) throw new TraceException(file, 1, "", "is empty: expected the header "
                + String.join(",", ITP_COLUMNS));
        String[] names = splitCsv(stripBom(header));
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < names.length; i++) column.putIfAbsent(names[i].trim().toLowerCase(Locale.ROOT), i);
        for (String c : ITP_COLUMNS) {
            if (!column.containsKey(c)) throw new TraceException(file, 1, c, "missing column (the header must name "
                    + String.join(",", ITP_COLUMNS) + ")");
        }
        List<Job> jobs = new ArrayList<>();
        String row;
        int line = 1;
        while ((row = in.readLine()) != null) {
            line++;
            if (row.isBlank()) continue;
            String[] f = splitCsv(row);
            String id = field(f, column.get("job_id"), file, line, "job_id");
            double submit = number(field(f, column.get("submission_time"), file, line, "submission_time"),
                    file, line, "submission_time");
            double duration = number(field(f, column.get("duration"), file, line, "duration"), file, line, "duration");
            int gpus = gpus(field(f, column.get("num_gpu"), file, line, "num_gpu"), file, line, "num_gpu", maxGpus);
            jobs.add(new Job(tenant, id, submit, duration, gpus, line));
        }
        return jobs;
    }

    private static List<Job> readPhilly(String tenant, String file, BufferedReader in, int maxGpus) throws IOException {
        List<Job> jobs = new ArrayList<>();
        String row;
        int line = 0;
        while ((row = in.readLine()) != null) {
            line++;
            if (row.isBlank()) continue;
            String[] f = row.split("\t", -1);
            if (f.length < PHILLY_FIELDS.size()) {
                throw new TraceException(file, line, PHILLY_FIELDS.get(f.length), "missing field (expected "
                        + PHILLY_FIELDS.size() + " tab-separated fields: " + String.join(", ", PHILLY_FIELDS)
                        + "; found " + f.length + ")");
            }
            String type = f[0].trim();
            double rate = PhillyRates.stepsPerSecond(type);
            if (Double.isNaN(rate)) throw new TraceException(file, line, "job_type", "unknown job type '" + type
                    + "' (known: " + String.join(", ", PhillyRates.types()) + ")");
            double steps = number(f[4], file, line, "total_steps");
            double arrival = number(f[5], file, line, "arrival_time_s");
            int gpus = gpus(f[6], file, line, "num_gpus", maxGpus);
            // whole seconds, as in the ITP traces, and at least one
            double duration = Math.max(1, Math.rint(steps / rate));
            jobs.add(new Job(tenant, tenant + "#" + line, arrival, duration, gpus, line));
        }
        return jobs;
    }

    private static String field(String[] f, int index, String file, int line, String name) {
        if (index >= f.length || f[index].isBlank()) throw new TraceException(file, line, name, "missing value");
        return f[index].trim();
    }

    private static double number(String text, String file, int line, String name) {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new TraceException(file, line, name, "not a number: '" + text.trim() + "'");
        }
        if (!Double.isFinite(v)) throw new TraceException(file, line, name, "not a finite number: '" + text.trim() + "'");
        if (v < 0) throw new TraceException(file, line, name, "must not be negative (got " + text.trim() + ")");
        return v;
    }

    private static int gpus(String text, String file, int line, String name, int maxGpus) {
        int g;
        try {
            g = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TraceException(file, line, name, "not a whole number of GPUs: '" + text.trim() + "'");
        }
        if (g < 1) throw new TraceException(file, line, name, "must be at least 1 (got " + g + ")");
        if (g > maxGpus) throw new TraceException(file, line, name, "asks for " + g
                + " GPUs, more than the whole fleet's " + maxGpus + ": it could never run");
        return g;
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    /** Splits one CSV row; quotes are honoured for fields that contain commas. */
    private static String[] splitCsv(String row) {
        if (row.indexOf('"') < 0) return row.split(",", -1);
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }
}
