package dev.millwright.provision;

/** The shared things that bound how many machines may be at a step at once. */
public enum Limit {
    /** Power and inspection go through BMCs on one management network; its switches and DHCP take only so many. */
    BMC_NETWORK,
    /** A burn-in draws a machine's full power; a rack's feeds carry only so many at once. */
    RACK_POWER,
    /** OS images are served by one image server per batch; its bandwidth bounds the installs at once. */
    IMAGE_SERVER,
    /** Nothing shared. */
    NONE
}
