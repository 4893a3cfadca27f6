package dev.millwright.infra.twin;

/**
 * How often the twin's validation checks find a fault, per check run (or, for firmware and ECC, per machine
 * delivered). A DCGM diagnostic at a lower level catches fewer faults: r1 sees {@code 0.3 x dcgm}, r2
 * {@code 0.6 x dcgm}, r3 all of them. Draws come from the twin's seed, so the same seed fails the same checks.
 *
 * @param dcgm a DCGM level-3 diagnostic finds a bad GPU (memory, PCIe, a diagnostic test failing)
 * @param nvlink an NVLink link is down
 * @param infiniband an InfiniBand port is down or trained at a lower rate
 * @param nccl the NCCL all-reduce bus bandwidth comes out far below the model's
 * @param stress a GPU falls off the bus (Xid 79) or overheats under full load
 * @param firmware the machine arrives with an older BIOS than the fleet's baseline
 * @param ecc the machine arrives with ECC disabled on one GPU
 */
public record GateRates(double dcgm, double nvlink, double infiniband, double nccl, double stress, double firmware, double ecc) {
    /** No check ever finds anything. */
    public static final GateRates NONE = new GateRates(0, 0, 0, 0, 0, 0, 0);

    /**
     * A burn-in (DCGM r3, NVLink, InfiniBand, NCCL, stress) that catches a fault on 3% of new machines, in line with
     * what operators of large H100 fleets report for infant mortality; a few machines a thousand arrive with old
     * firmware or ECC off.
     */
    public static final GateRates REALISTIC = new GateRates(0.012, 0.003, 0.005, 0.004, 0.006, 0.002, 0.001);

    /** The same burn-in faults, and every machine delivered as ordered: for the dock benchmark's 3%. */
    public static final GateRates BURN_IN_ONLY = new GateRates(0.012, 0.003, 0.005, 0.004, 0.006, 0, 0);

    public GateRates {
        for (double r : new double[] {dcgm, nvlink, infiniband, nccl, stress, firmware, ecc}) {
            if (!(r >= 0 && r <= 1)) throw new IllegalArgumentException("gate failure rates are probabilities from 0 to 1, got " + r);
        }
    }
}
