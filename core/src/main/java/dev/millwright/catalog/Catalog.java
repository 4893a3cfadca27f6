package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An immutable set of packs, found by name, each name's versions newest first. */
public final class Catalog {
    private final Map<String, List<Pack>> byName;
    private final int size;

    private Catalog(Map<String, List<Pack>> byName, int size) {
        this.byName = byName;
        this.size = size;
    }

    /** @throws IllegalArgumentException when two packs share a name and version */
    public static Catalog of(Collection<Pack> packs) {
        Map<String, List<Pack>> byName = new TreeMap<>();
        for (Pack p : packs) byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        Map<String, List<Pack>> sorted = new TreeMap<>();
        byName.forEach((name, list) -> {
            list.sort(Comparator.comparing(Pack::version).reversed());
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).version().compareTo(list.get(i - 1).version()) == 0) {
                    throw new IllegalArgumentException("pack " + list.get(i).id() + " is in the catalog twice");
                }
            }
            sorted.put(name, List.copyOf(list));
        });
        return new Catalog(java.util.Collections.unmodifiableMap(sorted), packs.size());
    }

    /** Every version of a pack, newest first; empty when the catalog has none. */
    public List<Pack> versions(String name) {
        return byName.getOrDefault(name, List.of());
    }

    public Optional<Pack> find(String name, Version version) {
        return versions(name).stream().filter(p -> p.version().compareTo(version) == 0).findFirst();
    }

    public Optional<Pack> find(String name, String version) {
        return find(name, Version.of(version));
    }

    public Collection<String> names() {
        return byName.keySet();
    }

    public int size() {
        return size;
    }
}
