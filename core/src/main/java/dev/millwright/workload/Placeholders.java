package dev.millwright.workload;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${name}} placeholders of an AppTemplate's images, commands, arguments and environment. Only
 * substitution, no expressions: what a template can say stays obvious to the platform team reviewing it, and
 * every name is checked when the template is written, not when a workload renders.
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_.]*)}");

    /** The names every template may use besides its own parameters. */
    public static final Set<String> BUILT_IN = Set.of("workload", "tenant", "environment", "replicas", "gpus", "framework.version");

    private Placeholders() {
    }

    /** The names {@code text} refers to, in order of first use. */
    public static Set<String> names(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** {@code text} with every placeholder replaced by its value; a name without a value is an error. */
    public static String substitute(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in " + text);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static List<String> substitute(List<String> texts, Map<String, String> values) {
        List<String> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(substitute(t, values));
        return out;
    }
}
