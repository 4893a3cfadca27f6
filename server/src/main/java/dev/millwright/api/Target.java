package dev.millwright.api;

import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.ResourceKey;
import dev.millwright.tenancy.Verb;

/**
 * What a request is about, recorded on the request before it is authorized, so that a denial or a failure
 * can be audited with it.
 *
 * @param tenant the tenant in the path or the body; empty for platform-scoped kinds
 * @param name null for list, watch and create-before-parse
 */
record Target(Verb verb, KindDefinition kind, String tenant, String name) {
    static final String ATTRIBUTE = "millwright.target";

    ResourceKey key() {
        return new ResourceKey(kind.kind(), tenant, name);
    }
}
