package dev.millwright.resource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The object is well-formed but breaks its kind's rules; {@link #details()} names every offending field. */
public final class InvalidResourceException extends MillwrightException {
    public InvalidResourceException(String subject, Map<String, List<String>> errors) {
        super(422, "Invalid", subject + " is invalid: " + summary(errors), errors, null);
    }

    public static InvalidResourceException of(String subject, String field, String reason) {
        return new InvalidResourceException(subject, Map.of(field, List.of(reason)));
    }

    private static String summary(Map<String, List<String>> errors) {
        return errors.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + String.join("; ", e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
