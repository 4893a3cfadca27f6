package dev.millwright.control.sched;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps other tenants' object names out of what the scheduler writes on a tenant's workload. The engine names
 * workloads and queues {@code tenant/name}; on a node pool shared between tenants a reason may name another
 * tenant's workload (the one a workload was preempted for, the one backfill is held back for), its queue (the
 * one that borrowed) or its rollout. A workload's status and events are read by its tenant's members, and a
 * caller never learns another tenant's names (the API answers them 404), so each such name is written as
 * "a workload of another tenant" (or queue, or rollout) instead.
 *
 * <p>Only names whose tenant part is a tenant the pass knows are rewritten: "pool/shared", the partition of a
 * shared pool, is left as it is.
 */
final class OtherTenants {
    /**
     * "tenant/name", both DNS labels or subdomains, optionally preceded by the word naming what it is and followed
     * by the suffix of the engine's request for a service's lost replicas.
     */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![-a-z0-9./])(?:(queue|rollout) )?([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)/([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)(?:#more)?");

    private final Set<String> tenants;

    /** @param tenants every tenant whose workloads or queues the pass read */
    OtherTenants(Set<String> tenants) {
        this.tenants = Set.copyOf(tenants);
    }

    /** {@code text} as {@code tenant}'s members may read it: every other tenant's workload, queue or rollout unnamed. */
    String asSeenBy(String tenant, String text) {
        if (text == null || text.indexOf('/') < 0) return text;
        Matcher m = QUALIFIED.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String owner = m.group(2);
            if (owner.equals(tenant) || !tenants.contains(owner)) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
            } else {
                String what = m.group(1) == null ? "workload" : m.group(1);
                m.appendReplacement(out, "a " + what + " of another tenant");
            }
        }
        m.appendTail(out);
        return out.toString();
    }
}
