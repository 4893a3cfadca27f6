/**
 * Bare-metal machines through their BMCs, over DMTF Redfish: the infrastructure port's out-of-band part
 * ({@link dev.millwright.infra.redfish.RedfishInfrastructure}) and one BMC's client
 * ({@link dev.millwright.infra.redfish.RedfishBmc}, what {@code millwright bmc inspect} uses).
 *
 * <p>Real BMCs differ, so reading is liberal: links with trailing slashes, in another case or as absolute URLs;
 * GPUs as Processors, as PCIe devices or under a vendor's Oem, on the host or on a GPU baseboard listed as a system
 * of its own; optional resources missing. What could not be read, and what was guessed, is reported
 * ({@link dev.millwright.infra.redfish.InventoryReport#missing()} and {@code warnings()}). Writing is strict: only
 * values the BMC lists as allowable, PATCHes with If-Match, tasks followed to their end.
 *
 * <p>The transport ({@code RedfishClient}) handles sessions and Basic authentication, TLS with an operator's trust
 * store or none in labs, bounded retries of 5xx answers and dropped connections, and timeouts. Every failure is a
 * {@link dev.millwright.infra.redfish.RedfishException} whose {@code failure()} says what kind it is.
 */
package dev.millwright.infra.redfish;
