package dev.millwright.provision;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The hardware a machine's BMC reports: each GPU's model and memory, and the firmware versions by component. */
public record HardwareFacts(List<String> gpuModels, List<Integer> gpuMemoryGiB, Map<String, String> firmware) {
    public HardwareFacts {
        gpuModels = List.copyOf(gpuModels);
        gpuMemoryGiB = List.copyOf(gpuMemoryGiB);
        firmware = java.util.Collections.unmodifiableMap(new TreeMap<>(firmware));
    }
}
