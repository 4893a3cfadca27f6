package dev.millwright.tenancy;

import java.util.Locale;

/** What a request does to a resource; authorization and audit are decided per verb. */
public enum Verb {
    GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE;

    public boolean isRead() {
        return this == GET || this == LIST || this == WATCH;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
