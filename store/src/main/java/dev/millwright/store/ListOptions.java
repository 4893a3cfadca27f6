package dev.millwright.store;

import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.FieldSelector;
import dev.millwright.resource.LabelSelector;
import java.util.Objects;
import java.util.Set;

/**
 * What to list: one kind, optionally only some tenants, objects matching a label selector, a page at a time.
 *
 * @param tenants null for every tenant; otherwise only these (an empty set lists nothing)
 * @param limit the page size, 1 to {@link #MAX_LIMIT}
 * @param continueToken the token of the previous page, or null for the first
 */
public record ListOptions(String kind, Set<String> tenants, LabelSelector selector, FieldSelector fields, int limit,
                          String continueToken) {
    /** Largest page a client may ask for. */
    public static final int MAX_LIMIT = 5000;
    /** The page size when a client does not say. */
    public static final int DEFAULT_LIMIT = 500;

    public ListOptions {
        Objects.requireNonNull(kind, "kind");
        tenants = tenants == null ? null : Set.copyOf(tenants);
        selector = selector == null ? LabelSelector.EVERYTHING : selector;
        fields = fields == null ? FieldSelector.EVERYTHING : fields;
        if (limit < 1 || limit > MAX_LIMIT) throw new BadRequestException("limit", "must be between 1 and " + MAX_LIMIT);
    }

    /** Without field selector, as most callers list. */
    public ListOptions(String kind, Set<String> tenants, LabelSelector selector, int limit, String continueToken) {
        this(kind, tenants, selector, null, limit, continueToken);
    }

    public ListOptions withLimit(int limit) {
        return new ListOptions(kind, tenants, selector, fields, limit, continueToken);
    }

    public static ListOptions all(String kind) {
        return new ListOptions(kind, null, LabelSelector.EVERYTHING, null, MAX_LIMIT, null);
    }
}
