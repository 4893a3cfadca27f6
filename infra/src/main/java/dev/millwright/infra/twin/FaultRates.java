package dev.millwright.infra.twin;

/**
 * How often things break in the twin, per machine per simulated day, and how often a burn-in fails. Faults
 * arrive as Poisson processes drawn from the twin's seed, so the same seed gives the same faults.
 *
 * @param machineDeath the machine stops answering for good (PSU, mainboard)
 * @param gpuXid a GPU falls off the bus (Xid 79) or hits a fatal Xid; cleared by a restart
 * @param bmcUnreachable the BMC stops answering for {@link #BMC_OUTAGE_MINUTES} minutes
 * @param slowNode the machine slows to a third of its speed until restarted
 * @param burnInFailure chance that one burn-in finds a faulty GPU
 */
public record FaultRates(double machineDeath, double gpuXid, double bmcUnreachable, double slowNode, double burnInFailure) {
    /** How long a BMC outage lasts. */
    public static final int BMC_OUTAGE_MINUTES = 30;

    /** Nothing ever breaks: for tests of everything but faults. */
    public static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0);

    /**
     * Roughly what large GPU fleets report: a GPU-level fault per node every year or two, machine losses a
     * few times less often, a few percent of burn-ins catching a bad part.
     */
    public static final FaultRates REALISTIC = new FaultRates(0.0005, 0.002, 0.001, 0.0005, 0.03);

    public FaultRates {
        for (double r : new double[] {machineDeath, gpuXid, bmcUnreachable, slowNode, burnInFailure}) {
            if (r < 0 || Double.isNaN(r)) throw new IllegalArgumentException("fault rates must not be negative");
        }
        if (burnInFailure > 1) throw new IllegalArgumentException("burnInFailure is a probability, at most 1");
    }
}
