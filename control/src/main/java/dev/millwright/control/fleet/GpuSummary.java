package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** "8x H100 80GB" or "192x H100 80GB, 64x H200 141GB": the GPU column of fleet tables. */
public final class GpuSummary {
    private final Map<String, Integer> byModel = new TreeMap<>();

    public void add(String model, int count) {
        if (count > 0) byModel.merge(shortName(model), count, Integer::sum);
    }

    /** Adds a machine's observed GPUs (status.gpusByModel). */
    public void addMachine(JsonNode status) {
        status.path("gpusByModel").fields().forEachRemaining(e -> add(e.getKey(), e.getValue().asInt()));
    }

    public int total() {
        return byModel.values().stream().mapToInt(Integer::intValue).sum();
    }

    public Map<String, Integer> byModel() {
        return byModel;
    }

    @Override
    public String toString() {
        if (byModel.isEmpty()) return "none";
        return byModel.entrySet().stream().map(e -> e.getValue() + "x " + e.getKey()).collect(Collectors.joining(", "));
    }

    /** "NVIDIA H100 80GB HBM3" -> "H100 80GB": what people call it. */
    static String shortName(String model) {
        return dev.millwright.fleet.GpuModels.shortName(model);
    }
}
