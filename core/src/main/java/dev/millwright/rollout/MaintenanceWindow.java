package dev.millwright.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A weekly slot in which an environment's nodes may be taken out for an upgrade: on some days, from a local
 * time, for a length, in a time zone, optionally only between two dates (a change freeze ends, a season starts).
 * A rollout starts new nodes only while one of its environment's windows is open; nodes already out finish.
 *
 * @param from first day an occurrence may start, or null
 * @param until last day an occurrence may start, or null
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, Duration length, ZoneId zone, LocalDate from, LocalDate until) {
    public MaintenanceWindow {
        days = days.isEmpty() ? Set.of() : EnumSet.copyOf(days);
    }

    /** Whether {@code t} falls in an occurrence. */
    public boolean isOpen(Instant t) {
        ZonedDateTime at = t.atZone(zone);
        long back = length.toDays() + 1;
        for (long i = 0; i <= back; i++) {
            LocalDate day = at.toLocalDate().minusDays(i);
            if (!occursOn(day)) continue;
            ZonedDateTime opens = day.atTime(start).atZone(zone);
            if (!t.isBefore(opens.toInstant()) && t.isBefore(opens.toInstant().plus(length))) return true;
        }
        return false;
    }

    /** {@code t} when open, else the next moment an occurrence opens; empty when none ever will. */
    public Optional<Instant> nextOpening(Instant t) {
        if (isOpen(t)) return Optional.of(t);
        LocalDate day = t.atZone(zone).toLocalDate();
        if (from != null && from.isAfter(day)) day = from;
        for (int i = 0; i < 8; i++, day = day.plusDays(1)) {
            if (until != null && day.isAfter(until)) return Optional.empty();
            if (!occursOn(day)) continue;
            Instant opens = day.atTime(start).atZone(zone).toInstant();
            if (opens.isAfter(t)) return Optional.of(opens);
        }
        return Optional.empty();
    }

    private boolean occursOn(LocalDate day) {
        return days.contains(day.getDayOfWeek()) && (from == null || !day.isBefore(from)) && (until == null || !day.isAfter(until));
    }

    /** Whether any window is open at {@code t}; no windows at all means always. */
    public static boolean anyOpen(List<MaintenanceWindow> windows, Instant t) {
        return windows.isEmpty() || windows.stream().anyMatch(w -> w.isOpen(t));
    }

    /** The earliest opening of any window from {@code t}; {@code t} when there are none. */
    public static Optional<Instant> nextOpening(List<MaintenanceWindow> windows, Instant t) {
        if (windows.isEmpty()) return Optional.of(t);
        return windows.stream().map(w -> w.nextOpening(t)).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /**
     * The windows of an environment's {@code spec.maintenanceWindows}; a window that cannot be read, or that
     * never opens from {@code now} on, is an error under its field path.
     */
    public static List<MaintenanceWindow> parse(JsonNode windows, String path, Instant now, Map<String, List<String>> errors) {
        List<MaintenanceWindow> out = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            JsonNode w = windows.get(i);
            String at = path + "[" + i + "]";
            int before = errors.size();
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (JsonNode d : w.path("days")) {
                Optional<DayOfWeek> day = day(d.asText());
                if (day.isEmpty()) add(errors, at + ".days", "\"" + d.asText() + "\" is not a day (mon, tue, ... sun)");
                else days.add(day.get());
            }
            if (days.isEmpty()) add(errors, at + ".days", "name at least one day: a window on no day never opens");
            LocalTime start = null;
            try {
                start = LocalTime.parse(w.path("start").asText(""));
            } catch (DateTimeParseException e) {
                add(errors, at + ".start", "must be a local time as HH:MM, e.g. 22:00");
            }
            long minutes = w.path("durationMinutes").asLong(0);
            if (minutes < 1) add(errors, at + ".durationMinutes", "must be at least 1: a window of no length never opens");
            ZoneId zone = null;
            try {
                zone = ZoneId.of(w.path("timeZone").asText("UTC"));
            } catch (DateTimeException e) {
                add(errors, at + ".timeZone", "\"" + w.path("timeZone").asText() + "\" is not a time zone (e.g. Europe/Berlin, UTC)");
            }
            LocalDate from = date(w, "from", at, errors);
            LocalDate until = date(w, "until", at, errors);
            if (errors.size() > before) continue;
            if (from != null && until != null && until.isBefore(from)) {
                add(errors, at + ".until", "is before from (" + from + "): the window never opens");
                continue;
            }
            MaintenanceWindow window = new MaintenanceWindow(days, start, Duration.ofMinutes(minutes), zone, from, until);
            if (window.nextOpening(now).isEmpty()) {
                add(errors, at, "never opens from now on: no " + String.join("/", days.stream().map(d -> d.name().substring(0, 3).toLowerCase(Locale.ROOT)).toList())
                        + (until == null ? "" : " up to " + until) + (from == null ? "" : " from " + from));
                continue;
            }
            out.add(window);
        }
        return out;
    }

    private static LocalDate date(JsonNode w, String field, String at, Map<String, List<String>> errors) {
        if (!w.hasNonNull(field)) return null;
        try {
            return LocalDate.parse(w.get(field).asText());
        } catch (DateTimeParseException e) {
            add(errors, at + "." + field, "must be a date as YYYY-MM-DD");
            return null;
        }
    }

    private static Optional<DayOfWeek> day(String s) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(s) || d.name().equalsIgnoreCase(s)) return Optional.of(d);
        }
        return Optional.empty();
    }

    private static void add(Map<String, List<String>> errors, String path, String reason) {
        errors.computeIfAbsent(path, k -> new ArrayList<>()).add(reason);
    }

    /** For callers that only want to know whether windows parse: errors keyed by field. */
    public static Map<String, List<String>> check(JsonNode windows, String path, Instant now) {
        Map<String, List<String>> errors = new TreeMap<>();
        parse(windows, path, now, errors);
        return errors;
    }
}
