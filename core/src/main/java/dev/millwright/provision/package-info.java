/**
 * From the loading dock to live: the machine lifecycle (Registered, Inspecting, Validating, Available,
 * Provisioning, Deployed, Joined; Failed and Quarantined with their reasons), the burn-in gates and their pass
 * criteria, and the DockBatch kind that runs a rack manifest through them under concurrency limits. Pure: the
 * engine is a function of the machines' progress, what the port observed, and the clock.
 */
package dev.millwright.provision;
