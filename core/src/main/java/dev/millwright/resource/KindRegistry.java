package dev.millwright.resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The kinds this server knows, found by kind name or plural, in any letter case. Immutable once built. */
public final class KindRegistry {
    private final Map<String, KindDefinition> byKind;
    private final Map<String, KindDefinition> byAlias;

    private KindRegistry(List<KindDefinition> kinds) {
        Map<String, KindDefinition> kindMap = new LinkedHashMap<>();
        Map<String, KindDefinition> aliases = new LinkedHashMap<>();
        for (KindDefinition k : kinds) {
            if (kindMap.put(k.kind(), k) != null) throw new IllegalArgumentException("kind " + k.kind() + " registered twice");
            for (String alias : List.of(k.kind(), k.plural())) {
                KindDefinition previous = aliases.put(alias.toLowerCase(Locale.ROOT), k);
                if (previous != null && previous != k) {
                    throw new IllegalArgumentException("name " + alias + " is used by " + previous.kind() + " and " + k.kind());
                }
            }
        }
        this.byKind = Map.copyOf(kindMap);
        this.byAlias = Map.copyOf(aliases);
        this.ordered = List.copyOf(kinds);
    }

    private final List<KindDefinition> ordered;

    public static KindRegistry of(Collection<KindDefinition> kinds) {
        return new KindRegistry(new ArrayList<>(kinds));
    }

    /** The kind called {@code name} (kind or plural, any case). */
    public Optional<KindDefinition> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byAlias.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Like {@link #find} but an unknown name is the caller's error. */
    public KindDefinition require(String name) {
        return find(name).orElseThrow(() -> new NotFoundException(
                "unknown kind \"" + name + "\"; known kinds: " + String.join(", ", byKind.keySet().stream().sorted().toList())));
    }

    public KindDefinition byKind(String kind) {
        KindDefinition k = byKind.get(kind);
        if (k == null) throw new IllegalArgumentException("kind " + kind + " is not registered");
        return k;
    }

    /** All kinds in registration order. */
    public List<KindDefinition> all() {
        return ordered;
    }
}
