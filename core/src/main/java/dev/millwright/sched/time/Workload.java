package dev.millwright.sched.time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What one replay runs: the tenants with their guaranteed quotas, all their jobs, and the fleet.
 *
 * @param tenants     tenant names; a job's tenant must be one of them
 * @param quota       guaranteed GPUs per tenant, same order as {@code tenants}; they add up to at most {@code gpus}
 * @param jobs        every job of every tenant
 * @param gpus        GPUs in the fleet
 * @param gpusPerNode GPUs per node
 */
record Workload(List<String> tenants, int[] quota, List<Job> jobs, int gpus, int gpusPerNode) {
    Workload {
        List<String> names = List.copyOf(tenants);
        tenants = names;
        quota = quota.clone();
        Objects.requireNonNull(jobs, "jobs");
        if (quota.length != tenants.size()) throw new IllegalArgumentException("one quota per tenant");
        if (gpus < 1 || gpusPerNode < 1) throw new IllegalArgumentException("gpus and gpusPerNode must be at least 1");
        long sum = 0;
        for (int q : quota) {
            if (q < 0) throw new IllegalArgumentException("quota must not be negative");
            sum += q;
        }
        if (sum > gpus) throw new IllegalArgumentException("quotas add up to " + sum + " GPUs, more than " + gpus);
        List<Job> sorted = new ArrayList<>(jobs);
        // submission time, then tenant order, then file order: the same arrival order on every run
        sorted.sort(Comparator.comparingDouble(Job::submit).thenComparingInt(j -> names.indexOf(j.tenant()))
                .thenComparingInt(Job::line));
        for (Job j : sorted) {
            if (!names.contains(j.tenant())) throw new IllegalArgumentException("job of unknown tenant " + j.tenant());
        }
        jobs = List.copyOf(sorted);
    }

    int tenantIndex(String tenant) {
        return tenants.indexOf(tenant);
    }

    /** How often each job size 1..gpusPerNode occurs; larger jobs count as a whole node (for FGD). */
    double[] sizeWeights() {
        double[] w = new double[gpusPerNode + 1];
        for (Job j : jobs) w[Math.min(j.gpus(), gpusPerNode)]++;
        return w;
    }

    /** One tenant alone on a fleet of its quota: the strict partition it is compared with. */
    Workload partitionOf(int tenant) {
        String name = tenants.get(tenant);
        List<Job> own = new ArrayList<>();
        for (Job j : jobs) if (j.tenant().equals(name)) own.add(j);
        return new Workload(List.of(name), new int[] {quota[tenant]}, own, quota[tenant], gpusPerNode);
    }
}
