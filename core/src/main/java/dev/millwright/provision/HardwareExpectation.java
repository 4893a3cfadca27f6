package dev.millwright.provision;

import dev.millwright.fleet.GpuModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the machines of a batch were ordered with, judged against what inspection finds: the inventory gate (GPU
 * count, model and memory; ECC on and without uncorrectable errors) and the firmware baseline.
 *
 * @param gpuModel the GPU model, full or short ("H100 80GB"); null for any
 * @param gpuCount GPUs per machine; -1 for any
 * @param gpuMemoryGiB the least memory of each GPU; 0 for any
 * @param firmware component to exact version; a component may end in {@code *} to cover several ("GPU* VBIOS" is
 *                 not supported, but "GPU*" is)
 */
public record HardwareExpectation(String gpuModel, int gpuCount, int gpuMemoryGiB, Map<String, String> firmware) {
    public static final HardwareExpectation ANY = new HardwareExpectation(null, -1, 0, Map.of());

    public HardwareExpectation {
        firmware = java.util.Collections.unmodifiableMap(new TreeMap<>(firmware));
    }

    /** The inventory gate: every difference from the order, or a pass with what was found. */
    public Verdict judgeInventory(HardwareFacts facts, CheckReading inspection) {
        List<String> wrong = new ArrayList<>();
        int count = facts.gpuModels().size();
        if (gpuCount >= 0 && count != gpuCount) wrong.add("expected " + gpuCount + " GPUs, the BMC reports " + count);
        if (gpuModel != null) {
            for (int i = 0; i < count; i++) {
                if (!GpuModels.matches(gpuModel, facts.gpuModels().get(i))) {
                    wrong.add("GPU " + i + " is " + facts.gpuModels().get(i) + ", expected " + gpuModel);
                    break; // one line for a machine of the wrong model, not eight
                }
            }
        }
        for (int i = 0; i < facts.gpuMemoryGiB().size(); i++) {
            if (gpuMemoryGiB > 0 && facts.gpuMemoryGiB().get(i) < gpuMemoryGiB) {
                wrong.add("GPU " + i + " has " + facts.gpuMemoryGiB().get(i) + " GiB, expected " + gpuMemoryGiB);
                break;
            }
        }
        int eccOff = (int) inspection.metric("eccDisabledGpus", 0);
        int uncorrectable = (int) inspection.metric("eccUncorrectable", 0);
        if (eccOff > 0) wrong.add("ECC is disabled on " + eccOff + " GPU" + (eccOff == 1 ? "" : "s"));
        if (uncorrectable > 0) wrong.add(uncorrectable + " uncorrectable ECC errors");
        wrong.addAll(inspection.findings());
        String found = count + " x " + (count == 0 ? "no GPU" : facts.gpuModels().get(0));
        return wrong.isEmpty() ? Verdict.pass("inventory: " + found + ", ECC on") : Verdict.fail("inventory contradicts the order: " + String.join("; ", wrong));
    }

    /** The firmware gate: every component of the baseline at its version. */
    public Verdict judgeFirmware(HardwareFacts facts) {
        if (firmware.isEmpty()) return Verdict.pass("firmware: no baseline");
        List<String> wrong = new ArrayList<>();
        firmware.forEach((component, version) -> {
            boolean prefix = component.endsWith("*");
            String stem = prefix ? component.substring(0, component.length() - 1) : component;
            boolean seen = false;
            for (var e : facts.firmware().entrySet()) {
                if (prefix ? !e.getKey().startsWith(stem) : !e.getKey().equals(component)) continue;
                seen = true;
                if (!e.getValue().equals(version)) wrong.add(e.getKey() + " runs " + e.getValue() + ", the baseline is " + version);
            }
            if (!seen) wrong.add(component + " is not reported by the BMC");
        });
        return wrong.isEmpty() ? Verdict.pass("firmware: " + firmware.size() + " components at the baseline")
                : Verdict.fail("firmware below the baseline: " + String.join("; ", wrong));
    }
}
