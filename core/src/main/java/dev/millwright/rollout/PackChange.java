package dev.millwright.rollout;

import dev.millwright.catalog.Layer;
import dev.millwright.catalog.Version;
import java.util.Objects;

/**
 * One pack whose version differs between the running template and the target: upgraded, added (no
 * {@code from}) or removed (no {@code to}). Packs whose version stays are never a change, so a plan never
 * touches them.
 */
public record PackChange(Layer layer, String pack, Version from, Version to) {
    public enum Kind { UPGRADE, ADD, REMOVE }

    public PackChange {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(pack, "pack");
        if (from == null && to == null) throw new IllegalArgumentException("a change of " + pack + " needs a from or a to version");
    }

    public Kind kind() {
        return from == null ? Kind.ADD : to == null ? Kind.REMOVE : Kind.UPGRADE;
    }

    /** "gpu-driver 570.86.15 -> 580.95.05", "add triton-inference-server 25.01", "remove kserve 0.14.1". */
    @Override
    public String toString() {
        return switch (kind()) {
            case ADD -> "add " + pack + " " + to;
            case REMOVE -> "remove " + pack + " " + from;
            case UPGRADE -> pack + " " + from + " -> " + to;
        };
    }
}
