package dev.millwright.infra.redfish;

import dev.millwright.infra.Inventory;
import java.util.List;
import java.util.Objects;

/**
 * A machine's inventory as one BMC reports it, with what the reading could not find.
 *
 * @param system the ComputerSystem read (its {@code Id}); a BMC may manage several
 * @param systems every host system the BMC lists (GPU baseboards, which belong to a host, are not listed here)
 * @param gpuSources the resource each GPU was read from, by GPU index: a Processor, a PCIe device, a graphics controller
 * @param missing optional resources the BMC does not offer, each with what it means for the inventory
 * @param warnings values taken from a fallback, and devices left out of the GPU count with the reason
 */
public record InventoryReport(String system, List<String> systems, Inventory inventory, List<String> gpuSources,
                              List<String> missing, List<String> warnings) {
    public InventoryReport {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(inventory, "inventory");
        systems = List.copyOf(systems);
        gpuSources = List.copyOf(gpuSources);
        missing = List.copyOf(missing);
        warnings = List.copyOf(warnings);
    }
}
