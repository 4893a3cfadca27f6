package dev.millwright.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The layers of a stack, bottom to top: a template orders its packs by these. */
public enum Layer {
    OS, KERNEL, GPU_DRIVER, CUDA, CONTAINER_RUNTIME, KUBERNETES, CNI, CSI, GPU_OPERATOR, SERVING, TRAINING, MLOPS,
    OBSERVABILITY, SECURITY;

    /**
     * Whether the layer's software does cryptography (TLS, disk or network encryption, image signatures), so that
     * FIPS 140-3 asks for a validated build of it. The GPU driver, CUDA, the GPU Operator's device plugins and the
     * training frameworks compute; they encrypt nothing of their own.
     */
    public boolean cryptographic() {
        return switch (this) {
            case GPU_DRIVER, CUDA, GPU_OPERATOR, TRAINING -> false;
            default -> true;
        };
    }

    /** "gpu-driver", as specs write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Layer> fromWire(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName().equals(name)).findFirst();
    }
}
