package dev.millwright.resource;

/** Where a kind's objects live: once for the whole platform, or inside one tenant. */
public enum Scope {
    PLATFORM,
    TENANT
}
