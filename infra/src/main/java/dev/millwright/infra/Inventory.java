package dev.millwright.infra;

import java.util.List;

/** The hardware of one machine, as its BMC reports it. */
public record Inventory(String cpuModel, int sockets, int cores, int memoryGiB, List<Gpu> gpus, List<Nic> nics,
                        List<Firmware> firmware) {
    public Inventory {
        gpus = List.copyOf(gpus);
        nics = List.copyOf(nics);
        firmware = List.copyOf(firmware);
    }

    /**
     * @param nvlinkDomain GPUs sharing a domain talk over NVLink; null when the GPU has no NVLink
     */
    public record Gpu(int index, String model, int memoryGiB, boolean mig, boolean confidentialComputing,
                      String nvlinkDomain, String serial) {
    }

    /**
     * @param kind "infiniband" or "ethernet"
     * @param rail the fabric rail; -1 when the port is on no rail
     */
    public record Nic(String name, String kind, int speedGbps, int rail, String leaf) {
    }

    public record Firmware(String component, String version) {
    }
}
