package dev.millwright.vulns;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CVSS v3.0 and v3.1 base scores from their vectors ({@code CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H}), with
 * the specification's formulas and its round-up, and the qualitative rating. Other vectors (CVSS v4, v2) are
 * not scored: their severity is reported as unknown rather than guessed.
 */
public final class Cvss {
    private Cvss() {
    }

    public enum Rating { NONE, LOW, MEDIUM, HIGH, CRITICAL }

    /** The base score of a v3 vector, or empty when the text is not one. */
    public static Optional<Double> baseScore(String vector) {
        if (vector == null || !vector.matches("CVSS:3\\.[01]/.*")) return Optional.empty();
        Map<String, String> m = new HashMap<>();
        for (String part : vector.substring(vector.indexOf('/') + 1).split("/")) {
            String[] kv = part.split(":", 2);
            if (kv.length == 2) m.put(kv[0], kv[1]);
        }
        for (String required : List.of("AV", "AC", "PR", "UI", "S", "C", "I", "A")) if (!m.containsKey(required)) return Optional.empty();
        boolean changed = m.get("S").equals("C");
        Double av = pick(m.get("AV"), "N", 0.85, "A", 0.62, "L", 0.55, "P", 0.2);
        Double ac = pick(m.get("AC"), "L", 0.77, "H", 0.44);
        Double pr = changed ? pick(m.get("PR"), "N", 0.85, "L", 0.68, "H", 0.5) : pick(m.get("PR"), "N", 0.85, "L", 0.62, "H", 0.27);
        Double ui = pick(m.get("UI"), "N", 0.85, "R", 0.62);
        Double c = pick(m.get("C"), "H", 0.56, "L", 0.22, "N", 0.0);
        Double i = pick(m.get("I"), "H", 0.56, "L", 0.22, "N", 0.0);
        Double a = pick(m.get("A"), "H", 0.56, "L", 0.22, "N", 0.0);
        if (av == null || ac == null || pr == null || ui == null || c == null || i == null || a == null
                || !(m.get("S").equals("U") || changed)) {
            return Optional.empty();
        }
        double iss = 1 - (1 - c) * (1 - i) * (1 - a);
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) return Optional.of(0.0);
        return Optional.of(roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10)));
    }

    public static Rating rating(double score) {
        if (score == 0) return Rating.NONE;
        if (score < 4) return Rating.LOW;
        if (score < 7) return Rating.MEDIUM;
        if (score < 9) return Rating.HIGH;
        return Rating.CRITICAL;
    }

    /** The highest v3 base score among an advisory's severity entries, or empty when it has none. */
    public static Optional<Double> highest(Advisory advisory) {
        return advisory.severity().stream().map(s -> baseScore(s.score())).flatMap(Optional::stream).max(Double::compare);
    }

    /** CVSS v3.1's round-up: the smallest number with one decimal at or above the input, free of float noise. */
    static double roundUp(double x) {
        long scaled = Math.round(x * 100000);
        return scaled % 10000 == 0 ? scaled / 100000.0 : (Math.floor(scaled / 10000.0) + 1) / 10.0;
    }

    private static Double pick(String value, Object... pairs) {
        for (int k = 0; k < pairs.length; k += 2) if (pairs[k].equals(value)) return (Double) pairs[k + 1];
        return null;
    }
}
