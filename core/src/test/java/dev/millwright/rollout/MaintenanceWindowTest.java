package dev.millwright.rollout;

import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.Json;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MaintenanceWindowTest {
    // 2026-11-28 is a Saturday, 2026-11-30 a Monday, 2026-07-06 a Monday in summer time.
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static MaintenanceWindow window(DayOfWeek day, String start, int minutes, ZoneId zone) {
        return window(day, start, minutes, zone, null, null);
    }

    private static MaintenanceWindow window(DayOfWeek day, String start, int minutes, ZoneId zone, String from, String until) {
        return new MaintenanceWindow(Set.of(day), LocalTime.parse(start), Duration.ofMinutes(minutes), zone,
                from == null ? null : LocalDate.parse(from), until == null ? null : LocalDate.parse(until));
    }

    private static Instant t(String utc) {
        return Instant.parse(utc);
    }

    /** Saturday 22:00 UTC for six hours: into Sunday 04:00. */
    private static final MaintenanceWindow SATURDAY_NIGHT = window(SATURDAY, "22:00", 360, UTC);

    @Test
    void aWindowStartingSaturdayNightStaysOpenPastMidnightUntilItsLengthIsUsed() {
        assertThat(SATURDAY_NIGHT.isOpen(t("2026-11-28T21:59:00Z"))).as("a minute before it opens").isFalse();
        assertThat(SATURDAY_NIGHT.isOpen(t("2026-11-28T22:00:00Z"))).as("the moment it opens").isTrue();
        assertThat(SATURDAY_NIGHT.isOpen(t("2026-11-29T03:00:00Z"))).as("Sunday 03:00, after midnight").isTrue();
        assertThat(SATURDAY_NIGHT.isOpen(t("2026-11-29T03:59:00Z"))).isTrue();
        assertThat(SATURDAY_NIGHT.isOpen(t("2026-11-29T04:00:00Z"))).as("six hours on it is closed").isFalse();
        assertThat(SATURDAY_NIGHT.isOpen(t("2026-11-29T05:00:00Z"))).as("Sunday 05:00").isFalse();
        assertThat(SATURDAY_NIGHT.isOpen(t("2026-11-27T23:00:00Z"))).as("Friday night is not Saturday night").isFalse();
        assertThat(SATURDAY_NIGHT.isOpen(t("2026-12-05T23:30:00Z"))).as("the next Saturday").isTrue();
    }

    @Test
    void theSameLocalTimeOpensAtDifferentInstantsInBerlinAndInUtc() {
        MaintenanceWindow berlin = window(MONDAY, "02:00", 60, BERLIN);
        MaintenanceWindow utc = window(MONDAY, "02:00", 60, UTC);

        // November: Berlin is UTC+1, so its 02:00 is 01:00 UTC
        assertThat(berlin.isOpen(t("2026-11-30T01:30:00Z"))).isTrue();
        assertThat(utc.isOpen(t("2026-11-30T01:30:00Z"))).isFalse();
        assertThat(berlin.isOpen(t("2026-11-30T02:30:00Z"))).isFalse();
        assertThat(utc.isOpen(t("2026-11-30T02:30:00Z"))).isTrue();
        // July: summer time, UTC+2, so its 02:00 is 00:00 UTC
        assertThat(berlin.isOpen(t("2026-07-06T00:30:00Z"))).isTrue();
        assertThat(berlin.isOpen(t("2026-07-06T01:30:00Z"))).isFalse();
    }

    @Test
    void nextOpeningIsNowWhileOpenElseTheNextOccurrenceInTheWindowsZone() {
        assertThat(SATURDAY_NIGHT.nextOpening(t("2026-11-29T03:00:00Z"))).contains(t("2026-11-29T03:00:00Z"));
        assertThat(SATURDAY_NIGHT.nextOpening(t("2026-11-29T05:00:00Z"))).contains(t("2026-12-05T22:00:00Z"));
        assertThat(SATURDAY_NIGHT.nextOpening(t("2026-11-28T10:00:00Z"))).as("later the same day").contains(t("2026-11-28T22:00:00Z"));
        assertThat(window(MONDAY, "02:00", 60, BERLIN).nextOpening(t("2026-11-29T12:00:00Z"))).contains(t("2026-11-30T01:00:00Z"));
    }

    @Test
    void fromKeepsItClosedBeforeItsFirstDay() {
        MaintenanceWindow afterFreeze = window(SATURDAY, "22:00", 360, UTC, "2026-12-05", null);

        assertThat(afterFreeze.isOpen(t("2026-11-28T23:00:00Z"))).isFalse();
        assertThat(afterFreeze.isOpen(t("2026-12-05T23:00:00Z"))).isTrue();
        assertThat(afterFreeze.nextOpening(t("2026-11-28T12:00:00Z"))).contains(t("2026-12-05T22:00:00Z"));
    }

    @Test
    void untilIsTheLastDayAnOccurrenceMayStartAndThatOccurrenceRunsItsFullLength() {
        MaintenanceWindow beforeFreeze = window(SATURDAY, "22:00", 360, UTC, null, "2026-12-05");

        assertThat(beforeFreeze.isOpen(t("2026-12-05T23:00:00Z"))).isTrue();
        assertThat(beforeFreeze.isOpen(t("2026-12-06T03:00:00Z"))).as("past midnight after the last day").isTrue();
        assertThat(beforeFreeze.isOpen(t("2026-12-12T23:00:00Z"))).as("the Saturday after the last day").isFalse();
        assertThat(beforeFreeze.nextOpening(t("2026-12-06T05:00:00Z"))).isEmpty();
    }

    @Test
    void anyOpenWithNoWindowsIsAlwaysOpen() {
        for (String at : List.of("2026-11-28T12:00:00Z", "2026-11-29T05:00:00Z", "2031-02-03T04:05:06Z")) {
            assertThat(MaintenanceWindow.anyOpen(List.of(), t(at))).as(at).isTrue();
            assertThat(MaintenanceWindow.nextOpening(List.of(), t(at))).contains(t(at));
        }
    }

    @Test
    void anyOpenIsOpenWhenOneOfSeveralWindowsIsAndNextOpeningIsTheEarliest() {
        List<MaintenanceWindow> windows = List.of(SATURDAY_NIGHT, window(MONDAY, "02:00", 60, BERLIN));

        assertThat(MaintenanceWindow.anyOpen(windows, t("2026-11-29T03:00:00Z"))).isTrue();
        assertThat(MaintenanceWindow.anyOpen(windows, t("2026-11-30T01:30:00Z"))).isTrue();
        assertThat(MaintenanceWindow.anyOpen(windows, t("2026-11-30T03:00:00Z"))).isFalse();
        assertThat(MaintenanceWindow.nextOpening(windows, t("2026-11-29T05:00:00Z"))).contains(t("2026-11-30T01:00:00Z"));
    }

    @Test
    void parseReadsAWindowFromAnEnvironmentSpec() {
        Map<String, List<String>> errors = new TreeMap<>();
        List<MaintenanceWindow> windows = MaintenanceWindow.parse(Json.tree("""
                [{"days":["sat","Sunday"],"start":"22:00","durationMinutes":360,"timeZone":"Europe/Berlin","until":"2027-06-30"}]"""),
                "spec.maintenanceWindows", NOW, errors);

        assertThat(errors).isEmpty();
        assertThat(windows).containsExactly(new MaintenanceWindow(Set.of(SATURDAY, SUNDAY), LocalTime.of(22, 0), Duration.ofHours(6), BERLIN,
                null, LocalDate.of(2027, 6, 30)));
    }

    @Test
    void parseDefaultsTheTimeZoneToUtc() {
        List<MaintenanceWindow> windows = MaintenanceWindow.parse(Json.tree("""
                [{"days":["mon"],"start":"02:00","durationMinutes":60}]"""), "spec.maintenanceWindows", NOW, new TreeMap<>());

        assertThat(windows).singleElement().extracting(MaintenanceWindow::zone).isEqualTo(UTC);
    }

    static Stream<Arguments> badWindows() {
        return Stream.of(
                Arguments.of("no days", """
                        {"days":[],"start":"22:00","durationMinutes":60}""", "spec.maintenanceWindows[0].days", "at least one day"),
                Arguments.of("no days field", """
                        {"start":"22:00","durationMinutes":60}""", "spec.maintenanceWindows[0].days", "at least one day"),
                Arguments.of("a bad day name", """
                        {"days":["caturday"],"start":"22:00","durationMinutes":60}""", "spec.maintenanceWindows[0].days",
                        "\"caturday\" is not a day"),
                Arguments.of("a bad start", """
                        {"days":["sat"],"start":"25:00","durationMinutes":60}""", "spec.maintenanceWindows[0].start", "HH:MM"),
                Arguments.of("no start", """
                        {"days":["sat"],"durationMinutes":60}""", "spec.maintenanceWindows[0].start", "HH:MM"),
                Arguments.of("a length of 0", """
                        {"days":["sat"],"start":"22:00","durationMinutes":0}""", "spec.maintenanceWindows[0].durationMinutes", "at least 1"),
                Arguments.of("a bad time zone", """
                        {"days":["sat"],"start":"22:00","durationMinutes":60,"timeZone":"Mars/Olympus"}""",
                        "spec.maintenanceWindows[0].timeZone", "\"Mars/Olympus\" is not a time zone"),
                Arguments.of("a bad date", """
                        {"days":["sat"],"start":"22:00","durationMinutes":60,"from":"next week"}""",
                        "spec.maintenanceWindows[0].from", "YYYY-MM-DD"),
                Arguments.of("until before from", """
                        {"days":["sat"],"start":"22:00","durationMinutes":60,"from":"2027-03-01","until":"2027-02-01"}""",
                        "spec.maintenanceWindows[0].until", "is before from"),
                Arguments.of("until already past", """
                        {"days":["sat"],"start":"22:00","durationMinutes":60,"until":"2026-01-31"}""",
                        "spec.maintenanceWindows[0]", "never opens"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWindows")
    void aWindowThatCannotWorkIsAnErrorUnderItsFieldAndIsLeftOut(String what, String window, String field, String reason) {
        Map<String, List<String>> errors = new TreeMap<>();
        List<MaintenanceWindow> windows = MaintenanceWindow.parse(Json.tree("[" + window + "]"), "spec.maintenanceWindows", NOW, errors);

        assertThat(errors).containsOnlyKeys(field);
        assertThat(errors.get(field)).anySatisfy(message -> assertThat(message).contains(reason));
        assertThat(windows).isEmpty();
        assertThat(MaintenanceWindow.check(Json.tree("[" + window + "]"), "spec.maintenanceWindows", NOW)).isEqualTo(errors);
    }

    @Test
    void aWindowThatOnlyEndedRelativeToNowNeverOpensButWouldHaveBeenFineEarlier() {
        String window = """
                [{"days":["sat"],"start":"22:00","durationMinutes":60,"until":"2026-11-28"}]""";

        assertThat(MaintenanceWindow.check(Json.tree(window), "spec.maintenanceWindows", Instant.parse("2026-11-28T12:00:00Z"))).isEmpty();
        assertThat(MaintenanceWindow.check(Json.tree(window), "spec.maintenanceWindows", Instant.parse("2026-11-29T12:00:00Z")))
                .containsOnlyKeys("spec.maintenanceWindows[0]")
                .hasEntrySatisfying("spec.maintenanceWindows[0]", reasons -> assertThat(reasons).singleElement().asString()
                        .contains("never opens").contains("sat").contains("2026-11-28"));
    }

    @Test
    void anErrorInOneWindowNamesItsIndexAndKeepsTheOthers() {
        Map<String, List<String>> errors = new TreeMap<>();
        List<MaintenanceWindow> windows = MaintenanceWindow.parse(Json.tree("""
                [{"days":["sat"],"start":"22:00","durationMinutes":360},
                 {"days":["sun"],"start":"noon","durationMinutes":60}]"""), "spec.maintenanceWindows", NOW, errors);

        assertThat(errors).containsOnlyKeys("spec.maintenanceWindows[1].start");
        assertThat(windows).containsExactly(SATURDAY_NIGHT);
    }
}
