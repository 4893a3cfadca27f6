package dev.millwright.resource;

import java.util.regex.Pattern;

/** The naming rules Kubernetes users already know: DNS-1123 labels for names, qualified names for label keys. */
public final class Names {
    /** Longest object name: a DNS-1123 label. */
    public static final int MAX_NAME_LENGTH = 63;

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private Names() {
    }

    /** Why {@code name} is not a DNS-1123 label, or null when it is one. */
    public static String dns1123LabelError(String name) {
        if (name == null || name.isEmpty()) return "must not be empty";
        if (name.length() > MAX_NAME_LENGTH) {
            return "must be at most " + MAX_NAME_LENGTH + " characters (is " + name.length() + ")";
        }
        if (!DNS1123_LABEL.matcher(name).matches()) {
            return "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";
        }
        return null;
    }

    public static boolean isLabelKey(String key) {
        if (key == null || key.isEmpty()) return false;
        int slash = key.indexOf('/');
        String name = key;
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) return false;
        }
        return name.length() <= 63 && QUALIFIED_NAME_PART.matcher(name).matches();
    }

    public static boolean isLabelValue(String value) {
        return value != null && (value.isEmpty()
                || (value.length() <= 63 && QUALIFIED_NAME_PART.matcher(value).matches()));
    }
}
