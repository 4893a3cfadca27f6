package dev.millwright.infra;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one validation check measured on a machine (a DCGM diagnostic, an NVLink or InfiniBand link check, an NCCL
 * all-reduce test, a stress run, an inspection). The adapter reports; it does not judge: pass criteria are the
 * caller's (the lifecycle engine's gates).
 *
 * @param check the check's name ("dcgm-r3", "nccl", "inspect")
 * @param metrics figures by name ("busBwGBps", "linksUp", "maxTemperatureC"), sorted
 * @param findings faults the check itself found ("GPU 3: DCGM memory test failed: ..."), in the order found
 */
public record CheckReport(String check, SortedMap<String, Double> metrics, List<String> findings) {
    public CheckReport {
        metrics = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
        findings = List.copyOf(findings);
    }
}
