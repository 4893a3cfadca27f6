package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An ordered choice of packs, bottom layer first, as a template lists them. The value accepts a name chosen
 * twice so that {@link CompatibilitySolver#validate} can report it as a conflict, in words, instead of refusing it.
 */
public record Stack(List<Pack> packs) {
    public Stack {
        packs = List.copyOf(packs);
    }

    public static Stack of(Pack... packs) {
        return new Stack(List.of(packs));
    }

    /** The first pack of that name; empty when the stack has none. */
    public Optional<Pack> get(String name) {
        return packs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The pack names in stack order, each once. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Pack p : packs) {
            if (!names.contains(p.name())) names.add(p.name());
        }
        return List.copyOf(names);
    }

    /** "os 24.04, gpu-driver 570.86.15, cuda 12.8": how messages list a stack. */
    @Override
    public String toString() {
        return packs.stream().map(Pack::id).collect(Collectors.joining(", "));
    }
}
