package dev.millwright.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The layers of a stack, bottom to top: a template orders its packs by these. */
public enum Layer {
    OS, KERNEL, GPU_DRIVER, CUDA, CONTAINER_RUNTIME, KUBERNETES, CNI, CSI, GPU_OPERATOR, SERVING, TRAINING, MLOPS,
    OBSERVABILITY, SECURITY;

    /** "gpu-driver", as specs write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Layer> fromWire(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName().equals(name)).findFirst();
    }
}
