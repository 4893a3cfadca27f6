package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * What the built-in catalog's loader left out of the data and why, as "file:line: why". Loading never throws
 * on bad data: a row or cell it cannot use is skipped and told here, so tests can see that the list stays
 * small and intentional.
 */
final class SkipLog {
    private final List<String> entries = new ArrayList<>();

    void skip(CsvRows.Row row, String why) {
        entries.add(row.file() + ":" + row.line() + ": " + why);
    }

    void skip(String file, String place, String why) {
        entries.add(file + ":" + place + ": " + why);
    }

    List<String> entries() {
        return List.copyOf(entries);
    }
}
