package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Ranges of minor releases as vendor tables write them ("1.22-1.29": every 1.22.x to every 1.29.x), turned
 * into {@link VersionRange} text ({@code >=1.22.0 <1.30.0}) and merged: a GPU Operator release lists one range
 * per OS, and the catalog keeps their union, so "1.32-1.36" on one OS and "1.33-1.36" on the others become
 * {@code >=1.32.0 <1.37.0}; ranges that neither overlap nor touch stay apart, joined by {@code ||}.
 */
final class MinorRanges {
    private static final Pattern RANGE = Pattern.compile("^\\s*(\\d+)\\.(\\d+)\\s*-\\s*(\\d+)\\.(\\d+)\\s*$");

    /** Releases from {@code from} to {@code to}, both inclusive, each a (major, minor) pair. */
    record Span(int fromMajor, int fromMinor, int toMajor, int toMinor) {
        String rangeText() {
            return ">=" + fromMajor + "." + fromMinor + ".0 <" + toMajor + "." + (toMinor + 1) + ".0";
        }

        String text() {
            return fromMajor + "." + fromMinor + "-" + toMajor + "." + toMinor;
        }

        private long first() {
            return (long) fromMajor << 32 | fromMinor;
        }

        private long last() {
            return (long) toMajor << 32 | toMinor;
        }
    }

    private MinorRanges() {
    }

    /** "1.22-1.29" as a span; empty when the text is not two minor versions joined by a dash, or runs backwards. */
    static Optional<Span> parse(String text) {
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) return Optional.empty();
        Span s = new Span(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        return s.first() <= s.last() ? Optional.of(s) : Optional.empty();
    }

    /** The union, smallest first; spans that overlap or are adjacent within one major merge. */
    static List<Span> union(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(Span::first).thenComparingLong(Span::last));
        List<Span> merged = new ArrayList<>();
        for (Span s : sorted) {
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            boolean touches = last != null && (s.first() <= last.last()
                    || (s.fromMajor() == last.toMajor() && s.fromMinor() == last.toMinor() + 1));
            if (!touches) {
                merged.add(s);
            } else if (s.last() > last.last()) {
                merged.set(merged.size() - 1, new Span(last.fromMajor(), last.fromMinor(), s.toMajor(), s.toMinor()));
            }
        }
        return merged;
    }

    /** The range text of a union: {@code >=1.22.0 <1.30.0 || >=1.32.0 <1.36.0}. */
    static String rangeText(List<Span> union) {
        return union.stream().map(Span::rangeText).collect(Collectors.joining(" || "));
    }

    /** "1.22-1.29 and 1.32-1.35", for reasons. */
    static String text(List<Span> union) {
        return union.stream().map(Span::text).collect(Collectors.joining(" and "));
    }
}
