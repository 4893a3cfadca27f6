package dev.millwright.provision;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a check measured, as the port reported it: figures by name and the faults the check itself found. */
public record CheckReading(Map<String, Double> metrics, List<String> findings) {
    public CheckReading {
        metrics = java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        findings = List.copyOf(findings);
    }

    double metric(String name, double otherwise) {
        return metrics.getOrDefault(name, otherwise);
    }
}
