package dev.millwright.catalog;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End of life per NVIDIA driver branch (the driver's major version: 535, 570, 580...).
 *
 * <p>Two sources give it: endoflife.date (a day, from {@code eol_dates_endoflife_date.csv}) and NVIDIA's own
 * data-center driver page (a month, from {@code nvidia_driver_branches_nvidia_docs.csv}, sometimes twice, from
 * snapshots that disagree: R580 is "August 2028" on the v580 page and "June 2028" on later ones). A month is
 * read as its last day, and the earliest date any source gives is kept: an end-of-life warning that comes a
 * little early costs less than one that never comes. The source text lists every date seen, so a
 * disagreement is visible.
 */
final class DriverBranches {
    private static final Pattern ENDOFLIFE_CYCLE = Pattern.compile("^r(\\d{3})-linux$");
    private static final Pattern NVIDIA_BRANCH = Pattern.compile("^R(\\d{3})$");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.ENGLISH);

    private final Map<Integer, List<Dated>> byBranch;

    private DriverBranches(Map<Integer, List<Dated>> byBranch) {
        this.byBranch = byBranch;
    }

    /** A branch's end of life and the text that says where it comes from. */
    record EndOfLife(LocalDate date, String source) {
    }

    private record Dated(LocalDate date, String said, CsvRows.Row row, String origin) {
        String where() {
            return row.where() + " (" + origin + ")";
        }
    }

    static DriverBranches read(CsvRows endOfLifeDate, CsvRows nvidiaBranches, SkipLog skips) {
        Map<Integer, List<Dated>> byBranch = new TreeMap<>();
        for (CsvRows.Row row : endOfLifeDate.rows()) {
            if (!row.get("product").equals("nvidia-driver")) continue;
            Matcher m = ENDOFLIFE_CYCLE.matcher(row.get("releaseCycle"));
            if (!m.matches()) {
                skips.skip(row, "nvidia-driver releaseCycle \"" + row.get("releaseCycle") + "\" names no Linux driver branch");
                continue;
            }
            String eol = row.get("eol");
            try {
                LocalDate date = LocalDate.parse(eol);
                byBranch.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
                        .add(new Dated(date, eol, row, row.get("source")));
            } catch (DateTimeParseException e) {
                skips.skip(row, "end of life \"" + eol + "\" of " + row.get("releaseCycle") + " is no date");
            }
        }
        for (CsvRows.Row row : nvidiaBranches.rows()) {
            Matcher m = NVIDIA_BRANCH.matcher(row.get("branch"));
            if (!m.matches()) {
                skips.skip(row, "branch \"" + row.get("branch") + "\" is not of the form R535");
                continue;
            }
            String eol = row.get("end_of_life");
            try {
                LocalDate date = YearMonth.parse(eol, MONTH).atEndOfMonth();
                byBranch.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
                        .add(new Dated(date, eol, row, row.get("source_url_snapshot")));
            } catch (DateTimeParseException e) {
                skips.skip(row, "end of life \"" + eol + "\" of " + row.get("branch") + " is no month; other sources may still date it");
            }
        }
        return new DriverBranches(byBranch);
    }

    /** Branches the data dates, whether or not a concrete driver release of them is known. */
    Iterable<Integer> branches() {
        return byBranch.keySet();
    }

    /** The first row that dates a branch, for messages about it. */
    CsvRows.Row firstRow(int branch) {
        return byBranch.get(branch).get(0).row();
    }

    Optional<EndOfLife> endOfLife(int branch) {
        List<Dated> dates = byBranch.get(branch);
        if (dates == null || dates.isEmpty()) return Optional.empty();
        Dated earliest = dates.stream().min(Comparator.comparing(Dated::date)).orElseThrow();
        StringBuilder s = new StringBuilder("end of life of branch R").append(branch).append(": ");
        for (int i = 0; i < dates.size(); i++) {
            Dated d = dates.get(i);
            if (i > 0) s.append("; ");
            s.append(d.where()).append(" says ").append(d.said());
        }
        if (dates.size() > 1) s.append("; the earliest, ").append(earliest.date()).append(", is kept");
        return Optional.of(new EndOfLife(earliest.date(), s.toString()));
    }
}
