package dev.millwright.resource;

/** The object does not exist, or the caller may not learn that it exists. */
public final class NotFoundException extends MillwrightException {
    public NotFoundException(String message) {
        super(404, "NotFound", message);
    }

    public static NotFoundException of(ResourceKey key) {
        return new NotFoundException(key.describe() + " not found");
    }
}
